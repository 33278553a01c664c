"""The atlas's web server runtime, shared by ``myoatlas serve`` and ``panel serve app.py``.

Loading and checking the atlas once per process, a new session's page, and the process-wide
settings a server makes (allocator, websocket delays, Bokeh's development checks).
"""

from __future__ import annotations

import functools
import gc
import os
import sys
from pathlib import Path
from typing import Any


def system_allocator_command(
    environ: dict[str, str], argv: list[str], orig_argv: list[str]
) -> list[str] | None:
    """The command line that restarts this server with the C library's allocator, or None.

    CPython's own small-object allocator returns a 1 MB arena to the OS only when every
    object in it is gone, and a few hundred small objects that outlive the sessions (names in
    the interpreter's caches, library bookkeeping) keep most arenas a busy hour filled: after
    20 sessions the server stayed 40 MB (+26 %) above idle with 41 MB of empty pools inside
    them. With ``PYTHONMALLOC=malloc`` freed memory goes back through ``malloc_trim`` (+2 %
    of idle after the same 20 sessions, at a few percent more CPU per click). The variable
    must be set before Python starts, so ``myoatlas serve`` run from a command line restarts
    itself once with it; set ``PYTHONMALLOC`` yourself (e.g. ``pymalloc``) to opt out. Only
    a process whose own command line is this ``serve`` command restarts (not a program that
    calls :func:`anatomy.cli.main` in-process, such as the tests).
    """
    if "PYTHONMALLOC" in environ or argv[1:2] != ["serve"]:
        return None
    if len(orig_argv) < len(argv) or orig_argv[len(orig_argv) - len(argv) + 1:] != argv[1:]:
        return None
    return list(orig_argv)


def use_system_allocator() -> None:
    """Restart this process with ``PYTHONMALLOC=malloc`` when appropriate (see above)."""
    command = system_allocator_command(dict(os.environ), list(sys.argv), list(sys.orig_argv))
    if command is None:
        return
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execve(sys.executable, command, {**os.environ, "PYTHONMALLOC": "malloc"})
    except OSError:
        return  # keep serving with Python's allocator


def send_without_delay() -> None:
    """Make the server's websockets send each message at once (TCP_NODELAY), once per process.

    Bokeh sends every message as several websocket frames (header, metadata, content,
    buffers). With Nagle's algorithm on, the frames after the first wait for the browser's
    delayed ACK, up to 40 ms on Linux and more elsewhere, before an answer to a click can be
    read. Tornado recommends switching it off for small interactive messages; Panel leaves it
    on, so the page's websocket handler is replaced by one that switches it off.
    """
    from bokeh.server.urls import per_app_patterns
    from panel.io.server import WSHandler  # importing this installs Panel's handler

    if any(getattr(handler, "_atlas_nodelay", False) for _, handler, *_ in per_app_patterns):
        return

    class NoDelayWSHandler(WSHandler):  # type: ignore[misc]
        _atlas_nodelay = True

        def open(self, *args: Any, **kwargs: Any) -> Any:
            self.set_nodelay(True)
            return super().open(*args, **kwargs)

    for i, (pattern, handler, *rest) in enumerate(per_app_patterns):
        if handler is WSHandler:
            per_app_patterns[i] = (pattern, NoDelayWSHandler, *rest)  # type: ignore[assignment]


# Bokeh's development checks a server turns off (setting, the environment variable that keeps it).
BOKEH_CHECKS = {
    "perform_error_diagnostics": "BOKEH_PERFORM_ERROR_DIAGNOSTICS",
    "perform_document_validation": "BOKEH_VALIDATE_DOC",
}


def skip_bokeh_checks(environ: dict[str, str] | None = None) -> list[str]:
    """Turn off Bokeh's development checks for this server, unless asked to keep them.

    Both run while the event loop answers no one else:

    - error diagnostics: every property callback Panel registers has its signature inspected,
      ~240 per session and ~50 ms of the time in which the server builds a session's page;
    - document validation: every new page's ~70 models are checked for layout mistakes
      (~35 ms a page), which only log warnings.

    They catch programming errors, which the in-process app tests (``tests/app``, both on)
    catch first. Setting the environment variable (``BOKEH_PERFORM_ERROR_DIAGNOSTICS``,
    ``BOKEH_VALIDATE_DOC``) keeps that check. Returns the names of the settings turned off.
    """
    from bokeh.settings import settings

    env: Any = os.environ if environ is None else environ
    skipped = [name for name, variable in BOKEH_CHECKS.items() if variable not in env]
    for name in skipped:
        getattr(settings, name).set_value(False)
    return skipped


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
    from anatomy.atlas.model import load_atlas
    from anatomy.scene.web import load_web_scene
    from anatomy.session.state import share_texts
    from anatomy.text.explainer import load_document

    atlas = load_atlas(annotations, meshes)  # runs every named check
    atlas.prefetch_zones()  # the first click should not pay for resolving zones
    share_texts(atlas.content)  # nor for rendering text that is the same for every session
    scene = load_web_scene(meshes=atlas.meshes)  # the meshes the atlas has read and checked
    doc = load_document(document) if document is not None else None
    return atlas, scene, doc


def session_app(atlas: Any, scene: Any, **options: Any) -> Any:
    """A new browser session's page, its memory looked after (``myoatlas serve``, ``app.py``).

    The session's objects leave the garbage collector's reach once its page has loaded, and
    the memory goes back to the system after it ends (:mod:`anatomy.ui.sessions`).
    ``options`` are :func:`anatomy.ui.layout.create_app`'s.
    """
    from anatomy.ui.layout import create_app
    from anatomy.ui.sessions import keep_out_of_gc_once_loaded, release_memory_when_sessions_end

    release_memory_when_sessions_end()
    keep_out_of_gc_once_loaded()
    return create_app(atlas, scene, **options)


def serve(session: Any, *, port: int, address: str, show: bool = False,
          websocket_origin: list[str] | None = None, **options: Any) -> None:
    """Serve ``session`` (a function returning a new page) until interrupted.

    Everything loaded so far (atlas, geometry, libraries) lives as long as the server, so it
    is frozen out of the garbage collector's full passes, which otherwise walk it every time.
    """
    import panel as pn

    from anatomy.ui.viewer import SERVE_OPTIONS  # gzip: the page's scripts 5.5 -> ~1.5 MB

    gc.collect()
    gc.freeze()
    send_without_delay()
    skip_bokeh_checks()
    print(f"myoatlas: serving at http://{address}:{port}/  (Ctrl+C stops)", flush=True)
    pn.serve(
        session, port=port, address=address, show=show, title="Myoatlas",
        websocket_origin=websocket_origin, verbose=False, threaded=False, **SERVE_OPTIONS,
        **options,
    )  # fmt: skip
