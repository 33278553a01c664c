"""``panel serve app.py`` serves the same atlas as ``myoatlas serve``, options after ``--args``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from synthetic_atlas import write_atlas

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO / "bench"), str(REPO / "tests" / "browser")]
from bokeh_session import AtlasSession, run_in_thread  # noqa: E402
from browser_util import free_port, wait_for_http  # noqa: E402

pytestmark = pytest.mark.slow


def test_panel_serve_app_py_serves_a_working_atlas_with_its_options(tmp_path):
    annotations, meshes = write_atlas(tmp_path)
    port = free_port()
    cmd = [sys.executable, "-m", "panel", "serve", "app.py", "--port", str(port),
           "--address", "127.0.0.1", "--allow-websocket-origin", f"127.0.0.1:{port}",
           "--args", "--mode", "clinician", "--lock-mode",
           "--annotations", str(annotations), "--meshes", str(meshes)]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}/app"
    try:
        wait_for_http(url, proc)

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
