"""Sessions in real browsers: no crosstalk, a locked patient mode, hostile text never runs.

Uses the synthetic atlas (``tiny_files``, ``tests/synthetic_atlas.py``) so that the servers
start in seconds; one server per set of options, shared by the tests (``serve_app`` is
session-scoped).
"""

from __future__ import annotations

from pathlib import Path

import apphelp
import pytest
from browser_util import canvas_pixel_stats
from support.hostile import PAYLOAD, hostile_annotations

NO_SCRIPT_RAN = (
    "() => typeof window.__pwned === 'undefined' && document.body.style.display !== 'none'"
)


@pytest.fixture(scope="module")
def atlas_args(tiny_files: tuple[Path, Path]) -> list[str]:
    annotations, meshes = tiny_files
    return ["--annotations", str(annotations), "--meshes", str(meshes)]


def test_two_browsers_never_see_each_others_selection_mode_or_zones(
    new_page, serve_app, atlas_args
):
    url = serve_app(*atlas_args)
    first = apphelp.open_app(new_page(), url)
    second = apphelp.open_app(new_page(), url)  # open at the same time as the first
    # The first person: student mode, the soleus, its trigger point (zone painted).
    first.locator(".mode-switch button", has_text="Student").click()
    first.wait_for_function("() => location.search.includes('mode=student')")
    point = first.evaluate("() => window.__myoatlas.viewers[0].findScreenPoint('soleus_left')")
    first.mouse.click(point["x"], point["y"])
    first.wait_for_function("() => location.search.includes('muscle=soleus')")
    first.locator(".tp-tp1 button").click()
    first.wait_for_function("() => location.search.includes('tp=tp1')")
    apphelp.wait_for_text(first, "Essential zone")
    # The second person saw none of it ...
    second.wait_for_function("() => location.search.includes('mode=patient')")
    second.wait_for_timeout(1000)
    assert "muscle=" not in second.url
    text = apphelp.panel_text(second)
    assert "Search for a muscle" in text and "Musculus soleus" not in text
    assert "Essential zone" not in text
    assert second.evaluate("() => window.__myoatlas.viewers[0].pick_mode || ''") in ("", "select")
    # ... and what they do stays theirs.
    second.locator(".muscle-list select").select_option(label="Upper trapezius")
    second.wait_for_function("() => location.search.includes('muscle=upper_trapezius')")
    first.wait_for_timeout(1000)
    assert "muscle=soleus" in first.url and "tp=tp1" in first.url and "mode=student" in first.url
    assert "Musculus soleus" in apphelp.panel_text(first)
    # A third browser opened now starts from the default view, not from anyone's.
    third = apphelp.open_app(new_page(), url)
    third.wait_for_function("() => location.search.includes('mode=patient')")
    assert "muscle=" not in third.url and "Musculus soleus" not in apphelp.panel_text(third)


def test_a_locked_patient_atlas_has_no_mode_switch_and_ignores_mode_links(
    page, serve_app, atlas_args
):
    url = serve_app(*atlas_args, "--mode", "patient", "--lock-mode")
    apphelp.open_app(page, url, "mode=clinician&muscle=upper_trapezius&tp=tp1")
    text = apphelp.wait_for_text(page, "locked to patient mode")
    assert page.locator(".mode-switch").count() == 0
    assert "Patient view" in text
    assert "mode=patient" in page.url and "muscle=upper_trapezius" in page.url
    assert "Needling approach" not in apphelp.panel_text(page, include_hidden=True)
    assert "A sore spot" in text  # the patient text of that trigger point


def test_hostile_content_and_links_are_shown_as_text_and_never_run(
    new_page, serve_app, atlas_args, tmp_path_factory
):
    root = tmp_path_factory.mktemp("hostile")
    annotations = hostile_annotations(Path(atlas_args[1]), root / "annotations.yaml")
    document = root / "clinic.md"
    document.write_text(f"# Clinic {PAYLOAD}\n\nOur text {PAYLOAD}\n", encoding="utf-8")
    url = serve_app("--annotations", str(annotations), "--meshes", atlas_args[3],
                    "--document", str(document))  # fmt: skip
    dialogs: list[str] = []
    for mode in ("clinician", "patient"):
        page = new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        apphelp.open_app(page, url, f"mode={mode}&muscle=upper_trapezius&side=left&tp=tp1")
        text = apphelp.wait_for_text(page, "window.__pwned='script'")  # escaped, visible
        assert "<img src=x onerror=" in text
        for tab in page.locator(".bk-tab").all():  # the explainer and the clinic document
            tab.click()
            page.wait_for_timeout(300)
        page.locator(".tp-list button").first.hover()
        page.locator(".where-toggle button").click()
        page.wait_for_timeout(500)
        assert page.evaluate(NO_SCRIPT_RAN), mode
    # A link carrying markup, a 10 kB value and a broken camera: a message and a working view.
    page = new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    evil = "%3Cimg%20src%3Dx%20onerror%3D%22window.__pwned%3D1%22%3E"
    apphelp.open_app(page, url, f"muscle={evil}&tp={'A' * 10_000}&cam=nan,1e308,0,0,0,0,0,0,1")
    text = apphelp.wait_for_text(page, "Unknown muscle")
    assert '<img src=x onerror="window.__pwned=1">' in text  # shown as text
    assert "too long" in text and "'cam'" in text
    assert page.evaluate(NO_SCRIPT_RAN)
    drawn = canvas_pixel_stats(page.locator("canvas").first.screenshot())
    assert drawn["foreground_fraction"] > 0.05
    assert dialogs == []
