"""The atlas page in a real browser: it draws, stays offline, and search/list/3D select muscles."""

from __future__ import annotations

import re

import apphelp
from browser_util import canvas_pixel_stats


def test_page_draws_the_body_and_nothing_leaves_localhost(page, serve_app):
    url = serve_app(*apphelp.ATLAS_ARGS)
    apphelp.open_app(page, url)
    stats = canvas_pixel_stats(page.locator("canvas").first.screenshot())
    assert stats["foreground_fraction"] > 0.05, stats  # not a blank canvas
    assert stats["distinct_colours"] > 20, stats
    page.wait_for_function("() => location.search.includes('mode=patient')")
    apphelp.wait_for_text(page, "Search for a muscle")
    assert page.external_requests == []  # type: ignore[attr-defined]
    errors = [e for e in page.console_errors if "GL Driver Message" not in e]  # type: ignore[attr-defined]
    assert errors == []
    # The page's own modules load with the browser's import(), without es-module-shims or
    # transpiling, and Bokeh's WebGL plot bundle stays out (anatomy.ui.pagescripts): the
    # viewer drew above, so they loaded.
    scripts = page.evaluate("performance.getEntriesByType('resource').map((e) => e.name)")
    assert not [s for s in scripts if "es-module-shims" in s or "bokeh-gl" in s], scripts
    assert [s for s in scripts if s.endswith("/viewer.js")], scripts  # the module, as written


def test_search_by_name_selects_the_muscle_and_the_text_changes(page, serve_app):
    content = apphelp.content()
    muscle, _ = apphelp.example(content)
    url = serve_app(*apphelp.ATLAS_ARGS)
    apphelp.open_app(page, url)
    before = apphelp.panel_text(page)
    box = page.locator(".muscle-search input")
    box.click()
    box.type(muscle.patient_name[:-1].upper(), delay=20)  # case-insensitive, partial
    page.locator(".bk-menu").first.wait_for(state="visible")
    box.press("Enter")
    page.wait_for_function(f"() => location.search.includes('muscle={muscle.id}')")
    after = apphelp.wait_for_text(page, "common trigger point")
    assert after != before
    assert muscle.patient_name.lower() in after.lower()
    assert re.search(r"common trigger point", after)


def test_the_region_list_and_a_click_in_3d_select_muscles(page, serve_app):
    content = apphelp.content()
    first, second = content.muscles[0], content.muscles[-1]
    url = serve_app(*apphelp.ATLAS_ARGS)
    apphelp.open_app(page, url, "mode=student")
    page.locator(".muscle-list select").select_option(
        label=first.common_name[:1].upper() + first.common_name[1:]
    )
    page.wait_for_function(f"() => location.search.includes('muscle={first.id}')")
    apphelp.wait_for_text(page, first.latin)

    mesh_id = f"{second.meshes[0]}_left"
    point = page.evaluate(f"() => window.__myoatlas.viewers[0].findScreenPoint('{mesh_id}')")
    assert point is not None, f"{mesh_id} is not visible in the default view"
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function(f"() => location.search.includes('muscle={second.id}')")
    assert "side=left" in page.url
    apphelp.wait_for_text(page, second.latin)
    # The click was answered in the browser at once: one render with the highlight and the
    # markers, and the server's answer (the same values) drew nothing more.
    events = page.evaluate("() => window.__myoatlas.viewers[0].events")
    after_click = [e for e in events if "sinceClick" in e]
    assert after_click and after_click[0]["what"] == "highlight+markers", events
    assert not [e for e in after_click[1:] if "highlight" in e["what"] or "markers" in e["what"]]


def test_the_layers_card_opens_inside_the_sidebar_with_its_controls_in_reach(page, serve_app):
    url = serve_app(*apphelp.ATLAS_ARGS)
    apphelp.open_app(page, url)
    assert page.locator(".layer-skin").count() == 0  # closed: its widgets are not made yet
    apphelp.open_layers(page)
    sidebar = page.locator(".sidebar").first.bounding_box()
    card = page.locator(".layers-card").first.bounding_box()
    assert sidebar is not None and card is not None
    right = sidebar["x"] + sidebar["width"] + 1
    assert card["x"] + card["width"] <= right, (card, sidebar)
    # Every slider's handle (at 1.0 for the skeleton) and every preset button can be reached;
    # a patient is offered no lungs-and-pleura slider.
    handles = [h for h in page.locator(".noUi-handle").all() if h.is_visible()]
    assert len(handles) == 3
    for handle in handles:
        box = handle.bounding_box()
        assert box is not None and box["x"] + box["width"] <= right, box
    for preset in ("anterior", "posterior", "left", "right", "focus"):
        box = page.locator(f".cam-{preset} button").bounding_box()
        assert box is not None and box["x"] + box["width"] <= right, (preset, box)
    page.locator(".layer-skeleton input").click()
    page.wait_for_function("() => location.search.includes('layers=skin,muscles')")
