"""Deep links: the URL follows the view, and opening it restores the same view."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import apphelp


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def test_a_deep_link_restores_mode_selection_layers_and_camera(new_page, serve_app):
    muscle, tp = apphelp.example(apphelp.content())
    url = serve_app(*apphelp.ATLAS_ARGS)
    # Build a view by hand in one page ...
    first = apphelp.open_app(
        new_page(), url, f"mode=clinician&muscle={muscle.id}&side=left&tp={tp.id}"
    )
    apphelp.open_layers(first)
    first.locator(".cam-posterior button").click()
    first.wait_for_function("() => location.search.includes('cam=posterior')")
    box = first.locator("canvas").first.bounding_box()  # rotate the body by dragging
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    first.mouse.move(x, y)
    first.mouse.down()
    for step in range(1, 9):
        first.mouse.move(x + 12 * step, y + 3 * step)
    first.mouse.up()
    first.wait_for_function("() => /cam=-?[0-9.]+,/.test(decodeURIComponent(location.search))")
    first.locator(".layer-skeleton input").click()  # hide the skeleton
    first.wait_for_function("() => location.search.includes('layers=skin,muscles')")
    apphelp.settle(first)  # the skeleton's hiding drawn before the picture is taken
    link = first.url
    shown = apphelp.canvas_rgb(first)
    # ... and open its URL in a fresh browser context.
    second = apphelp.open_app(new_page(), link.split("?")[0], link.split("?", 1)[1])
    apphelp.settle(second)
    assert _query(second.url) == _query(link)
    apphelp.wait_for_text(second, tp.clinician_text.needling[:40])  # clinician, same TrP
    apphelp.open_layers(second)
    assert not second.locator(".layer-skeleton input").is_checked()
    assert second.locator(".layer-skin input").is_checked()
    restored = apphelp.canvas_rgb(second)
    # Same camera, layers and zone: the two pictures agree almost everywhere.
    same = (abs(shown.astype(int) - restored.astype(int)).sum(axis=2) < 40).mean()
    assert same > 0.97, same
    assert abs(
        int(apphelp.zone_mask(restored).sum()) - int(apphelp.zone_mask(shown).sum())
    ) <= 0.05 * max(1, int(apphelp.zone_mask(shown).sum()))


def test_a_broken_link_says_what_was_wrong_and_still_works(page, serve_app):
    url = serve_app(*apphelp.ATLAS_ARGS)
    apphelp.open_app(
        page, url, "mode=surgeon&muscle=no_such_muscle&cam=1e9,0,0,0,0,0,0,0,1&opacity=skin:7"
    )
    text = apphelp.wait_for_text(page, "Unknown mode")
    assert "Unknown mode" in text and "Unknown muscle" in text
    assert "from the body" in text and "between 0 and 1" in text
    q = _query(page.url)
    assert q["mode"] == "patient" and "muscle" not in q and q["cam"] == "anterior"
    from browser_util import canvas_pixel_stats

    assert (
        canvas_pixel_stats(page.locator("canvas").first.screenshot())["foreground_fraction"] > 0.05
    )
