"""Every bench script runs to the end and prints its figures.

Each runs with small options; ``lookup`` also with its defaults. The exit status is part of
the check: ``export_sizes`` exits 1 over its limits.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def run_bench(script: str, *args: str, timeout: float = 170) -> str:
    """Run ``bench/SCRIPT`` with ``args``; its output, or a failure that shows it."""
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / script), *args],
        cwd=REPO, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    out = proc.stdout + proc.stderr
    command = " ".join([script, *args])
    assert proc.returncode == 0, f"{command} exited {proc.returncode}:\n{out[-3000:]}"
    return out


def test_load_atlas_small():
    out = run_bench("load_atlas.py", "--repeat", "1")
    assert "ms" in out and "RSS" in out, out[-800:]


@pytest.mark.parametrize("args", [(), ("--n", "3")], ids=["default", "small"])
def test_lookup(args):
    out = run_bench("lookup.py", *args)
    assert "p95" in out, out[-800:]


def test_export_sizes_small(tmp_path):
    out = run_bench("export_sizes.py", "--out", str(tmp_path / "site"), "--muscles", "1")
    assert "MB" in out, out[-800:]


def test_needle_depths():
    out = run_bench("needle_depths.py", "--side", "left")
    assert "verdicts (" in out and "rhomboids/major" in out and "doi:" in out, out[-800:]


def test_server_profile_small():
    out = run_bench("server_profile.py", "--rounds", "1", "--no-profile")
    assert "ms" in out, out[-800:]
