"""Refresh ``constraints.txt``: resolve ``pyproject.toml``'s ranges afresh and pin the result.

Usage::

    python3 tools/refresh_pins.py            # write constraints.txt, then run the test suite
    python3 tools/refresh_pins.py --no-test  # write it only

pip resolves the project's dependencies (and those of its ``test`` extra) without installing
anything (``pip install --dry-run --report``), ignoring both what is installed and the current
pins. The newest versions the ranges allow are written as exact pins; packages needed by the
``test`` extra alone go under ``# extra: test``. Editable installs of this checkout install
exactly these versions (``hatch_build.py``). Commit the file only after the suite passes on it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PINS = REPO / "constraints.txt"
PROJECT = "myoatlas"


def resolve(target: str) -> dict[str, str]:
    """``{name: version}`` of what pip would install for ``target`` in an empty environment."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--dry-run", "--ignore-installed",
             "--report", str(report), "-e", target],
            cwd=REPO, check=True, env={**os.environ, "MYOATLAS_UNPINNED": "1"},
        )  # fmt: skip
        installs = json.loads(report.read_text())["install"]
    return {
        item["metadata"]["name"]: item["metadata"]["version"]
        for item in installs
        if item["metadata"]["name"].lower() != PROJECT
    }


def render(runtime: dict[str, str], full: dict[str, str]) -> str:
    """The constraints file: runtime pins, then the ``test`` extra's own."""
    def lines(names: set[str]) -> list[str]:
        return [f"{name}=={full[name]}" for name in sorted(names, key=str.lower)]

    head = [
        "# Exact versions the test suite passed with; editable installs of this checkout use them",
        "# (hatch_build.py). Refresh with: python3 tools/refresh_pins.py",
        f"# Resolved for Python {platform.python_version()} on {platform.system()} "
        f"{platform.machine()}.",
    ]
    test_only = set(full) - set(runtime)
    return "\n".join([*head, *lines(set(runtime)), "# extra: test", *lines(test_only)]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-test", action="store_true", help="write the pins, run no tests")
    args = parser.parse_args(argv)
    runtime = resolve(".")
    full = resolve(".[test]")
    PINS.write_text(render(runtime, full))
    print(f"wrote {PINS.relative_to(REPO)}: {len(full)} pins ({len(runtime)} runtime)")
    if args.no_test:
        return 0
    return subprocess.run(["bash", str(REPO / "tools" / "run-tests")], cwd=REPO).returncode


if __name__ == "__main__":
    sys.exit(main())
