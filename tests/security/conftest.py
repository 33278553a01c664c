"""Security fixtures: the synthetic atlas, clean and with a payload in every text field."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # hostile.py, whatever pytest's import mode

from hostile import hostile_annotations
from synthetic_atlas import write_atlas


@pytest.fixture(scope="session")
def clean_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """``(annotations.yaml, meshes/)`` of the synthetic atlas."""
    return write_atlas(tmp_path_factory.mktemp("clean"))


@pytest.fixture(scope="session")
def hostile_files(clean_files: tuple[Path, Path], tmp_path_factory) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """The same atlas with :data:`hostile.PAYLOAD` in every free-text field."""
    annotations, meshes = clean_files
    out = tmp_path_factory.mktemp("hostile") / "annotations.yaml"
    return hostile_annotations(annotations, out), meshes


@pytest.fixture(scope="session")
def clean_atlas(clean_files):  # type: ignore[no-untyped-def]
    from anatomy.atlas.model import load_atlas

    return load_atlas(*clean_files)


@pytest.fixture(scope="session")
def hostile_atlas(hostile_files):  # type: ignore[no-untyped-def]
    from anatomy.atlas.model import load_atlas

    return load_atlas(*hostile_files)  # every check passes: only text was changed
