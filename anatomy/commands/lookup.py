"""``myoatlas lookup (--landmark NAME | --point X Y Z ...) [--top N] [--json]``: where does it hurt?

Ranks the trigger points whose referral zones cover a spot on the skin (see
:mod:`anatomy.geometry.lookup` for the scoring). ``--json`` prints a list of
``{muscle, side, trigger_point, score, zone, why, mesh}``, best first; otherwise a table.
The answer is a guide to which muscles to examine, never a diagnosis.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from anatomy.errors import AtlasError

HELP = "rank the trigger points whose referral zones cover a spot on the skin"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the query (``--landmark`` or ``--point``) and output options."""
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--landmark", metavar="NAME",
                       help="a skin landmark, e.g. right_temple or 'left throat'; a sided place "
                            "without its side means both (see meshes/landmarks.json)")
    where.add_argument("--point", nargs=3, type=float, metavar=("X", "Y", "Z"),
                       action="append",
                       help="a point on the skin in metres (atlas frame; snapped to the skin); "
                            "repeat for several spots")
    parser.add_argument("--top", type=int, default=10, metavar="N",
                        help="how many results (default 10)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--annotations", type=Path, default=None, metavar="PATH",
                        help="the annotations file (default: the atlas's annotations.yaml)")
    parser.add_argument("--meshes", type=Path, default=None, metavar="DIR",
                        help="the meshes directory (default: the atlas's meshes/)")


def run(args: argparse.Namespace) -> int:
    """Print the ranked trigger points; 0 on success (AtlasError -> exit 2 in the CLI)."""
    from anatomy.atlas.model import load_atlas

    if args.top < 1:
        raise AtlasError(f"--top must be at least 1 (got {args.top})", key="--top")
    if args.point is not None and not all(math.isfinite(v) for p in args.point for v in p):
        raise AtlasError("--point needs three finite numbers (metres)", key="--point")
    atlas = load_atlas(args.annotations, args.meshes, check=False)
    if args.landmark is not None:
        hits = atlas.lookup(landmark=args.landmark, top=args.top)
        spot = args.landmark
    else:
        hits = atlas.lookup(points=args.point, top=args.top)
        spot = " and ".join("({:.3f}, {:.3f}, {:.3f})".format(*p) for p in args.point)
    if args.json:
        print(json.dumps([h.to_dict() for h in hits], indent=2))
        return 0
    if not hits:
        print(f"No trigger point in the atlas refers pain to {spot}.")
        return 0
    print(f"Trigger points whose referral zones cover {spot} (best first):")
    rows = [("#", "muscle", "side", "trigger point", "zone", "score")]
    rows += [(str(i), h.muscle, h.side, h.trigger_point, h.zone, f"{h.score:.3f}")
             for i, h in enumerate(hits, 1)]
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if n:
            print(f"{'':{widths[0]}}  {hits[n - 1].why}")
    print("A guide to which muscles to examine, not a diagnosis.")
    return 0
