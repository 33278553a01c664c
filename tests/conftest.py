"""Shared test setup: PyVista off-screen, paths to the repo and the shared reference."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
