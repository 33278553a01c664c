"""The handout in a real browser: offline from file://, drawn, printed to PDF, escaped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from browser_util import canvas_pixel_stats
from exporthelp import (
    VISIBLE_HOSTILE,
    canvas_png,
    colour_share,
    open_recorded,
    pdf_images,
    pdf_pages,
    pdf_text,
    synthetic_atlas,
)

from anatomy.export.handout import write_handout
from anatomy.scene.palette import VIEW

ESSENTIAL_RGB = (204, 76, 0)  # PALETTE["essential"] on screen
HIGHLIGHT_RGB = tuple(round(255 * c) for c in VIEW["highlight"])  # PALETTE["highlight"]


@pytest.fixture(scope="module")
def atlas(tmp_path_factory):  # type: ignore[no-untyped-def]
    return synthetic_atlas(tmp_path_factory.mktemp("atlas"))


@pytest.fixture(scope="module")
def handout(atlas, tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("handout") / "upper_trapezius.html"
    return write_handout(atlas, out, "upper_trapezius", "tp1", side="right", mode="patient",
                         date=dt.date(2026, 11, 26))


def test_handout_opens_offline_draws_and_makes_no_request(new_page, handout: Path) -> None:
    url = handout.as_uri()
    page, requests = open_recorded(new_page, url)
    assert requests == [url], requests  # the file itself, nothing else
    assert page.external_requests == []
    stats = canvas_pixel_stats(canvas_png(page))
    assert stats["foreground_fraction"] > 0.2, stats
    assert stats["distinct_colours"] > 20, stats
    png = canvas_png(page)
    assert colour_share(png, HIGHLIGHT_RGB, tol=60) > 0.002  # the muscle, highlighted
    assert colour_share(png, ESSENTIAL_RGB, tol=60) > 0.002  # its essential zone, painted
    counts = page.evaluate("window.__myoatlasPage.zoneCounts")
    assert counts["essential"] > 0 and counts["spillover"] > 0
    body = page.inner_text("body")
    for expected in ("Top of the shoulder", "Central point", "A sore spot", "stretch",
                     "fever", "not a diagnosis", "26 November 2026", "Simons DG"):
        assert expected in body, expected
    assert "Teaching-level text" not in body  # the needling text is for clinicians only
    assert page.console_errors == []


def test_handout_prints_a_still_image_and_the_text(new_page, handout: Path,
                                                   tmp_path: Path) -> None:
    page, _ = open_recorded(new_page, handout.as_uri())
    page.wait_for_selector("img.still[data-ready='1']", state="attached")
    pdf = tmp_path / "handout.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf_pages(pdf) >= 1
    text = pdf_text(pdf)
    for expected in ("Top of the shoulder", "Things you can try", "stretch",
                     "See a doctor promptly if", "fever", "not a diagnosis", "Sources"):
        assert expected in text, expected
    assert "Trigger point:" not in text and "Show:" not in text  # controls are not printed
    images = pdf_images(pdf, tmp_path / "images")
    assert images, "the PDF has no image of the 3D view"
    big = max(images, key=lambda p: p.stat().st_size)
    stats = canvas_pixel_stats(big.read_bytes())
    assert stats["foreground_fraction"] > 0.2, stats  # a picture of the body, not a blank
    assert colour_share(big.read_bytes(), ESSENTIAL_RGB, tol=60) > 0.002
    # Printing from the browser's menu re-captures the view as it is then, synchronously.
    before, after, src = page.evaluate(
        "() => { const n = window.__myoatlasPage.stills;"
        " window.dispatchEvent(new Event('beforeprint'));"
        " return [n, window.__myoatlasPage.stills,"
        " document.querySelector('img.still').src.slice(0, 22)]; }")
    assert after == before + 1 and src == "data:image/png;base64,"


def test_handout_clinician_mode_has_the_clinical_text(new_page, atlas, tmp_path: Path) -> None:
    out = write_handout(atlas, tmp_path / "c.html", "soleus", None, side="left",
                        mode="clinician")
    page, requests = open_recorded(new_page, out.as_uri())
    assert requests == [out.as_uri()]
    body = page.inner_text("body")
    for expected in ("Flat palpation", "Teaching-level text", "Structures at risk", "Left side"):
        assert expected in body, expected


def test_annotation_markup_is_shown_as_text_never_run(new_page, tmp_path: Path) -> None:
    hostile = synthetic_atlas(tmp_path / "atlas", hostile=True)
    out = write_handout(hostile, tmp_path / "h.html", "upper_trapezius", None, side="right")
    page, requests = open_recorded(new_page, out.as_uri())
    assert page.evaluate("window.__pwned === undefined")
    assert requests == [out.as_uri()]  # not even the <img src=x> or the <iframe>
    body = page.inner_text("body")
    assert VISIBLE_HOSTILE in body
    assert "<script>window.__pwned=3</script>" in body  # in the trigger-point name
    assert page.locator("main script, main img:not(.still), main iframe, main svg").count() == 0


def test_app_handout_button_downloads_the_current_view(new_page, serve_app, tmp_path_factory,
                                                        tmp_path: Path) -> None:
    from apphelp import open_app
    from synthetic_atlas import write_atlas

    ann, meshes = write_atlas(tmp_path_factory.mktemp("app-atlas"))
    url = serve_app("--annotations", str(ann), "--meshes", str(meshes))
    page = new_page(accept_downloads=True)
    open_app(page, url, "mode=clinician&muscle=soleus&side=left&tp=tp1")
    with page.expect_download(timeout=60_000) as info:
        page.locator(".handout-button button").click()
    download = info.value
    assert download.suggested_filename == "handout-soleus-tp1-left-clinician.html"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    html = path.read_text(encoding="utf-8")
    assert "Soleus: Central point" in html and "Teaching-level text" in html
    offline, requests = open_recorded(new_page, path.as_uri())
    assert requests == [path.as_uri()]
    assert "Left side" in offline.inner_text("header")
