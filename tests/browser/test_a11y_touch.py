"""Phone and tablet: touch emulation, no horizontal scrolling, the 3D view on top, taps select.

Set ``MYOATLAS_SCREENSHOT_DIR=docs`` to write ``screenshot-phone.png`` and
``screenshot-tablet.png`` there.
"""

from __future__ import annotations

import os
from pathlib import Path

import a11yhelp
import apphelp
import pytest
from browser_util import canvas_pixel_stats

SIZES = {"phone": (390, 844), "tablet": (820, 1180)}


def _screenshot(page, device: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("MYOATLAS_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"screenshot-{device}.png"))


def _tap_point(page, actor_id: str):  # type: ignore[no-untyped-def]
    """A screen point of ``actor_id``, turning the body with tapped preset buttons if needed."""
    for preset in (None, "anterior", "posterior", "left", "right"):
        if preset:
            apphelp.open_layers(page, tap=True)
            page.locator(f".cam-{preset} button").tap()  # scrolls the page to the button
            apphelp.settle(page)
        page.evaluate("() => window.scrollTo(0, 0)")  # the view is at the top
        page.wait_for_timeout(200)
        point = page.evaluate(f"() => window.__myoatlas.viewers[0].findScreenPoint('{actor_id}')")
        if point:
            return point
    raise AssertionError(f"{actor_id} is hidden from every preset view")


@pytest.mark.parametrize("device", list(SIZES))
def test_touch_device_layout_and_tap_selection(new_page, serve_app, device: str) -> None:
    width, height = SIZES[device]
    content = apphelp.content()
    muscle, tp = apphelp.example(content)
    other = next(m for m in reversed(content.muscles) if m.id != muscle.id)
    url = serve_app(*apphelp.ATLAS_ARGS)
    page = new_page(viewport={"width": width, "height": height}, has_touch=True, is_mobile=True)
    apphelp.open_app(page, url, f"mode=student&muscle={muscle.id}&side=right")
    page.wait_for_function(f"() => innerWidth === {width}", timeout=10_000)  # viewport meta
    apphelp.settle(page)

    # No horizontal scrolling; the 3D view spans the width, on top of the text.
    scroll_width, inner_width = page.evaluate(
        "() => [document.scrollingElement.scrollWidth, innerWidth]"
    )
    assert scroll_width <= inner_width == width
    canvas = page.locator("canvas").first.bounding_box()
    tabs = page.locator(".text-tabs").first.bounding_box()
    assert canvas is not None and tabs is not None
    assert canvas["width"] >= 0.9 * width
    assert canvas["y"] + canvas["height"] <= tabs["y"] + 1  # the view above the text
    stats = canvas_pixel_stats(page.locator("canvas").first.screenshot())
    assert stats["foreground_fraction"] > 0.05 and stats["distinct_colours"] > 20, stats

    # Finger-sized controls, those of the layers card included.
    apphelp.open_layers(page, tap=True)
    page.evaluate("() => window.scrollTo(0, 0)")
    assert page.locator(".layer-skin").count() == 1
    small = page.evaluate(a11yhelp.SMALL_TARGETS)
    assert small == [], small

    # Tap a trigger-point marker, then tap another muscle.
    point = _tap_point(page, f"{muscle.id}:{tp.id}")
    page.touchscreen.tap(point["x"], point["y"])
    page.wait_for_function(f"() => location.search.includes('tp={tp.id}')")
    apphelp.settle(page)
    if device == "phone":
        _screenshot(page, device)
    point = _tap_point(page, f"{other.meshes[0]}_left")
    page.touchscreen.tap(point["x"], point["y"])
    page.wait_for_function(f"() => location.search.includes('muscle={other.id}')")
    assert "side=left" in page.url
    if device == "tablet":
        _screenshot(page, device)
    assert page.external_requests == []  # type: ignore[attr-defined]
