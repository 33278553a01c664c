"""Keyboard only: find a muscle, step to a trigger point, switch mode; focus stays visible."""

from __future__ import annotations

import a11yhelp
import apphelp


def test_keyboard_selects_a_muscle_opens_a_trigger_point_and_switches_mode(page, serve_app):
    content = apphelp.content()
    muscle, _ = apphelp.example(content)
    first_tp = muscle.trigger_points[0]
    url = serve_app(*apphelp.ATLAS_ARGS)
    apphelp.open_app(page, url)  # patient mode, nothing selected
    kb = page.keyboard

    # Tab to the search box (its focus ring shows), type a name, take the first suggestion.
    info = a11yhelp.tab_to(page, lambda f: "muscle-search" in f["chain"] and f["tag"] == "INPUT")
    assert info["outline"] != "none" and info["outlineWidth"] >= 2, info
    kb.type(muscle.patient_name[:-1], delay=20)
    page.locator(".bk-menu").first.wait_for(state="visible")
    kb.press("ArrowDown")  # the first suggestion
    kb.press("Enter")
    page.wait_for_function(f"() => location.search.includes('muscle={muscle.id}')")

    # Tab on to "Next trigger point" and press it: the first trigger point opens.
    info = a11yhelp.tab_to(page, lambda f: "tp-next" in f["chain"])
    assert info["outline"] != "none", info
    kb.press("Enter")
    page.wait_for_function(f"() => location.search.includes('tp={first_tp.id}')")
    apphelp.settle(page)
    text = apphelp.panel_text(page)
    assert first_tp.name in text and first_tp.patient_text[:40] in text
    # Screen readers: the selection was announced and the canvas names the painted zones.
    for _ in range(50):
        announced = a11yhelp.texts(page, "[role=status]")
        if any(first_tp.name in t for t in announced):
            break
        page.wait_for_timeout(200)
    assert any(first_tp.name in t for t in announced), announced
    labels = a11yhelp.texts(page, ".myoatlas-canvas[role=img]")
    assert any("Essential zone" in label and first_tp.name in label for label in labels), labels

    # Back to the mode switch and choose Clinician with the keyboard.
    a11yhelp.tab_to(page, lambda f: "mode-switch" in f["chain"] and f["text"] == "Clinician",
                    key="Shift+Tab")  # fmt: skip
    kb.press("Enter")
    page.wait_for_function("() => location.search.includes('mode=clinician')")
    apphelp.settle(page)
    assert first_tp.clinician_text.needling[:40] in apphelp.panel_text(page)

    # "Larger text" from the keyboard scales the text panel.
    def text_size() -> float:
        return float(page.evaluate(a11yhelp.FONT_SIZE, ".selection")[0].rstrip("px"))

    before = text_size()
    a11yhelp.tab_to(page, lambda f: "text-size" in f["chain"])
    kb.press("Space")
    grown = f"(s) => ({a11yhelp.FONT_SIZE})(s)[0] !== '{before:g}px'"
    page.wait_for_function(grown, arg=".selection")
    assert text_size() >= 1.3 * before
    page.wait_for_function("() => location.search.includes('text=large')")  # in the link
    assert page.external_requests == []  # type: ignore[attr-defined]
