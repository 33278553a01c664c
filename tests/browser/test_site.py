"""The static atlas in a real browser: from file:// and from `python -m http.server`."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_util import canvas_pixel_stats, free_port, wait_for_http
from exporthelp import (
    VISIBLE_HOSTILE,
    canvas_png,
    colour_share,
    open_recorded,
    pdf_images,
    pdf_text,
    synthetic_atlas,
)

from anatomy.export.site import export_site

ESSENTIAL_RGB = (204, 76, 0)
MUSCLE_PAGE = "muscles/upper_trapezius.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("site-src")
    out = tmp_path_factory.mktemp("site") / "atlas"
    export_site(synthetic_atlas(root, second_tp=True), out, mode="student",
                date=dt.date(2026, 11, 26))
    return out


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """The exported directory served by Python's plain static file server on loopback."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(site)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(url + "index.html", proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _check_drawn(page, min_fraction: float = 0.2) -> None:  # type: ignore[no-untyped-def]
    stats = canvas_pixel_stats(canvas_png(page))
    assert stats["foreground_fraction"] > min_fraction, stats
    assert stats["distinct_colours"] > 20, stats
    assert page.console_errors == []


def _check_index(page, requests: list[str], base: str) -> None:  # type: ignore[no-untyped-def]
    _check_drawn(page, 0.08)  # a whole standing body: tall and narrow in the canvas
    body = page.inner_text("body")
    for expected in ("Muscles by region", "Head and neck", "Upper trapezius", "Soleus",
                     "not a diagnosis", "About trigger points and dry needling"):
        assert expected in body, expected
    assert all(r.startswith(base) for r in requests), requests
    assert page.external_requests == []


def _check_muscle(page, requests: list[str], base: str) -> None:  # type: ignore[no-untyped-def]
    _check_drawn(page)
    assert colour_share(canvas_png(page), ESSENTIAL_RGB, tol=60) > 0.002
    body = page.inner_text("body")
    for expected in ("Upper trapezius", "Central point", "Flat palpation", "stretch", "fever"):
        assert expected in body, expected
    assert "Teaching-level text" not in body  # student mode first: no needling approach
    assert all(r.startswith(base) for r in requests), requests
    assert page.external_requests == []


def test_site_from_file_urls(new_page, site: Path) -> None:
    base = site.as_uri() + "/"
    page, requests = open_recorded(new_page, base + "index.html")
    _check_index(page, requests, base)
    page, requests = open_recorded(new_page, base + MUSCLE_PAGE)
    _check_muscle(page, requests, base)


def test_site_from_a_plain_web_server(new_page, served: str) -> None:
    page, requests = open_recorded(new_page, served + "index.html", offline=False)
    _check_index(page, requests, served)
    page, requests = open_recorded(new_page, served + MUSCLE_PAGE, offline=False)
    _check_muscle(page, requests, served)


def test_muscle_page_modes_sides_and_deep_link(new_page, site: Path) -> None:
    url = site.as_uri() + "/" + MUSCLE_PAGE
    page, _ = open_recorded(new_page, url)
    page.select_option("select[data-action='mode']", "clinician")
    assert "Teaching-level text" in page.inner_text("body")
    page.select_option("select[data-action='mode']", "patient")
    body = page.inner_text("body")
    assert "Teaching-level text" not in body and "Flat palpation" not in body
    assert "A sore spot" in body
    page.click("button[data-action='side'][data-side='left']")
    assert page.inner_text("[data-show-side]") == "left"
    assert page.evaluate("location.hash") == "#mode=patient&side=left&tp=tp1"
    page2, _ = open_recorded(new_page, url + "#mode=clinician&side=left&tp=tp1")
    assert page2.evaluate("window.__myoatlasPage.state.side") == "left"
    assert "Teaching-level text" in page2.inner_text("body")
    bad, _ = open_recorded(new_page, url + "#mode=<b>x</b>&side=middle&tp=nope")
    assert bad.evaluate("[window.__myoatlasPage.state.mode, window.__myoatlasPage.state.side,"
                        " window.__myoatlasPage.state.tp]") == ["student", "right", "tp1"]
    assert "Flat palpation" in bad.inner_text("body")


def test_choosing_a_trigger_point_paints_its_zones_and_shows_its_text(new_page,
                                                                      site: Path) -> None:
    page, _ = open_recorded(new_page, site.as_uri() + "/" + MUSCLE_PAGE)
    first = page.evaluate("window.__myoatlasPage.zoneCounts")
    assert first["essential"] > 0
    assert page.is_visible("text=A sore spot") is False  # student mode: no patient text
    page.select_option("select[data-action='mode']", "patient")
    assert page.is_visible("text=A sore spot.")
    renders = page.evaluate("window.__myoatlasPage.renders")
    page.click("button[data-action='tp'][data-tp='tp2']")
    page.wait_for_function(f"window.__myoatlasPage.renders > {renders}")
    second = page.evaluate("window.__myoatlasPage.zoneCounts")
    assert second != first and second["essential"] > 0
    assert page.is_visible("text=A higher sore spot.")
    assert not page.is_visible("text=A sore spot.")
    assert page.get_attribute("button[data-tp='tp2']", "aria-pressed") == "true"
    assert page.evaluate("location.hash") == "#mode=patient&side=right&tp=tp2"


def test_clicking_a_muscle_on_the_index_opens_its_page(new_page, site: Path) -> None:
    page, _ = open_recorded(new_page, site.as_uri() + "/index.html")
    point = page.evaluate("window.__myoatlasPage.screenPointOf('upper_trapezius_left')")
    assert point is not None
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url("**/muscles/upper_trapezius.html*", timeout=15_000)


def test_muscle_page_prints_image_and_text(new_page, site: Path, tmp_path: Path) -> None:
    page, _ = open_recorded(new_page, site.as_uri() + "/" + MUSCLE_PAGE)
    page.wait_for_selector("img.still[data-ready='1']", state="attached")
    pdf = tmp_path / "page.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = pdf_text(pdf)
    assert "Upper trapezius" in text and "Flat palpation" in text
    images = pdf_images(pdf, tmp_path / "img")
    assert images
    stats = canvas_pixel_stats(max(images, key=lambda p: p.stat().st_size).read_bytes())
    assert stats["foreground_fraction"] > 0.2, stats


def test_site_shows_annotation_markup_as_text(new_page, tmp_path: Path) -> None:
    out = tmp_path / "site"
    export_site(synthetic_atlas(tmp_path / "atlas", hostile=True), out, mode="patient")
    for rel in ("index.html", MUSCLE_PAGE):
        page, requests = open_recorded(new_page, (out / rel).as_uri())
        assert page.evaluate("window.__pwned === undefined"), rel
        assert all(r.startswith(out.as_uri()) for r in requests), requests
        assert page.locator("main script, main iframe, main svg").count() == 0
    assert VISIBLE_HOSTILE in page.inner_text("body")
