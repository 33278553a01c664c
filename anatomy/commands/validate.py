"""``myoatlas validate [PATH] [--meshes DIR]``: check content and geometry together.

Runs, in order: the annotations schema and its record rules (:mod:`anatomy.content.load`), the
mesh manifest and every mesh file (:mod:`anatomy.geometry.meshset`), and the named
cross-reference checks (:mod:`anatomy.atlas.checks`). Prints a short summary and exits 0 when
all pass; otherwise prints every located problem and exits 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from anatomy.errors import AtlasError, AtlasProblems

HELP = "check annotations.yaml against the schema and the meshes"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare ``PATH`` and ``--meshes``."""
    parser.add_argument("path", nargs="?", type=Path, default=None,
                        help="the annotations file (default: the atlas's annotations.yaml)")
    parser.add_argument("--meshes", type=Path, default=None, metavar="DIR",
                        help="the meshes directory (default: the atlas's meshes/)")


def _print_problems(exc: AtlasError) -> int:
    problems = exc.problems if isinstance(exc, AtlasProblems) else [exc]
    for problem in problems:
        suffix = f" [check: {problem.check}]" if problem.check else ""
        print(f"myoatlas validate: error: {problem.located()}{suffix}", file=sys.stderr)
    if len(problems) > 1:
        print(f"myoatlas validate: {len(problems)} problems", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Validate; return 0 when everything passes, 2 otherwise."""
    from anatomy.atlas.checks import CHECKS, run_checks
    from anatomy.atlas.model import Atlas
    from anatomy.content.load import load_annotations
    from anatomy.frame import SIDES
    from anatomy.geometry.meshset import MeshSet

    try:
        annotations = load_annotations(args.path)
        meshes = MeshSet.load(args.meshes)
        meshes.load_all()
        problems = run_checks(Atlas(annotations, meshes))
    except AtlasError as exc:
        return _print_problems(exc)
    if problems:
        return _print_problems(AtlasProblems(problems))
    content = annotations.content
    kinds = [e.kind for e in meshes.entries.values()]
    n_tp = sum(1 for _ in content.trigger_points())
    n_zones = sum(1 + bool(tp.spillover) for _, tp in content.trigger_points())
    print(f"{annotations.path}: OK")
    print(f"  content: {len(content.muscles)} muscle records, {n_tp} trigger points "
          f"(resolved on {len(SIDES)} sides), {n_zones} referral zones, "
          f"{len(content.sources)} sources")
    print(f"  meshes:  {meshes.directory}: 1 skin, {kinds.count('bone')} bones, "
          f"{kinds.count('muscle')} muscle meshes ({len(meshes.muscle_ids)} muscles), "
          f"{len(meshes.landmarks)} landmarks")
    print(f"  checks:  {len(CHECKS)} passed ({', '.join(c.__name__ for c in CHECKS)})")
    return 0
