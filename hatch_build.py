"""Editable installs from a checkout get the exact versions in ``constraints.txt``.

``pyproject.toml`` keeps ranges, so a wheel built for embedding the package stays flexible.
An editable install (``pip install -e .``) is someone running this checkout: the app or the
test suite. It gets every pinned version the suite last passed with, added to the wheel's
metadata as exact requirements (test-only pins behind ``extra == "test"``). Set
``MYOATLAS_UNPINNED=1`` to resolve the ranges instead (``tools/refresh_pins.py`` does).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PINS = "constraints.txt"
_SECTION = "# extra: "


def pinned_requirements(text: str) -> list[str]:
    """Requirement strings for the pins in a constraints file.

    Lines after a ``# extra: NAME`` comment are pinned for that extra only.
    """
    extra = None
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith(_SECTION):
            extra = line[len(_SECTION):].strip() or None
            continue
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        out.append(f'{line} ; extra == "{extra}"' if extra else line)
    return out


class PinsHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version != "editable" or os.environ.get("MYOATLAS_UNPINNED"):
            return
        pins = Path(self.root) / PINS
        if pins.is_file():
            build_data["dependencies"].extend(pinned_requirements(pins.read_text()))
