"""The atlas for ``panel serve app.py`` (``myoatlas serve`` does the same with checks up front).

Options go after ``--args``: ``panel serve app.py --args --mode clinician --document notes.md``.
"""

import argparse
from pathlib import Path

import panel as pn

from anatomy.commands.serve import MODES, prepare
from anatomy.errors import AtlasError
from anatomy.ui.layout import create_app

parser = argparse.ArgumentParser(prog="app.py")
parser.add_argument("--mode", choices=MODES, default="patient")
parser.add_argument("--document", default=None)
parser.add_argument("--lock-mode", action="store_true")  # patients cannot switch mode
parser.add_argument("--annotations", type=Path, default=None)
parser.add_argument("--meshes", type=Path, default=None)
args, _ = parser.parse_known_args()

try:
    atlas, scene, document = prepare(
        args.annotations, args.meshes, Path(args.document) if args.document else None
    )
except AtlasError as exc:
    pn.pane.Alert(
        f"The atlas is invalid and cannot be shown: {exc}", alert_type="danger"
    ).servable()
else:
    create_app(atlas, scene, mode=args.mode, document=document, lock_mode=args.lock_mode).servable(
        title="Myoatlas"
    )
