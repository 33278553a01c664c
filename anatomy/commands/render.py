"""``myoatlas render``: the atlas drawn off-screen to a PNG."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "render the atlas off-screen to a PNG"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``myoatlas render``."""
    from anatomy.scene.render import VIEWS

    parser.add_argument(
        "--view",
        choices=VIEWS,
        default="anterior",
        help="camera: anterior, posterior, left (from +x) or right",
    )
    parser.add_argument("--out", type=Path, required=True, help="PNG file to write")
    parser.add_argument(
        "--size",
        type=int,
        nargs=2,
        metavar=("W", "H"),
        default=(900, 1400),
        help="image size in pixels (default 900 1400)",
    )
    parser.add_argument("--meshes", type=Path, default=None,
                        help="meshes directory (default: the atlas's own)")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Render and say where the file went."""
    from anatomy.errors import AtlasError
    from anatomy.scene.render import render_atlas

    width, height = args.size
    if not (16 <= width <= 8000 and 16 <= height <= 8000):
        raise AtlasError(f"--size must be between 16 and 8000 pixels, got {width} {height}")
    path = render_atlas(args.out, view=args.view, size=(width, height), meshes_dir=args.meshes)
    print(f"wrote {path}")
    return 0
