"""Helpers for the browser tests (imported by name: `from browser_util import ...`)."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def viewer_app_server(meshes: str) -> Iterator[str]:
    """The viewer test app (``viewer_app.make_app``) of ``meshes``, served on a thread; its URL."""
    import panel as pn
    import viewer_app

    pn.extension()
    port = free_port()
    server = pn.serve({"/": lambda: viewer_app.make_app(meshes)}, port=port,
                      address="127.0.0.1", threaded=True, show=False)  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # until the port accepts connections (no session yet)
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    else:
        pytest.fail(f"the viewer app did not start on port {port}")
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.stop()


def wait_for_http(url: str, proc: subprocess.Popen, timeout: float = 90.0) -> None:
    """Wait until ``url`` answers 200, failing early if the server process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read() if proc.stdout else ""
            pytest.fail(f"server exited with {proc.returncode} before answering:\n{out}")
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    pytest.fail(f"server did not answer {url} within {timeout} s")


def canvas_pixel_stats(png_bytes: bytes) -> dict[str, float]:
    """Share of non-background pixels and number of distinct colours in a screenshot."""
    import io

    import numpy as np
    from PIL import Image

    img = np.asarray(Image.open(io.BytesIO(png_bytes)).convert("RGB")).reshape(-1, 3)
    background = np.median(img[: max(1, len(img) // 50)], axis=0)
    differs = np.abs(img.astype(int) - background.astype(int)).sum(axis=1) > 30
    colours = len(np.unique(img // 16, axis=0))
    return {"foreground_fraction": float(differs.mean()), "distinct_colours": float(colours)}
