"""``myoatlas serve --basic-auth``: without logging in, nobody gets the atlas."""

from __future__ import annotations

import http.cookiejar
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from test_invalid_input import _free_port

REPO = Path(__file__).resolve().parents[2]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


@pytest.mark.slow
def test_basic_auth_guards_the_page_and_a_login_opens_it(tiny_files):
    annotations, meshes = tiny_files
    port = _free_port()
    env_cmd = [sys.executable, "-m", "anatomy.cli", "serve", "--port", str(port),
               "--annotations", str(annotations), "--meshes", str(meshes)]  # fmt: skip
    env = {"PANEL_BASIC_AUTH": "correct horse", "PANEL_COOKIE_SECRET": "s" * 40}
    proc = subprocess.Popen(
        env_cmd, cwd=REPO, env={**os.environ, **env}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.build_opener(_NoRedirect).open(base, timeout=5) as r:
                    status = r.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError:
                time.sleep(0.3)
                continue
            break
        assert status in (302, 303, 401, 403), status  # no page without a login
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(base + "login") as r:
            assert r.status == 200
        data = urllib.parse.urlencode({"username": "nurse", "password": "wrong"}).encode()
        with opener.open(base + "login", data=data) as r:  # back to the login form
            assert "bokeh-session-id" not in r.read().decode()
        data = urllib.parse.urlencode({"username": "nurse", "password": "correct horse"}).encode()
        with opener.open(base + "login", data=data) as r:
            assert r.status == 200
            assert '"token"' in r.read().decode()  # the atlas page with its session token
    finally:
        proc.terminate()
        proc.wait(timeout=15)
