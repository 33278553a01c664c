"""``myoatlas export-site DIR [--mode M]``: the whole atlas as static files.

Writes ``index.html``, one page per muscle and shared assets (see :mod:`anatomy.export.site`).
The result needs no Python: serve ``DIR`` with any web server, or open ``DIR/index.html``
from disk.
"""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "write the whole atlas as static files for any web server or file://"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare ``DIR``, ``--mode`` and the data options."""
    parser.add_argument("dir", type=Path, metavar="DIR",
                        help="a new or empty directory (or an earlier export, overwritten)")
    from anatomy.frame import MODES

    parser.add_argument("--mode", choices=MODES,
                        default="student", help="the text shown first (readers can switch)")
    parser.add_argument("--annotations", type=Path, default=None, metavar="FILE",
                        help="the annotations file (default: the atlas's annotations.yaml)")
    parser.add_argument("--meshes", type=Path, default=None, metavar="DIR",
                        help="the meshes directory (default: the atlas's meshes/)")


def run(args: argparse.Namespace) -> int:
    """Export; print the number of files and the total size."""
    from anatomy.atlas.model import load_atlas
    from anatomy.export.site import export_site

    atlas = load_atlas(args.annotations, args.meshes)
    sizes = export_site(atlas, args.dir, mode=args.mode)
    pages = sum(1 for name in sizes if name.endswith(".html"))
    print(f"{args.dir}: {len(sizes)} files ({pages} pages), {sum(sizes.values()) / 1e6:.2f} MB; "
          f"open {args.dir / 'index.html'} or serve the directory with any web server")
    return 0
