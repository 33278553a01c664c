"""``myoatlas render``: the atlas drawn off-screen to a PNG, whole or with a selection."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "render the atlas off-screen to a PNG"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``myoatlas render``."""
    from anatomy.frame import MODES
    from anatomy.scene.camera import VIEWS
    from anatomy.scene.render import SELECTION_VIEW

    parser.add_argument(
        "--view", choices=(*VIEWS, SELECTION_VIEW), default=None,
        help="camera: anterior, posterior, left (from +x), right, or selection (the chosen "
             "trigger point's zones, else the muscle); default: selection with --muscle, "
             "else anterior",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, required=True, help="PNG file to write")
    parser.add_argument(
        "--size", type=int, nargs=2, metavar=("W", "H"), default=(900, 1400),
        help="image size in pixels (default 900 1400)",
    )  # fmt: skip
    parser.add_argument("--muscle", default="", help="show this muscle selected (record id)")
    parser.add_argument("--side", choices=("left", "right"), default="right",
                        help="the selected muscle's side (default right)")  # fmt: skip
    parser.add_argument("--trigger-point", default="",
                        help="show this trigger point of --muscle and paint its zones")  # fmt: skip
    parser.add_argument("--mode", choices=MODES, default="patient",
                        help="the atlas's mode and its layers (clinician: with the lungs and "
                             "pleura)")  # fmt: skip
    parser.add_argument("--annotations", type=Path, default=None,
                        help="content file, with --muscle (default: the atlas's own)")  # fmt: skip
    parser.add_argument("--meshes", type=Path, default=None,
                        help="meshes directory (default: the atlas's own)")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Render and say where the file went."""
    from anatomy.errors import AtlasError
    from anatomy.scene.describe import Selection, describe
    from anatomy.scene.render import SELECTION_VIEW, render_atlas

    width, height = args.size
    if not (16 <= width <= 8000 and 16 <= height <= 8000):
        raise AtlasError(f"--size must be between 16 and 8000 pixels, got {width} {height}")
    if args.trigger_point and not args.muscle:
        raise AtlasError("--trigger-point needs --muscle")
    view = args.view or (SELECTION_VIEW if args.muscle else "anterior")
    if not args.muscle:
        scene = describe(None, Selection(mode=args.mode))  # nothing selected: the mode's layers
        path = render_atlas(args.out, view=view, size=(width, height), meshes_dir=args.meshes,
                            scene=scene)  # fmt: skip
    else:
        from anatomy.atlas.model import load_atlas

        atlas = load_atlas(args.annotations, args.meshes)
        scene = describe(atlas, Selection(args.muscle, args.side, args.trigger_point, args.mode))
        path = render_atlas(args.out, view=view, size=(width, height), scene=scene,
                            meshes=atlas.meshes)  # fmt: skip
    print(f"wrote {path}")
    return 0
