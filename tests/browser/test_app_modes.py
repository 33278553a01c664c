"""Modes in the browser: patients see no needling text; clinicians see risk; students practise."""

from __future__ import annotations

import re

import apphelp
import numpy as np


def test_patient_mode_shows_no_needling_text(page, serve_app):
    content = apphelp.content()
    url = serve_app(*apphelp.ATLAS_ARGS)
    needling = [tp.clinician_text.needling[:40] for _, tp in content.trigger_points()]
    for muscle, tp in list(content.trigger_points())[:3]:
        apphelp.open_app(page, url, f"mode=patient&muscle={muscle.id}&tp={tp.id}")
        # every tab, shown or not, once the trigger point's text is there
        text = apphelp.wait_for_text(page, tp.patient_text[:40], hidden=True)
        assert tp.patient_text[:40] in text
        assert tp.self_care[0] in text
        assert "Needling approach" not in text and "Structures at risk" not in text
        assert not [n for n in needling if n in text]
        for _key, section in content.general.sections():
            assert section.clinician[:40] not in text or section.clinician[:40] in section.patient
    page.locator(".bk-tab", has_text="About dry needling").click()
    apphelp.wait_for_text(page, content.general.what_is_dry_needling.title)


def test_clinician_mode_shows_needling_a_risk_badge_and_sources(page, serve_app):
    content = apphelp.content()
    muscle, tp = apphelp.example(content)
    url = serve_app(*apphelp.ATLAS_ARGS)
    apphelp.open_app(page, url, f"mode=clinician&muscle={muscle.id}&tp={tp.id}")
    text = apphelp.wait_for_text(page, tp.clinician_text.needling[:40])
    assert "Structures at risk" in text and tp.structures_at_risk[0].structure in text
    badge = page.locator(".risk-badge").first
    assert badge.is_visible() and re.search(r"risk|nearby", badge.inner_text(), re.I)
    source = content.source(tp.sources[0])
    assert source.title[:30] in text


def test_student_practice_paints_a_zone_offers_muscles_and_scores(page, serve_app):
    url = serve_app(*apphelp.ATLAS_ARGS)
    apphelp.open_app(page, url, "mode=student")
    page.locator(".practice-start button").click()
    page.locator(".practice-choice button").first.wait_for(state="visible")
    apphelp.wait_for_text(page, "Which muscle refers pain")
    choices = page.locator(".practice-choice button")
    assert choices.count() >= 2
    page.wait_for_function(  # the referral zone was painted
        "() => window.__myoatlas.viewers[0].events"
        ".some(e => e.what.includes('zone_essential'))"
    )
    choices.first.click()
    page.locator(".practice-next button").wait_for(state="visible")
    text = apphelp.wait_for_text(page, " of 1 correct")
    assert re.search(r"Score: [01] of 1 correct", text), text[-400:]
    assert re.search(r"(Correct|Not this time)\. It is the ", text)
    page.locator(".practice-next button").click()
    page.wait_for_timeout(800)
    apphelp.wait_for_text(page, "Which muscle refers pain")


def test_student_depth_practice_marks_two_points_and_reveals_both_depths(page, serve_app):
    url = serve_app(*apphelp.ATLAS_ARGS)
    apphelp.open_app(page, url, "mode=student")
    before = apphelp.rendered_count(page)
    page.locator(".practice-start-depth button").click()
    page.locator(".choice-point-a button").wait_for(state="visible")
    apphelp.wait_for_text(page, "Under which point does the pleura lie nearer the skin")
    apphelp.wait_renders(page, before)
    apphelp.settle(page)
    ids = page.evaluate("() => window.__myoatlas.viewers[0].markerIds()")
    assert len(ids) == 2
    for marker in ids:  # both marked points are in view, not hidden behind the body
        assert page.evaluate(f"() => window.__myoatlas.viewers[0].findScreenPoint({marker!r})")
    for letter in "ab":
        label = page.locator(f".choice-point-{letter} button").inner_text()
        assert label.startswith(f"Point {letter.upper()} (")
    page.locator(".choice-point-b button").click()
    text = apphelp.wait_for_text(page, "Skin to pleura in this model")
    assert re.search(r"Point A \(.+\): \d+ mm; Point B \(.+\): \d+ mm", text), text[-600:]
    assert re.search(r"Score: [01] of 1 correct", text)
    assert page.locator(".choice-point-a button").is_disabled()


def test_the_clinic_document_is_a_further_tab(new_page, serve_app, tmp_path_factory):
    doc = tmp_path_factory.mktemp("doc") / "clinic.md"
    doc.write_text(
        "# Our approach\n\nWe explain *before* we treat.\n\n<script>window.__pwned = 1</script>\n\n"
        '<img src="x" onerror="window.__pwned = 2">\n'
    )
    url = serve_app(*apphelp.ATLAS_ARGS, "--document", str(doc))
    page = apphelp.open_app(new_page(), url)
    page.locator(".bk-tab", has_text="Our approach").click()
    page.wait_for_timeout(300)
    apphelp.wait_for_text(page, "We explain before we treat.")
    assert page.evaluate("() => typeof window.__pwned") == "undefined"


def _lung_pixels(rgb):  # type: ignore[no-untyped-def]
    """Pixels of the lungs' pink: with the muscles hidden nothing else on the canvas is pink
    (the skin is beige, the bones ivory)."""
    r, g, b = (rgb[..., i].astype(int) for i in range(3))
    return (r - g > 20) & (b - g > -8)


def test_clinicians_see_the_lungs_and_patients_get_no_toggle(page, serve_app):
    import numpy as np

    url = serve_app(*apphelp.ATLAS_ARGS)
    apphelp.open_app(page, url, "mode=patient&layers=skin,skeleton")  # muscles hidden
    apphelp.open_layers(page)
    assert not [box for box in page.locator(".layer-pleura").all() if box.is_visible()]
    assert "Lungs and pleura" not in apphelp.panel_text(page)
    apphelp.settle(page)
    assert _lung_pixels(apphelp.canvas_rgb(page)).sum() < 20
    before = apphelp.rendered_count(page)
    page.locator(".mode-switch button", has_text="Clinician").click()
    toggle = page.locator(".layer-pleura input")
    toggle.wait_for(state="visible")
    assert toggle.is_checked()  # clinician mode turns the layer on
    apphelp.wait_renders(page, before)
    apphelp.wait_for_text(page, "Pleura (pale blue-grey)")  # the legend names its colours
    apphelp.settle(page)
    rgb = apphelp.canvas_rgb(page)
    lungs = _lung_pixels(rgb)
    assert lungs.sum() > 200, lungs.sum()
    # ... where the chest is: the upper part of the body, across its midline
    body = np.abs(rgb.astype(int) - rgb[2, 2].astype(int)).sum(axis=2) > 30
    rows, cols = np.nonzero(body)
    ys, xs = np.nonzero(lungs)
    height, width = rows.max() - rows.min(), cols.max() - cols.min()
    assert 0.08 < (ys.mean() - rows.min()) / height < 0.4
    assert abs(xs.mean() - (cols.min() + cols.max()) / 2) < 0.15 * width
    before = apphelp.rendered_count(page)
    toggle.click()  # a clinician may hide them again
    apphelp.wait_renders(page, before)
    apphelp.settle(page)
    assert _lung_pixels(apphelp.canvas_rgb(page)).sum() < 20


def _needle_red(rgb):  # type: ignore[no-untyped-def]
    """Pixels of the needle past the pleura: strong red, lit to about (255, 85, 97) (the
    essential zone's orange has no blue, the chosen marker's pink and the lungs' more blue or
    green)."""
    r, g, b = (rgb[..., i].astype(int) for i in range(3))
    return (r > 150) & (g < 0.42 * r) & (b > 0.2 * r) & (b < 0.5 * r)


def test_a_clinician_sees_the_rhomboid_needle_line_and_depths_and_a_patient_none(page,
                                                                                serve_app):
    url = serve_app(*apphelp.ATLAS_ARGS)
    apphelp.open_app(page, url, "mode=clinician&muscle=rhomboids&side=right")
    page.locator(".tp-major button").click()
    text = apphelp.wait_for_text(page, "Needle depth in this model")
    assert re.search(r"the pleura at \d+ mm", text), text[-800:]
    assert "One body, not your patient." in text
    assert "Measured in people at this site" in text
    # the lungs and pleura: off, then on again with their toggle
    apphelp.open_layers(page)
    toggle = page.locator(".layer-pleura input")
    toggle.wait_for(state="visible")
    if toggle.is_checked():
        toggle.click()
    toggle.click()
    assert toggle.is_checked()
    page.wait_for_function("() => window.__myoatlas.viewers[0].needleShown === true")
    before = apphelp.rendered_count(page)
    page.locator(".needle-view button").click()
    apphelp.wait_renders(page, before)
    apphelp.settle(page)
    assert page.evaluate("() => window.__myoatlas.viewers[0].sectioned()")
    red = _needle_red(apphelp.canvas_rgb(page))
    assert red.sum() > 30, red.sum()  # the part of the line past the pleura, in the section
    ys, xs = np.nonzero(red)
    long, short = sorted((np.ptp(xs), np.ptp(ys)), reverse=True)
    assert long > 1.5 * max(short, 1), (long, short)  # a stretch of line, not a blob
    before = apphelp.rendered_count(page)
    page.locator(".mode-switch button", has_text="Patient").click()
    apphelp.wait_renders(page, before)
    apphelp.settle(page)
    assert page.evaluate("() => window.__myoatlas.viewers[0].needleShown") is False
    assert _needle_red(apphelp.canvas_rgb(page)).sum() < 5
    assert "Needle depth" not in apphelp.panel_text(page, include_hidden=True)
    assert not page.locator(".needle-view button").is_visible()
