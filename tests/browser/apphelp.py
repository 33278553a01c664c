"""Helpers for the atlas app's browser tests: open the page, read the canvas, find colours."""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np

from anatomy.content.load import load_content

# Extra `myoatlas serve` arguments, e.g. "--annotations A --meshes M" to test another atlas.
ATLAS_ARGS: tuple[str, ...] = tuple(os.environ.get("MYOATLAS_TEST_ATLAS_ARGS", "").split())
READY = (
    "() => window.__myoatlas && window.__myoatlas.viewers.length > 0"
    " && window.__myoatlas.viewers[0].ready"
)


def annotations_path() -> Path | None:
    if "--annotations" in ATLAS_ARGS:
        return Path(ATLAS_ARGS[ATLAS_ARGS.index("--annotations") + 1])
    return None


def content():  # type: ignore[no-untyped-def]
    """The content the served app shows."""
    return load_content(annotations_path())


def example(content):  # type: ignore[no-untyped-def]
    """A muscle and a trigger point with both zones, for tests that need one."""
    for muscle, tp in content.trigger_points():
        if tp.spillover:
            return muscle, tp
    return next(iter(content.trigger_points()))


def open_app(page, base_url: str, query: str = ""):  # type: ignore[no-untyped-def]
    """Open the app and wait for the first 3D frame."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(base_url + (f"?{query}" if query else ""))
    try:
        page.wait_for_function(READY, timeout=90_000)
    except PlaywrightTimeout:
        errors = getattr(page, "console_errors", [])
        raise AssertionError(
            f"the 3D view never drew its first frame; console errors: {errors}"
        ) from None
    page.wait_for_timeout(300)
    return page


def canvas_rgb(page) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The 3D canvas as an (h, w, 3) uint8 array."""
    from PIL import Image

    png = page.locator("canvas").first.screenshot()
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def zone_mask(rgb: np.ndarray) -> np.ndarray:
    """Pixels in the essential-zone orange (strong red, some green, almost no blue)."""
    r, g, b = (rgb[..., i].astype(int) for i in range(3))
    return (r > 150) & (g > 40) & (g < 140) & (b < 50)


def rendered_count(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.evaluate("() => window.__myoatlas.viewers[0].renders"))


def wait_renders(page, before: int, timeout: float = 10_000) -> None:  # type: ignore[no-untyped-def]
    """Wait until the viewer has drawn at least one more frame than ``before``."""
    page.wait_for_function(
        f"() => window.__myoatlas.viewers[0].renders > {before}", timeout=timeout
    )
    page.wait_for_timeout(150)


def panel_text(page, include_hidden: bool = False) -> str:  # type: ignore[no-untyped-def]
    """The page's text, including inside Panel's shadow roots (hidden parts only on request)."""
    return page.evaluate(
        """(hidden) => { const out = [];
        const walk = (root) => {
          for (const el of root.children) {
            if (['STYLE', 'LINK', 'SCRIPT'].includes(el.tagName)) continue;
            if (!hidden && !el.checkVisibility({checkVisibilityCSS: true})) continue;
            out.push(el.innerText || '');
          }
          for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
        };
        walk(document.body); return out.join('\\n'); }""",
        include_hidden,
    )


def settle(page, quiet_ms: int = 400, timeout_ms: int = 10_000) -> None:  # type: ignore[no-untyped-def]
    """Wait until the viewer has drawn no new frame for ``quiet_ms``."""
    waited, last = 0, rendered_count(page)
    quiet = 0
    while waited < timeout_ms and quiet < quiet_ms:
        page.wait_for_timeout(100)
        waited += 100
        now = rendered_count(page)
        quiet = 0 if now != last else quiet + 100
        last = now


def wait_for_text(page, needle: str, timeout_ms: int = 20_000, hidden: bool = False) -> str:  # type: ignore[no-untyped-def]
    """Poll the page's text until it contains ``needle``; return the text (fails on timeout)."""
    waited, text = 0, ""
    while waited <= timeout_ms:
        text = panel_text(page, include_hidden=hidden)
        if needle in text:
            return text
        page.wait_for_timeout(200)
        waited += 200
    raise AssertionError(
        f"{needle!r} did not appear within {timeout_ms} ms; page text ends:\n{text[-600:]}"
    )


def open_layers(page, tap: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Open the "Layers and view" card (it starts closed; its controls are made on opening)."""
    if page.locator(".cam-anterior button").count():
        return  # open already
    header = page.locator(".layers-card .card-header").first
    header.tap() if tap else header.click()
    page.locator(".cam-anterior button").wait_for(timeout=10_000)
