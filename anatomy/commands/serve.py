"""``myoatlas serve``: validate the atlas, then serve the web app (offline, loopback by default).

The content and meshes are loaded and cross-checked once, before the server starts; if they
are invalid the command prints the located problems and exits with status 2 instead of
serving a broken atlas. All sessions share the loaded atlas and the packed browser geometry.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from anatomy.errors import AtlasError
from anatomy.frame import MODES

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


def run(args: argparse.Namespace) -> int:
    """Validate, then serve until interrupted; 2 when the atlas is invalid."""
    from anatomy.ui import server

    if not 1 <= args.port <= 65535:
        raise AtlasError(f"--port must be between 1 and 65535, not {args.port}")
    options = server_options(args)
    server.use_system_allocator()  # before anything is loaded: the restart starts afresh
    try:
        atlas, scene, document = server.prepare(args.annotations, args.meshes, args.document)
    except AtlasError as exc:
        print(f"myoatlas serve: the atlas is invalid, not starting:\n{exc}", file=sys.stderr)
        return 2

    def session() -> Any:
        return server.session_app(
            atlas, scene, mode=args.mode, document=document,
            lock_mode=getattr(args, "lock_mode", False),
        )  # fmt: skip

    server.serve(session, port=args.port, address=args.address, show=args.show,
                 websocket_origin=websocket_origins(args), **options)  # fmt: skip
    return 0
