"""The session benches (load, server-side and in the browser) run with small options.

Their defaults take minutes (``load.py``: 20 sessions for 60 s); these runs keep every other
option at its default, and ``app_bench`` runs a round count that once broke it (6).
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from support.scripts import load_script
from test_bench_quick import REPO, run_bench

browser_util = load_script("tests/browser/browser_util.py")

pytestmark = pytest.mark.slow


def test_load_small():
    # The latency target is the bench's figure to meet, not this test's: the suite runs it
    # beside other work. Errors and the memory check still count.
    out = run_bench("load.py", "--sessions", "2", "--duration", "4", "--ramp", "1",
                    "--think", "0.2", "0.5", "--settle", "15",
                    "--target-p95-ms", "60000")  # fmt: skip
    errors = re.search(r"errors\D*(\d+)", out)
    assert errors and errors.group(1) == "0", out[-1500:]


def test_app_bench_with_a_round_count_that_once_broke_it():
    # The baseline (Panel's VTK pane) takes two minutes even at one round: left out here.
    out = run_bench("app_bench.py", "--rounds", "6", "--warm-loads", "1", "--no-baseline")
    assert "first frame, cold server" in out, out[-1500:]


def test_ab_first_frame_small():
    port = browser_util.free_port()
    cmd = [sys.executable, "-m", "anatomy.cli", "serve", "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        browser_util.wait_for_http(url, proc)
        out = run_bench("ab_first_frame.py", url, url, "--loads", "1")
        assert "median" in out, out[-800:]
    finally:
        proc.terminate()
        proc.wait(timeout=20)
