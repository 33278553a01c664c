"""Security fixtures: the synthetic atlas with a payload in every text field.

The clean synthetic atlas is the suite's ``tiny_files`` / ``tiny_atlas`` (``tests/conftest.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.hostile import hostile_annotations


@pytest.fixture(scope="session")
def hostile_files(
    tiny_files: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    """The synthetic atlas with :data:`support.hostile.PAYLOAD` in every free-text field."""
    annotations, meshes = tiny_files
    out = tmp_path_factory.mktemp("hostile") / "annotations.yaml"
    return hostile_annotations(annotations, out), meshes


@pytest.fixture(scope="session")
def hostile_atlas(hostile_files):  # type: ignore[no-untyped-def]
    from anatomy.atlas.model import load_atlas

    return load_atlas(*hostile_files)  # every check passes: only text was changed
