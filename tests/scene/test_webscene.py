"""The browser geometry buffer: layout, normals, cleaning, loading from a meshes directory."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from anatomy.errors import AtlasError
from anatomy.geometry.meshio import write_mesh
from anatomy.geometry.surface import vertex_normals
from anatomy.scene.web import (
    SceneMesh,
    build_web_scene,
    clean_faces,
    load_web_scene,
    orient_outward,
)


def octahedron(centre=(0.0, 0.0, 0.0), r=1.0) -> tuple[np.ndarray, np.ndarray]:
    c = np.asarray(centre, dtype=np.float32)
    v = np.array([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]],
                 dtype=np.float32) * r + c
    f = np.array([[0, 2, 4], [2, 1, 4], [1, 3, 4], [3, 0, 4],
                  [2, 0, 5], [1, 2, 5], [3, 1, 5], [0, 3, 5]], dtype=np.int32)
    return v, f


def signed_volume(v: np.ndarray, f: np.ndarray) -> float:
    v = v.astype(np.float64)
    return float(np.einsum("ij,ij->i", v[f[:, 0]], np.cross(v[f[:, 1]], v[f[:, 2]])).sum() / 6)


def decode(scene, rec):
    n, m = rec["counts"]["points"], rec["counts"]["triangles"]
    off = rec["offsets"]
    pts = np.frombuffer(scene.buffer, "<f4", n * 3, off["points"]).reshape(n, 3)
    nrm = np.frombuffer(scene.buffer, "i1", n * 3, off["normals"]).reshape(n, 3)
    itype = "<u2" if rec["index_type"] == "uint16" else "<u4"
    tri = np.frombuffer(scene.buffer, itype, m * 3, off["indices"]).reshape(m, 3)
    return pts, nrm, tri


def test_round_trip_layout_and_alignment() -> None:
    skin = SceneMesh("skin", "skin", *octahedron(r=1.0))
    muscle = SceneMesh("biceps_brachii_left", "muscle", *octahedron((3, 0, 0), 0.5),
                       muscle="biceps_brachii", side="left")
    scene = build_web_scene([skin, muscle])
    assert [a["id"] for a in scene.actors] == ["skin", "biceps_brachii_left"]
    assert len(scene.buffer) % 4 == 0
    for rec, mesh in zip(scene.actors, (skin, muscle), strict=True):
        assert all(o % 4 == 0 for o in rec["offsets"].values())
        pts, _, tri = decode(scene, rec)
        np.testing.assert_array_equal(pts, mesh.vertices)
        np.testing.assert_array_equal(tri, mesh.faces)
        assert rec["index_type"] == "uint16"
    assert scene.actor("biceps_brachii_left")["layer"] == "muscles"
    assert scene.actor("skin")["layer"] == "skin"
    assert scene.skin_vertex_count == 6
    assert scene.bounds == pytest.approx((-1, 3.5, -1, 1, -1, 1))


def test_large_meshes_use_uint32_indices() -> None:
    n = 70_000
    v = np.zeros((n, 3), np.float32)
    v[:, 0] = np.arange(n) * 1e-3
    v[:, 1] = (np.arange(n) % 2) * 1e-3
    f = np.array([[i, i + 1, i + 2] for i in range(0, n - 2, 1000)] + [[n - 3, n - 2, n - 1]])
    scene = build_web_scene([SceneMesh("skin", "skin", v, f)])
    rec = scene.actors[0]
    assert rec["index_type"] == "uint32"
    _, _, tri = decode(scene, rec)
    assert tri.max() == n - 1


def test_normals_point_outward_and_are_unit() -> None:
    v, f = octahedron((1, 2, 3), 2.0)
    scene = build_web_scene([SceneMesh("skin", "skin", v, f)])
    pts, nrm, _ = decode(scene, scene.actors[0])
    outward = pts - np.array([1, 2, 3], np.float32)
    outward /= np.linalg.norm(outward, axis=1, keepdims=True)
    as_float = nrm.astype(np.float32) / 127
    np.testing.assert_allclose(np.linalg.norm(as_float, axis=1), 1, atol=0.02)
    assert np.all(np.einsum("ij,ij->i", as_float, outward) > 0.99)
    np.testing.assert_allclose(vertex_normals(v, f), outward, atol=1e-6)


def test_inward_wound_mesh_is_flipped() -> None:
    v, f = octahedron()
    inward = f[:, ::-1]
    assert signed_volume(v, inward) < 0
    assert signed_volume(v, orient_outward(v, inward)) > 0
    scene = build_web_scene([SceneMesh("skin", "skin", v, inward)])
    _, _, tri = decode(scene, scene.actors[0])
    assert signed_volume(v, tri.astype(np.int64)) > 0


def test_degenerate_triangles_are_dropped_and_vertex_ids_kept() -> None:
    v, f = octahedron()
    bad = np.vstack([f, [[0, 0, 1], [0, 1, 1]]])
    v2 = np.vstack([v, v[:1]])  # a duplicate vertex: a zero-area triangle
    bad = np.vstack([bad, [[0, 6, 2]]])
    assert len(clean_faces(v2, bad)) == len(f)
    scene = build_web_scene([SceneMesh("skin", "skin", v2, bad)])
    rec = scene.actors[0]
    assert rec["counts"] == {"points": 7, "triangles": 8}


def test_bounds_of_muscles_and_meshes() -> None:
    meshes = [SceneMesh("skin", "skin", *octahedron(r=5))]
    for side, x in (("left", 2.0), ("right", -2.0)):
        meshes.append(SceneMesh(f"soleus_{side}", "muscle", *octahedron((x, 0, 0), 0.5),
                                muscle="soleus", side=side))
    scene = build_web_scene(meshes)
    assert scene.bounds_of(["soleus"]) == pytest.approx((-2.5, 2.5, -0.5, 0.5, -0.5, 0.5))
    assert scene.bounds_of(["soleus_left"]) == pytest.approx((1.5, 2.5, -0.5, 0.5, -0.5, 0.5))
    assert scene.bounds_of(["no_such_muscle"]) is None
    assert scene.actor_ids("muscle") == ["soleus_left", "soleus_right"]


def test_empty_mesh_is_an_atlas_error() -> None:
    v, _ = octahedron()
    with pytest.raises(AtlasError, match="no non-degenerate triangles"):
        build_web_scene([SceneMesh("skin", "skin", v, np.zeros((0, 3), np.int32))])
    with pytest.raises(AtlasError, match="no meshes"):
        build_web_scene([])


def write_meshes_dir(root: Path) -> None:
    entries = []
    for ident, kind, centre, extra in (
        ("skin", "skin", (0, 0, 1), {}),
        ("bone_femur_left", "bone", (0.1, 0, 0.5), {"bone": "femur", "side": "left"}),
        ("soleus_left", "muscle", (0.1, 0.05, 0.3),
         {"muscle": "soleus", "side": "left", "origin": [0.1, 0.05, 0.4],
          "insertion": [0.1, 0.05, 0.2], "centreline": [[0.1, 0.05, 0.4], [0.1, 0.05, 0.2]]}),
    ):
        v, f = octahedron(centre, 0.1 if kind != "skin" else 0.5)
        rel = f"{kind}/{ident}.npz"
        sha = write_mesh(root / rel, v, f)
        entries.append({"id": ident, "kind": kind, "muscle": None, "side": None, "path": rel,
                        "vertices": len(v), "triangles": len(f), "sha256": sha, **extra})
    (root / "manifest.json").write_text(json.dumps({"format": 1, "meshes": entries}, indent=1))


def test_load_web_scene_reads_once_per_directory(tmp_path: Path) -> None:
    write_meshes_dir(tmp_path)
    scene = load_web_scene(tmp_path)
    assert [a["kind"] for a in scene.actors] == ["skin", "bone", "muscle"]
    assert scene.actor("soleus_left")["muscle"] == "soleus"
    assert load_web_scene(str(tmp_path)) is scene  # built once, shared by every session


def test_load_web_scene_checks_files(tmp_path: Path) -> None:
    write_meshes_dir(tmp_path)
    v, f = octahedron(r=0.7)
    write_mesh(tmp_path / "muscle" / "soleus_left.npz", v, f)  # content no longer matches
    with pytest.raises(AtlasError, match="sha256"):
        load_web_scene(tmp_path)
    with pytest.raises(AtlasError, match="manifest is missing"):
        load_web_scene(tmp_path / "nowhere")


def test_browser_meshes_are_lighter_but_the_skin_keeps_its_vertices() -> None:
    from anatomy.paths import default_meshes_dir
    from anatomy.scene.web import WEB_DETAIL, read_scene_meshes, web_meshes

    full = read_scene_meshes(default_meshes_dir())
    light = web_meshes(full)
    assert [m.id for m in light] == [m.id for m in full]
    for kind in ("bone", "muscle"):
        before = sum(len(m.faces) for m in full if m.kind == kind)
        after = sum(len(m.faces) for m in light if m.kind == kind)
        assert after / before < WEB_DETAIL[kind] + 0.1, (kind, before, after)
    for a, b in zip(full, light, strict=True):
        if a.kind == "skin":  # zones and "where does it hurt?" address skin vertices by id
            assert b is a
        else:  # the same place: bounds within 5 mm
            lo = np.abs(np.min(a.vertices, 0) - np.min(b.vertices, 0)).max()
            hi = np.abs(np.max(a.vertices, 0) - np.max(b.vertices, 0)).max()
            assert max(lo, hi) <= 0.005, (a.id, lo, hi)
