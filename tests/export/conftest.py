"""Export unit-test fixtures: the synthetic atlas (tests/synthetic_atlas.py), loaded once."""

from __future__ import annotations

import pytest
from synthetic_atlas import write_atlas

from anatomy.atlas.model import load_atlas


@pytest.fixture(scope="session")
def atlas(tmp_path_factory):  # type: ignore[no-untyped-def]
    ann, meshes = write_atlas(tmp_path_factory.mktemp("export-atlas"))
    return load_atlas(ann, meshes)
