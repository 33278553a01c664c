"""``myoatlas mesh-report``: measure the built geometry (see ``anatomy.geometry.report``)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

HELP = "measure the built geometry"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``myoatlas mesh-report``."""
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--meshes", type=Path, default=None,
                        help="meshes directory (default: the atlas's own)")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Print the report."""
    from anatomy.geometry.report import format_table, measure

    report = measure(args.meshes)
    print(json.dumps(report, indent=1) if args.json else format_table(report))
    return 0
