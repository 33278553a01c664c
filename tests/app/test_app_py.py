"""``panel serve app.py`` serves the same atlas as ``myoatlas serve``, options after ``--args``."""

from __future__ import annotations

import subprocess
import sys

import pytest
from support.bench import AtlasSession, run_in_thread
from support.scripts import REPO, load_script

browser_util = load_script("tests/browser/browser_util.py")

pytestmark = pytest.mark.slow


def test_panel_serve_app_py_serves_a_working_atlas_with_its_options(tiny_files):
    annotations, meshes = tiny_files
    port = browser_util.free_port()
    cmd = [sys.executable, "-m", "panel", "serve", "app.py", "--port", str(port),
           "--address", "127.0.0.1", "--allow-websocket-origin", f"127.0.0.1:{port}",
           "--args", "--mode", "clinician", "--lock-mode",
           "--annotations", str(annotations), "--meshes", str(meshes)]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}/app"
    try:
        browser_util.wait_for_http(url, proc)

        async def session() -> tuple[str, str]:
            s = AtlasSession(url, timeout=30)
            await s.open()
            try:
                detail = s.find(name="panel.models.markup.HTML", text="selection mode-")
                await s.pick([(s.viewer, "highlight"), (detail, "text")], kind="muscle",
                             id="soleus_left", muscle="soleus", side="left")  # fmt: skip
                locked = s.find(css="mode-locked")  # no mode switch: --lock-mode reached it
                return str(s.last_values[(detail, "text")]), locked
            finally:
                await s.close()

        text, locked = run_in_thread(session)
        assert "mode-clinician" in text and "Soleus" in text, text[:300]
        assert locked
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
