"""MeshSet loading: good input loads; each kind of bad input names the file (and key)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from synthetic_atlas import write_meshes

from anatomy.errors import AtlasError
from anatomy.geometry.meshio import write_mesh
from anatomy.geometry.meshset import MeshSet


@pytest.fixture
def meshes(tmp_path: Path) -> Path:
    return write_meshes(tmp_path)


def _edit_manifest(meshes: Path, edit) -> None:  # type: ignore[no-untyped-def]
    path = meshes / "manifest.json"
    doc = json.loads(path.read_text())
    edit(doc)
    path.write_text(json.dumps(doc, indent=1))


def _entry(doc: dict, mesh_id: str) -> dict:
    return next(e for e in doc["meshes"] if e["id"] == mesh_id)


def test_loads_skin_landmarks_and_muscles_lazily(meshes: Path) -> None:
    ms = MeshSet.load(meshes)
    assert ms.skin.vertices.shape[1] == 3 and ms.skin.faces.dtype == np.int32
    assert "right_temple" in ms.landmarks and len(ms.landmarks) == 13
    assert ms.muscle_ids == ["soleus", "upper_trapezius"]
    assert ms.bone_ids == ["bone_femur_left"]
    assert "soleus_left" not in ms._cache  # muscles are read on first use
    mesh = ms.muscle("soleus", "left")
    assert "soleus_left" in ms._cache and ms.muscle("soleus", "left") is mesh
    info = ms.muscle_info("soleus", "right")
    assert info.centreline.shape == (3, 3) and info.centreline[0, 0] < 0  # right is -x
    assert ms.has_muscle("soleus", "right") and not ms.has_muscle("masseter", "left")
    with pytest.raises(AtlasError, match="no left mesh for muscle 'masseter'"):
        ms.muscle("masseter", "left")


def test_load_all_reads_every_file(meshes: Path) -> None:
    ms = MeshSet.load(meshes)
    ms.load_all()
    assert set(ms._cache) == set(ms.entries)


def test_missing_manifest_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(AtlasError) as err:
        MeshSet.load(tmp_path)
    assert err.value.file == str(tmp_path / "manifest.json")
    assert "missing" in err.value.message


def test_manifest_that_is_not_json_names_file_and_line(meshes: Path) -> None:
    path = meshes / "manifest.json"
    path.write_text(path.read_text().replace('"kind"', "kind", 1))
    with pytest.raises(AtlasError) as err:
        MeshSet.load(meshes)
    assert err.value.file == str(path) and err.value.line is not None
    assert "not valid JSON" in err.value.message


def test_manifest_lists_a_file_that_is_absent(meshes: Path) -> None:
    (meshes / "muscles/soleus_left.npz").unlink()
    with pytest.raises(AtlasError) as err:
        MeshSet.load(meshes)
    assert err.value.file == str(meshes / "muscles/soleus_left.npz")
    assert "missing" in err.value.message and "soleus_left" in err.value.message


def test_corrupt_mesh_file_names_the_file(meshes: Path) -> None:
    path = meshes / "muscles/soleus_left.npz"
    path.write_bytes(b"not a zip file at all")
    digest = __import__("hashlib").sha256(path.read_bytes()).hexdigest()
    _edit_manifest(meshes, lambda d: _entry(d, "soleus_left").update(sha256=digest))
    ms = MeshSet.load(meshes)
    with pytest.raises(AtlasError) as err:
        ms.muscle("soleus", "left")
    assert err.value.file == str(path) and "corrupt" in err.value.message


def test_sha256_mismatch_names_the_file(meshes: Path) -> None:
    path = meshes / "muscles/upper_trapezius_right.npz"
    v, f = np.zeros((3, 3), np.float32), np.array([[0, 1, 2]], np.int32)
    write_mesh(path, v + 0.01, f)  # a valid mesh, but not the one the manifest describes
    ms = MeshSet.load(meshes)
    with pytest.raises(AtlasError) as err:
        ms.load_all()
    assert err.value.file == str(path)
    assert "sha256" in err.value.message and "upper_trapezius_right" in err.value.message


def test_vertex_count_mismatch_names_the_file(meshes: Path) -> None:
    _edit_manifest(meshes, lambda d: _entry(d, "soleus_right").update(vertices=7))
    with pytest.raises(AtlasError) as err:
        MeshSet.load(meshes).muscle("soleus", "right")
    assert err.value.file == str(meshes / "muscles/soleus_right.npz")
    assert "says 7" in err.value.message


def test_skin_problems_fail_at_load(meshes: Path) -> None:
    (meshes / "skin/skin.npz").write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(AtlasError) as err:
        MeshSet.load(meshes)
    assert err.value.file == str(meshes / "skin/skin.npz")


@pytest.mark.parametrize(
    ("edit", "key", "words"),
    [
        (lambda d: _entry(d, "soleus_left").update(kind="tendon"), ".kind", "unknown kind"),
        (lambda d: _entry(d, "soleus_left").update(id="soleus_right"), ".id", "duplicate"),
        (lambda d: _entry(d, "soleus_left").update(path="../../etc/passwd"), ".path", "inside"),
        (lambda d: _entry(d, "soleus_left").update(sha256="abc"), ".sha256", "64"),
        (lambda d: _entry(d, "soleus_left").update(side="middle"), ".side", "side"),
        (lambda d: _entry(d, "soleus_left").update(centreline=[[0, 0]]), ".centreline", "points"),
        (lambda d: _entry(d, "soleus_left").pop("vertices"), ".vertices", "vertices"),
        (lambda d: _entry(d, "soleus_left").update(side="right"), ".muscle", "two right"),
        (lambda d: d.update(format=2), "format", "format"),
        (lambda d: d["meshes"].pop(0), "meshes", "exactly one skin"),
    ],
)
def test_malformed_manifest_entries_are_located(meshes: Path, edit, key: str, words: str) -> None:  # type: ignore[no-untyped-def]
    _edit_manifest(meshes, edit)
    with pytest.raises(AtlasError) as err:
        MeshSet.load(meshes)
    assert err.value.file == str(meshes / "manifest.json")
    assert err.value.key is not None and err.value.key.endswith(key)
    assert words in err.value.message
    if key.startswith("."):  # an entry's key: the line of that entry is known
        text = (meshes / "manifest.json").read_text().splitlines()
        assert err.value.line is not None and '"id"' in text[err.value.line - 1]


def test_landmarks_file_problems_are_located(meshes: Path) -> None:
    path = meshes / "landmarks.json"
    doc = json.loads(path.read_text())
    doc["landmarks"][2]["vertex"] = 10**9
    path.write_text(json.dumps(doc, indent=1))
    with pytest.raises(AtlasError) as err:
        MeshSet.load(meshes)
    assert err.value.file == str(path) and err.value.key == "landmarks[2].vertex"
    assert doc["landmarks"][2]["name"] in path.read_text().splitlines()[err.value.line - 1]
    path.unlink()
    with pytest.raises(AtlasError, match="landmarks file is missing"):
        MeshSet.load(meshes)


def test_duplicate_landmark_is_an_error(meshes: Path) -> None:
    path = meshes / "landmarks.json"
    doc = json.loads(path.read_text())
    doc["landmarks"].append(dict(doc["landmarks"][0]))
    path.write_text(json.dumps(doc, indent=1))
    with pytest.raises(AtlasError, match="duplicate landmark"):
        MeshSet.load(meshes)


def test_decoded_meshes_equal_numpy_reads_and_are_read_only(meshes: Path) -> None:
    from anatomy.geometry.meshio import read_mesh

    ms = MeshSet.load(meshes)
    for mesh_id, entry in ms.entries.items():
        ours, ref = ms.mesh(mesh_id), read_mesh(meshes / entry.path)
        assert np.array_equal(ours.vertices, ref.vertices)
        assert np.array_equal(ours.faces, ref.faces)
        assert ours.vertices.dtype == np.float32 and ours.faces.dtype == np.int32
    with pytest.raises(ValueError):
        ms.skin.vertices[0, 0] = 1.0  # the shared cache cannot be changed by accident


def test_a_truncated_mesh_stream_is_corrupt(meshes: Path) -> None:
    import hashlib
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("vertices.npy", b"\x93NUMPY\x01\x00v\x00{'descr': '<f4'")  # cut short
        zf.writestr("faces.npy", b"")
    path = meshes / "muscles/soleus_left.npz"
    path.write_bytes(buf.getvalue())
    digest = hashlib.sha256(buf.getvalue()).hexdigest()
    _edit_manifest(meshes, lambda d: _entry(d, "soleus_left").update(sha256=digest))
    with pytest.raises(AtlasError, match="corrupt") as err:
        MeshSet.load(meshes).muscle("soleus", "left")
    assert err.value.file == str(path)
