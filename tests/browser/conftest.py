"""Real-browser fixtures: Debian Chromium driven by Playwright, the app served on loopback.

Chromium must be at ``/usr/bin/chromium`` (``.ci/run`` installs Debian's ``chromium``). When
it is missing these tests fail — they never skip — so a CI without a browser is red.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from browser_util import free_port, wait_for_http

CHROMIUM = os.environ.get("MYOATLAS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
REPO = Path(__file__).resolve().parents[2]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    b = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield b
    b.close()


def _is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about", "file"):  # file://: exported pages on disk
        return True
    return (parsed.hostname or "") in LOCAL_HOSTS


@pytest.fixture
def new_page(browser):  # type: ignore[no-untyped-def]
    """A factory for pages in fresh contexts; non-local requests are aborted and recorded."""
    contexts = []

    def make(**context_kwargs):  # type: ignore[no-untyped-def]
        context = browser.new_context(
            **{"viewport": {"width": 1400, "height": 900}, **context_kwargs}
        )
        contexts.append(context)
        page = context.new_page()
        page.external_requests = []  # type: ignore[attr-defined]

        def route(r):  # type: ignore[no-untyped-def]
            if _is_local(r.request.url):
                r.continue_()
            else:
                page.external_requests.append(r.request.url)  # type: ignore[attr-defined]
                r.abort()

        context.route("**/*", route)
        page.console_errors = []  # type: ignore[attr-defined]
        page.on(
            "console",
            lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None,  # type: ignore[attr-defined]
        )
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):  # type: ignore[no-untyped-def]
    return new_page()


@pytest.fixture(scope="session")
def serve_app() -> Iterator[Callable[..., str]]:
    """Start ``myoatlas serve`` with the given CLI args (once per distinct args); return its URL."""
    servers: dict[tuple[str, ...], tuple[subprocess.Popen, str]] = {}

    def start(*args: str) -> str:
        if args in servers:
            return servers[args][1]
        port = free_port()
        cmd = [sys.executable, "-m", "anatomy.cli", "serve", "--port", str(port), *args]
        proc = subprocess.Popen(
            cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        url = f"http://127.0.0.1:{port}/"
        wait_for_http(url, proc)
        servers[args] = (proc, url)
        return url

    yield start
    for proc, _ in servers.values():
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
