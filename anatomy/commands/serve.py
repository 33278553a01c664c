"""``myoatlas serve``: validate the atlas, then serve the web app (offline, loopback by default).

The content and meshes are loaded and cross-checked once, before the server starts; if they
are invalid the command prints the located problems and exits with status 2 instead of
serving a broken atlas. All sessions share the loaded atlas and the packed browser geometry.
"""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path
from typing import Any

from anatomy.errors import AtlasError

MODES = ("patient", "student", "clinician")
HELP = "serve the web atlas"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare ``myoatlas serve``'s options."""
    parser.add_argument("--port", type=int, default=5006, help="TCP port (default 5006)")
    parser.add_argument(
        "--address", default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this computer only)",
    )  # fmt: skip
    parser.add_argument("--mode", choices=MODES, default="patient", help="starting mode")
    parser.add_argument("--document", type=Path, help="a Markdown file shown as a further tab")
    parser.add_argument("--show", action="store_true", help="open the page in a browser")
    parser.add_argument("--annotations", type=Path, help="content file (default: shipped)")
    parser.add_argument("--meshes", type=Path, help="meshes directory (default: shipped)")


@functools.lru_cache(maxsize=4)
def prepare(
    annotations: Path | None = None, meshes: Path | None = None, document: Path | None = None
) -> tuple[Any, Any, tuple[str, str] | None]:
    """Load, check and pack everything the app needs, once per process.

    Returns
    -------
    atlas, scene, document
        The checked ``Atlas``, the packed ``WebScene`` and ``(title, html)`` or None.

    Raises
    ------
    AtlasError
        If the content, the meshes or the document is invalid (located).
    """
    from anatomy.atlas import load_atlas
    from anatomy.ui.explainer import load_document
    from anatomy.webscene import load_web_scene

    atlas = load_atlas(annotations, meshes)  # runs every named check
    atlas.prefetch_zones()  # the first click should not pay for resolving zones
    scene = load_web_scene(meshes)
    doc = load_document(document) if document is not None else None
    return atlas, scene, doc


def run(args: argparse.Namespace) -> int:
    """Validate, then serve until interrupted; 2 when the atlas is invalid."""
    if not 1 <= args.port <= 65535:
        raise AtlasError(f"--port must be between 1 and 65535, not {args.port}")
    try:
        atlas, scene, document = prepare(args.annotations, args.meshes, args.document)
    except AtlasError as exc:
        print(f"myoatlas serve: the atlas is invalid, not starting:\n{exc}", file=sys.stderr)
        return 2

    import panel as pn

    from anatomy.ui.layout import create_app

    def session() -> Any:
        return create_app(atlas, scene, mode=args.mode, document=document)

    origins = [f"{args.address}:{args.port}", f"localhost:{args.port}", f"127.0.0.1:{args.port}"]
    print(f"myoatlas: serving at http://{args.address}:{args.port}/  (Ctrl+C stops)", flush=True)
    pn.serve(
        session, port=args.port, address=args.address, show=args.show, title="Myoatlas",
        websocket_origin=origins, verbose=False, threaded=False,
    )  # fmt: skip
    return 0
