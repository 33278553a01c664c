"""Trigger points paint their zones; "where does it hurt?" on the skin lists muscles."""

from __future__ import annotations

import apphelp
import numpy as np
import pytest
from scipy import ndimage

MIN_ZONE_PIXELS = 40


def _show_zone(page) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Turn the body to whichever preset shows the most essential-zone pixels; return them."""
    best = None
    apphelp.open_layers(page)
    for preset in ("anterior", "posterior", "left", "right"):
        page.locator(f".cam-{preset} button").click()
        apphelp.settle(page)
        mask = apphelp.zone_mask(apphelp.canvas_rgb(page))
        if best is None or mask.sum() > best[1].sum():
            best = (preset, mask)
    assert best is not None
    if best[0] != "right":
        page.locator(f".cam-{best[0]} button").click()
        apphelp.settle(page)
    return best[1]


def test_clicking_a_trigger_point_in_the_list_paints_its_zone(page, serve_app):
    muscle, tp = apphelp.example(apphelp.content())
    url = serve_app(*apphelp.ATLAS_ARGS)
    apphelp.open_app(page, url, f"mode=student&muscle={muscle.id}&side=right")
    unpainted = _show_zone(page)
    assert unpainted.sum() < MIN_ZONE_PIXELS  # no zone before the click
    n = apphelp.rendered_count(page)
    page.locator(f".tp-{tp.id} button").click()
    apphelp.wait_renders(page, n)
    page.wait_for_function(f"() => location.search.includes('tp={tp.id}')")
    # the browser painted the zones at the click, before the server's answer (which also
    # turns the camera and marks the marker, in one later render)
    events = page.evaluate("() => window.__myoatlas.viewers[0].events")
    after_click = [e for e in events if "sinceClick" in e]
    assert after_click and after_click[0]["what"] == "zone_essential+zone_spillover", events
    painted = _show_zone(page)
    assert painted.sum() > MIN_ZONE_PIXELS, painted.sum()
    text = apphelp.wait_for_text(page, tp.name)
    assert "Essential zone" in text  # legend and the trigger point's text


def test_where_does_it_hurt_lists_the_muscles_for_a_spot_on_the_skin(page, serve_app):
    muscle, tp = apphelp.example(apphelp.content())
    url = serve_app(*apphelp.ATLAS_ARGS)
    # Paint a zone so we know a spot that some muscle refers to, then click inside it.
    apphelp.open_app(page, url, f"mode=patient&muscle={muscle.id}&side=right&tp={tp.id}")
    mask = _show_zone(page)
    assert mask.sum() > MIN_ZONE_PIXELS
    # The painted pixel furthest from the zone's edge (a zone may be a ring or several discs).
    depth = ndimage.distance_transform_edt(mask)
    y, x = np.unravel_index(int(np.argmax(depth)), depth.shape)
    box = page.locator("canvas").first.bounding_box()
    page.locator(".where-toggle button").click()
    page.wait_for_function("() => window.__myoatlas.viewers[0].picks !== undefined")
    page.wait_for_timeout(300)
    page.mouse.click(box["x"] + float(x), box["y"] + float(y))
    page.locator(".hit-button button").first.wait_for(state="visible", timeout=15_000)
    labels = page.locator(".hit-button button").all_inner_texts()
    assert any(muscle.common_name.lower() in label.lower() for label in labels), labels
    apphelp.wait_for_text(page, labels[0].split(". ", 1)[1].split(" (")[0])  # hits are listed
    # choosing a result selects it
    chosen = next(
        j for j, label in enumerate(labels) if muscle.common_name.lower() in label.lower()
    )
    page.locator(".hit-button button").nth(chosen).click()
    page.wait_for_function(f"() => location.search.includes('muscle={muscle.id}')")


def test_clicking_a_trigger_point_marker_in_3d_selects_it(page, serve_app):
    muscle, tp = apphelp.example(apphelp.content())
    url = serve_app(*apphelp.ATLAS_ARGS)
    apphelp.open_app(page, url, f"mode=clinician&muscle={muscle.id}&side=right")
    marker = f"{muscle.id}:{tp.id}"
    point = None
    apphelp.open_layers(page)
    for preset in ("anterior", "posterior", "left", "right"):
        page.locator(f".cam-{preset} button").click()
        apphelp.settle(page)
        point = page.evaluate(f"() => window.__myoatlas.viewers[0].findScreenPoint('{marker}')")
        if point:
            break
    assert point is not None, f"marker {marker} is hidden from every preset view"
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function(f"() => location.search.includes('tp={tp.id}')")
    apphelp.settle(page)
    apphelp.wait_for_text(page, tp.clinician_text.needling[:40])
    assert apphelp.zone_mask(apphelp.canvas_rgb(page)).sum() > MIN_ZONE_PIXELS  # turned to it
    # The zones were painted by the browser at the click, before the server's answer.
    events = page.evaluate("() => window.__myoatlas.viewers[0].events")
    after_click = [e for e in events if "sinceClick" in e]
    assert after_click and after_click[0]["what"] == "zone_essential+zone_spillover", events


@pytest.mark.parametrize(("muscle_id", "tp_id"), [
    ("flexor_carpi_radialis", "tp1"),  # the forearm's flexor side
    ("abductor_hallucis", "tp1"),  # the foot's own muscles
    ("rectus_abdominis", "upper"),  # the abdominal wall
])
def test_a_muscle_found_by_search_paints_its_zone(page, serve_app, muscle_id, tp_id):
    content = apphelp.content()
    if muscle_id not in {m.id for m in content.muscles}:
        pytest.skip(f"the atlas under test has no {muscle_id}")
    muscle = content.muscle(muscle_id)
    tp = muscle.trigger_point(tp_id)
    url = serve_app(*apphelp.ATLAS_ARGS)
    apphelp.open_app(page, url, "mode=student")
    box = page.locator(".muscle-search input")
    box.click()
    box.type(muscle.common_name.split("(")[0].strip()[:-1], delay=20)
    page.locator(".bk-menu").first.wait_for(state="visible")
    box.press("Enter")
    page.wait_for_function(f"() => location.search.includes('muscle={muscle.id}')")
    apphelp.wait_for_text(page, tp.name)
    n = apphelp.rendered_count(page)
    page.locator(f".tp-{tp.id} button").click()
    apphelp.wait_renders(page, n)
    page.wait_for_function(f"() => location.search.includes('tp={tp.id}')")
    painted = _show_zone(page)
    assert painted.sum() > MIN_ZONE_PIXELS, (muscle_id, painted.sum())


def test_a_named_zone_follows_its_trigger_point_to_the_other_side(page, serve_app):
    """The server names the chosen trigger point's zones (zone_marker) instead of sending them;
    on the other side the same marker name means that side's zones, and those are painted."""
    from anatomy.atlas.model import load_atlas

    muscle, tp = apphelp.example(apphelp.content())
    args = apphelp.ATLAS_ARGS
    meshes = args[args.index("--meshes") + 1] if "--meshes" in args else None
    atlas = load_atlas(apphelp.annotations_path(), meshes, check=False)
    url = serve_app(*apphelp.ATLAS_ARGS)
    apphelp.open_app(page, url, f"mode=student&muscle={muscle.id}&side=right&tp={tp.id}")
    for side in ("right", "left"):
        if side == "left":
            n = apphelp.rendered_count(page)
            page.locator(".side-switch button").filter(has_text="Left side").click()
            page.wait_for_function("() => location.search.includes('side=left')")
            apphelp.wait_renders(page, n)
            apphelp.settle(page)
        ids = [int(v) for v in atlas.zone_vertices(muscle.id, tp.id, side, "essential")]
        colours = page.evaluate(
            "(ids) => ids.map((v) => window.__myoatlas.viewers[0].zoneColour(v))", ids)
        assert ids and all(c is not None for c in colours), side
        other = "left" if side == "right" else "right"
        away = set(atlas.zone_vertices(muscle.id, tp.id, other, "essential").tolist()) - set(ids)
        stale = page.evaluate(
            "(ids) => ids.filter((v) => window.__myoatlas.viewers[0].zoneColour(v) !== null)",
            sorted(away))
        assert stale == [], side  # the other side's zone is gone
