"""``myoatlas serve``: validate the atlas, then serve the web app (offline, loopback by default).

The content and meshes are loaded and cross-checked once, before the server starts; if they
are invalid the command prints the located problems and exits with status 2 instead of
serving a broken atlas. All sessions share the loaded atlas and the packed browser geometry.
"""

from __future__ import annotations

import argparse
import functools
import os
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
    add_deployment_arguments(parser)


# Secrets may come from Panel's environment variables instead of the command line (where
# other users of the machine could read them in the process list).
_AUTH_OPTIONS = (  # option, Panel's environment variable, help
    ("--basic-auth", "PANEL_BASIC_AUTH",
     "one password for everyone, or a JSON file of user: password (Panel's basic auth)"),
    ("--cookie-secret", "PANEL_COOKIE_SECRET", "secret that signs the login cookies"),
    ("--oauth-provider", "PANEL_OAUTH_PROVIDER", "OAuth provider (e.g. generic, azure, google)"),
    ("--oauth-key", "PANEL_OAUTH_KEY", "OAuth client id"),
    ("--oauth-secret", "PANEL_OAUTH_SECRET", "OAuth client secret"),
    ("--oauth-redirect-uri", "PANEL_OAUTH_REDIRECT_URI", "OAuth redirect URI"),
    ("--oauth-encryption-key", "PANEL_OAUTH_ENCRYPTION", "key that encrypts OAuth tokens"),
)  # fmt: skip


def add_deployment_arguments(parser: argparse.ArgumentParser) -> None:
    """Options for running behind a proxy, locked to one mode, or behind a login."""
    parser.add_argument(
        "--lock-mode", action="store_true",
        help="keep --mode for every session: no mode switch, a link's mode= is ignored",
    )  # fmt: skip
    parser.add_argument(
        "--allow-websocket-origin", action="append", default=[], metavar="HOST[:PORT]",
        help="a further origin allowed to open sessions (the proxy's host:port); repeatable",
    )  # fmt: skip
    parser.add_argument(
        "--use-xheaders", action="store_true",
        help="trust X-Forwarded-For/-Proto from a reverse proxy (nginx)",
    )  # fmt: skip
    parser.add_argument(
        "--unused-session-lifetime", type=int, metavar="MS",
        help="free a session this long after its browser left (Bokeh's default 15000)",
    )  # fmt: skip
    parser.add_argument(
        "--check-unused-sessions", type=int, metavar="MS",
        help="how often to look for sessions to free (Bokeh's default 17000)",
    )  # fmt: skip
    for option, env, text in _AUTH_OPTIONS:
        parser.add_argument(option, default=os.environ.get(env), help=f"{text} (or ${env})")


def server_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments for ``panel.serve`` that ``args`` ask for (auth, proxy).

    Raises
    ------
    AtlasError
        If a login option is given without what it needs.
    """
    opts: dict[str, Any] = {}
    for option, _env, _text in _AUTH_OPTIONS:
        value = getattr(args, option[2:].replace("-", "_"), None)
        if value:
            opts[option[2:].replace("-", "_")] = value
    if opts.get("oauth_provider") and not (opts.get("oauth_key") and opts.get("oauth_secret")):
        raise AtlasError("--oauth-provider needs --oauth-key and --oauth-secret")
    if opts.get("basic_auth") and opts.get("oauth_provider"):
        raise AtlasError("choose --basic-auth or --oauth-provider, not both")
    if (opts.get("basic_auth") or opts.get("oauth_provider")) and not opts.get("cookie_secret"):
        raise AtlasError("a login (--basic-auth or --oauth-provider) needs --cookie-secret")
    if getattr(args, "use_xheaders", False):
        opts["use_xheaders"] = True
    for name in ("unused_session_lifetime", "check_unused_sessions"):
        value = getattr(args, name, None)
        if value is not None:
            if value < 100:
                raise AtlasError(f"--{name.replace('_', '-')} is in milliseconds: at least 100")
            opts[f"{name}_milliseconds"] = value
    return opts


def websocket_origins(args: argparse.Namespace) -> list[str]:
    """Origins allowed to open a session: this server's own addresses and the proxy's."""
    own = [f"{args.address}:{args.port}", f"localhost:{args.port}", f"127.0.0.1:{args.port}"]
    extra = list(getattr(args, "allow_websocket_origin", None) or [])
    return list(dict.fromkeys(own + extra))


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

    environ = os.environ if environ is None else environ
    skipped = [name for name, variable in BOKEH_CHECKS.items() if variable not in environ]
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
    scene = load_web_scene(meshes)
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


def run(args: argparse.Namespace) -> int:
    """Validate, then serve until interrupted; 2 when the atlas is invalid."""
    if not 1 <= args.port <= 65535:
        raise AtlasError(f"--port must be between 1 and 65535, not {args.port}")
    options = server_options(args)
    use_system_allocator()  # before anything is loaded: the restart starts afresh
    try:
        atlas, scene, document = prepare(args.annotations, args.meshes, args.document)
    except AtlasError as exc:
        print(f"myoatlas serve: the atlas is invalid, not starting:\n{exc}", file=sys.stderr)
        return 2

    import panel as pn

    from anatomy.ui.viewer import SERVE_OPTIONS  # gzip: the page's scripts 5.5 -> ~1.5 MB

    def session() -> Any:
        return session_app(
            atlas, scene, mode=args.mode, document=document,
            lock_mode=getattr(args, "lock_mode", False),
        )  # fmt: skip

    # Everything loaded so far (atlas, geometry, libraries) lives as long as the server:
    # keep it out of the garbage collector's full passes, which otherwise walk it every time.
    import gc

    gc.collect()
    gc.freeze()
    send_without_delay()
    skip_bokeh_checks()
    origins = websocket_origins(args)
    print(f"myoatlas: serving at http://{args.address}:{args.port}/  (Ctrl+C stops)", flush=True)
    pn.serve(
        session, port=args.port, address=args.address, show=args.show, title="Myoatlas",
        websocket_origin=origins, verbose=False, threaded=False, **SERVE_OPTIONS, **options,
    )  # fmt: skip
    return 0
