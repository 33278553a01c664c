"""The scale-out setup of ``deploy/``: nginx in front of two app processes, on loopback.

Starts Debian's nginx (``.ci/run`` installs it) and two ``myoatlas serve`` processes of the
synthetic atlas through ``deploy/run.py``'s :class:`Deployment`, then completes a browser
session through nginx: the page draws, the websocket is upgraded, a click selects a muscle.
"""

from __future__ import annotations

import shutil
import urllib.request
from pathlib import Path
from types import ModuleType

import apphelp
import pytest
from browser_util import canvas_pixel_stats, free_port
from support.scripts import load_script
from synthetic_atlas import write_atlas

pytestmark = pytest.mark.slow


def _deploy_module() -> ModuleType:
    return load_script("deploy/run.py", name="myoatlas_deploy")


@pytest.fixture(scope="module")
def deployment(tiny_files, tmp_path_factory):  # type: ignore[no-untyped-def]
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        pytest.fail("nginx not found: install Debian's nginx package (.ci/run does)")
    deploy = _deploy_module()
    root = tmp_path_factory.mktemp("deploy")
    annotations, meshes = tiny_files
    first = free_port()
    while first + 1 > 65535 or not _free(first + 1):
        first = free_port()
    running = deploy.Deployment(
        2, f"127.0.0.1:{free_port()}", first, [], root / "run",
        ["--annotations", str(annotations), "--meshes", str(meshes)],
    )  # fmt: skip
    with running:
        yield running


def _free(port: int) -> bool:
    import socket

    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def test_a_browser_session_through_nginx_draws_and_selects(deployment, page):
    assert all(proc.poll() is None for proc in deployment.apps) and len(deployment.apps) == 2
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    apphelp.open_app(page, deployment.url, "mode=student")
    stats = canvas_pixel_stats(page.locator("canvas").first.screenshot())
    assert stats["foreground_fraction"] > 0.05, stats
    point = page.evaluate("() => window.__myoatlas.viewers[0].findScreenPoint('soleus_left')")
    assert point is not None
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function("() => location.search.includes('muscle=soleus')")
    apphelp.wait_for_text(page, "Musculus soleus")
    assert page.external_requests == []  # type: ignore[attr-defined]
    # The session's websocket went through nginx (the access log has it once it closes).
    assert sockets and all(url.startswith(deployment.url.replace("http", "ws")) for url in sockets)


def test_static_assets_are_gzipped_and_both_processes_answer(deployment):
    with urllib.request.urlopen(deployment.url) as response:
        page = response.read().decode()
    script = next(
        part.split('"')[0] for part in page.split('src="')[1:] if "bokeh" in part.split('"')[0]
    )
    request = urllib.request.Request(deployment.url + script, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "gzip"
    for port in deployment.ports:  # each backend is a working app by itself
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
            assert response.status == 200


def test_the_launcher_refuses_an_invalid_atlas(tmp_path):
    deploy = _deploy_module()
    annotations, meshes = write_atlas(tmp_path / "atlas")
    annotations.write_text(annotations.read_text().replace("region: leg", "region: tail", 1))
    broken = deploy.Deployment(
        1, f"127.0.0.1:{free_port()}", free_port(), [], tmp_path / "run",
        ["--annotations", str(annotations), "--meshes", str(meshes)],
    )  # fmt: skip
    with pytest.raises(RuntimeError, match="not starting"):
        broken.start()
    assert broken.nginx is None and all(p.poll() is not None for p in broken.apps)
