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
    parser.add_argument("--reference", type=Path, default=None, metavar="GLB",
                        help="measure the muscles' shapes against this reference anatomy "
                             "(a glTF binary of Z-Anatomy muscles) instead")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Print the report."""
    from anatomy.geometry.report import format_table, measure

    if args.reference is not None:
        from anatomy.errors import AtlasError
        from anatomy.meshbuild.muscles.shape import format_shape_report, shape_report
        from anatomy.paths import default_meshes_dir

        if not args.reference.is_file():
            raise AtlasError("no such reference file", file=str(args.reference))
        shapes = shape_report(args.meshes or default_meshes_dir(), args.reference)
        print(json.dumps(shapes, indent=1) if args.json else format_shape_report(shapes))
        return 0
    report = measure(args.meshes)
    print(json.dumps(report, indent=1) if args.json else format_table(report))
    return 0
