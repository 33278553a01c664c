"""The layer contracts in pyproject.toml hold (imports point one way), cover every part of the
package, and catch a broken import."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _lint_imports(root: Path, config: Path, package_parent: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    env = {"PATH": str(Path(sys.executable).parent), "PYTHONPATH": str(package_parent),
           "HOME": str(root)}  # fmt: skip
    return subprocess.run([exe, "--config", str(config), "--no-cache"], cwd=root,
                          capture_output=True, text=True, timeout=180, env=env)  # fmt: skip


def _layers() -> list[str]:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layered = next(c for c in contracts if c["type"] == "layers")
    return [name.strip() for layer in layered["layers"] for name in layer.split("|")]


def test_import_contracts_hold() -> None:
    result = _lint_imports(REPO, REPO / "pyproject.toml", REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {f"anatomy.{p.stem}" for p in (REPO / "anatomy").iterdir()
             if (p.suffix == ".py" and p.stem != "__init__")
             or (p.is_dir() and (p / "__init__.py").is_file())}  # fmt: skip
    assert parts == set(_layers())


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("anatomy/scene/camera.py", "from anatomy.session import state", "Layers"),
    ("anatomy/text/places.py", "import panel", "Only the UI imports Panel"),
    ("anatomy/content/general.py", "import trimesh", "no geometry or plotting"),
])  # fmt: skip
def test_a_broken_contract_fails(tmp_path: Path, module: str, line: str, contract: str) -> None:
    """The same check on a copy of the package with one forbidden import added."""
    shutil.copytree(REPO / "anatomy", tmp_path / "anatomy",
                    ignore=shutil.ignore_patterns("static", "__pycache__", "data", "*.js"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n",
                      encoding="utf-8")  # fmt: skip
    result = _lint_imports(tmp_path, tmp_path / "pyproject.toml", tmp_path)
    assert result.returncode != 0
    assert f"{contract}" in result.stdout and "BROKEN" in result.stdout, result.stdout


def test_domain_and_geometry_import_without_panel() -> None:
    code = (
        "import sys, anatomy.errors, anatomy.frame, anatomy.geometry.meshio\n"
        "assert 'panel' not in sys.modules and 'bokeh' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, timeout=60)
