"""Shared test setup: PyVista off-screen, repo paths, and the atlases every layer tests against.

The atlas fixtures (``real_atlas``: the shipped ``annotations.yaml`` and ``meshes/``;
``tiny_atlas``: the synthetic one of ``synthetic_atlas.py``) are loaded once per test process
and shared, so tests only read them. A test that needs a changed atlas writes its own copy
under ``tmp_path`` and loads that.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from anatomy.atlas.model import Atlas

os.environ.setdefault("PYVISTA_OFF_SCREEN", "true")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_reference() -> Path:
    """``../shared/reference``; tests that need it skip when it is absent."""
    ref = SHARED / "reference"
    if not ref.is_dir():
        pytest.skip("../shared/reference is absent")
    return ref


@pytest.fixture(scope="session")
def real_files() -> tuple[Path, Path]:
    """``(annotations.yaml, meshes/)`` as shipped; skips while ``meshes/`` is not built."""
    from anatomy.paths import default_annotations_path, default_meshes_dir

    annotations, meshes = default_annotations_path(), default_meshes_dir()
    if not annotations.is_file() or not (meshes / "manifest.json").is_file():
        pytest.skip("annotations.yaml or meshes/ not built yet")
    return annotations, meshes


@pytest.fixture(scope="session")
def real_atlas(real_files: tuple[Path, Path]) -> Atlas:
    """The shipped atlas, loaded without the cross-checks.

    ``tests/test_cli_validate.py`` validates the shipped files whole; the checks only report,
    so the atlas the tests read is the same with or without them.
    """
    from anatomy.atlas.model import load_atlas

    return load_atlas(*real_files, check=False)


@pytest.fixture(scope="session")
def tiny_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """``(annotations.yaml, meshes/)`` of the synthetic atlas (``synthetic_atlas.py``)."""
    from synthetic_atlas import write_atlas

    return write_atlas(tmp_path_factory.mktemp("synthetic"))


@pytest.fixture(scope="session")
def tiny_atlas(tiny_files: tuple[Path, Path]) -> Atlas:
    """The tiny synthetic atlas of ``synthetic_atlas.py``, loaded and checked."""
    from anatomy.atlas.model import load_atlas

    return load_atlas(*tiny_files)
