"""Where the default atlas (``meshes/`` and ``annotations.yaml``) lives.

In a source checkout (editable install) they sit at the repository root; a wheel carries
copies under ``anatomy/_default``.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
_PACKAGED = PACKAGE_DIR / "_default"


def default_meshes_dir() -> Path:
    """The directory holding the default ``manifest.json`` and mesh files."""
    repo = REPO_ROOT / "meshes"
    return repo if (repo / "manifest.json").exists() else _PACKAGED / "meshes"


def default_annotations_path() -> Path:
    """The default ``annotations.yaml``."""
    repo = REPO_ROOT / "annotations.yaml"
    return repo if repo.exists() else _PACKAGED / "annotations.yaml"
