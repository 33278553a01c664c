"""The atlas for ``panel serve app.py`` (``myoatlas serve`` does the same with checks up front).

Options go after ``--args``: ``panel serve app.py --args --mode clinician --document notes.md``.
Panel runs this file once per browser session; the atlas is loaded once per process.
"""

import argparse
from pathlib import Path

import panel as pn

from anatomy.errors import AtlasError
from anatomy.frame import MODES
from anatomy.ui.server import prepare, session_app, skip_bokeh_checks

parser = argparse.ArgumentParser(prog="app.py")
parser.add_argument("--mode", choices=MODES, default="patient")
parser.add_argument("--document", default=None)
parser.add_argument("--lock-mode", action="store_true")  # patients cannot switch mode
parser.add_argument("--annotations", type=Path, default=None)
parser.add_argument("--meshes", type=Path, default=None)
args, _ = parser.parse_known_args()
skip_bokeh_checks()  # as `myoatlas serve` does (process-wide, idempotent)

try:
    atlas, scene, document = prepare(
        args.annotations, args.meshes, Path(args.document) if args.document else None
    )
except AtlasError as exc:
    pn.pane.Alert(
        f"The atlas is invalid and cannot be shown: {exc}", alert_type="danger"
    ).servable()
else:
    session_app(
        atlas, scene, mode=args.mode, document=document, lock_mode=args.lock_mode
    ).servable(title="Myoatlas")
