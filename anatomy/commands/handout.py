"""``myoatlas handout --muscle ID [--trigger-point ID] [--side S] [--mode M] --out FILE.html``.

Writes one self-contained HTML file (see :mod:`anatomy.export.handout`): an interactive 3D
view of the muscle's region with its trigger points and referral zones, the text for the
chosen mode, self-care, red flags, sources and the date. It opens offline and prints cleanly.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from anatomy.errors import AtlasError

HELP = "write a self-contained HTML handout about one muscle (and trigger point)"


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the muscle, trigger point, side, mode, output and data options."""
    parser.add_argument("--muscle", required=True, metavar="ID",
                        help="muscle record id, e.g. upper_trapezius")
    parser.add_argument("--trigger-point", default=None, metavar="ID",
                        help="one trigger point (default: all of the muscle's, selectable)")
    parser.add_argument("--side", choices=["left", "right"], default="right")
    parser.add_argument("--mode", choices=["patient", "clinician"], default="patient",
                        help="patient: plain words, no needling detail; clinician: palpation, "
                             "needling approach, structures at risk")
    parser.add_argument("--out", required=True, type=Path, metavar="FILE.html")
    parser.add_argument("--date", type=_date, default=None, metavar="YYYY-MM-DD",
                        help="the date printed on the handout (default: today)")
    parser.add_argument("--annotations", type=Path, default=None, metavar="FILE",
                        help="the annotations file (default: the atlas's annotations.yaml)")
    parser.add_argument("--meshes", type=Path, default=None, metavar="DIR",
                        help="the meshes directory (default: the atlas's meshes/)")


def run(args: argparse.Namespace) -> int:
    """Build and write the handout; print where it went and its size."""
    from anatomy.atlas.model import load_atlas
    from anatomy.export.handout import write_handout

    if args.out.suffix.lower() not in (".html", ".htm"):
        raise AtlasError("the handout is an HTML file: give --out a name ending in .html",
                         file=str(args.out))
    atlas = load_atlas(args.annotations, args.meshes)
    path = write_handout(atlas, args.out, args.muscle, args.trigger_point, side=args.side,
                         mode=args.mode, date=args.date)
    print(f"{path}: {path.stat().st_size / 1e6:.2f} MB handout ({args.mode}, {args.side} "
          f"{args.muscle}{', ' + args.trigger_point if args.trigger_point else ''})")
    return 0
