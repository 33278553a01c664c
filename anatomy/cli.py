"""The ``myoatlas`` command line.

Each subcommand lives in its own module exposing ``HELP`` (one line),
``add_arguments(parser)`` and ``run(args) -> int``; modules are imported only when their
command runs, so ``myoatlas validate`` never imports Panel or mujoco.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from anatomy.errors import AtlasError

COMMANDS: dict[str, str] = {
    "serve": "anatomy.commands.serve",
    "validate": "anatomy.commands.validate",
    "lookup": "anatomy.commands.lookup",
    "mesh-report": "anatomy.commands.mesh_report",
    "render": "anatomy.commands.render",
    "build-meshes": "anatomy.meshbuild.command",
    "handout": "anatomy.commands.handout",
    "export-site": "anatomy.commands.export_site",
}

_HELP: dict[str, str] = {
    "serve": "serve the web atlas",
    "validate": "check annotations.yaml against the schema and the meshes",
    "lookup": "rank the trigger points whose referral zones cover a spot on the skin",
    "mesh-report": "measure the built geometry",
    "render": "render the atlas off-screen to a PNG",
    "build-meshes": "regenerate meshes/ from the registry sources (needs the [build] extra)",
    "handout": "write a self-contained HTML handout about one muscle (and trigger point)",
    "export-site": "write the whole atlas as static files for any web server or file://",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="myoatlas", description="A 3D atlas of myofascial trigger points."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        sub.add_parser(name, help=_HELP[name], add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``myoatlas``; return the process exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS:
        _parser().parse_args(argv)  # prints usage / help and exits
        return 2
    name, rest = argv[0], argv[1:]
    try:
        module = importlib.import_module(COMMANDS[name])
    except ModuleNotFoundError as exc:
        print(f"myoatlas {name}: needs the Python package {exc.name!r}: {exc}", file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(prog=f"myoatlas {name}", description=_HELP[name])
    module.add_arguments(parser)
    args = parser.parse_args(rest)
    try:
        return int(module.run(args) or 0)
    except AtlasError as exc:
        print(f"myoatlas {name}: error: {exc.located()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
