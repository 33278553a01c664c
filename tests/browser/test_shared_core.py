"""The app's 3D view and the exported pages' draw with one drawing core (myoatlas_core.js).

One synthetic atlas is served by the in-process viewer app and exported as a static site; the
same referral zone, painted in both, must give every skin vertex the same colour.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_util import viewer_app_server
from exporthelp import open_recorded

from anatomy.export.site import export_site

CORE = Path(__file__).resolve().parents[2] / "anatomy" / "ui" / "static" / "myoatlas_core.js"
MUSCLE, TP, SIDE = "upper_trapezius", "tp1", "right"
READY = "() => window.__myoatlas && window.__myoatlas.viewers.some((v) => v.ready)"
# The core's functions as the page runs them (their source text).
CORE_FUNCTIONS = """() => Object.fromEntries(Object.entries(window.myoatlasCore || {})
  .filter(([, f]) => typeof f === 'function').map(([name, f]) => [name, f.toString()]))"""


@pytest.fixture(scope="module")
def shared(tiny_files, tiny_atlas, tmp_path_factory) -> Iterator[tuple[Any, Path, str]]:  # type: ignore[no-untyped-def]
    """The tiny atlas, its exported site, and the URL of the viewer app showing its meshes."""
    meshes = str(tiny_files[1])
    site = tmp_path_factory.mktemp("core-site") / "atlas"
    export_site(tiny_atlas, site, date=dt.date(2026, 1, 1))
    with viewer_app_server(meshes) as url:
        yield tiny_atlas, site, url


def test_app_and_exported_page_paint_a_zone_alike_with_one_core(new_page, shared) -> None:  # type: ignore[no-untyped-def]
    import viewer_app

    atlas, site, app_url = shared
    essential = [int(v) for v in atlas.zone_vertices(MUSCLE, TP, SIDE, "essential")]
    spillover = [int(v) for v in atlas.zone_vertices(MUSCLE, TP, SIDE, "spillover")]
    assert essential and set(spillover) - set(essential)
    n = len(atlas.meshes.skin.vertices)
    every_vertex = f"[...Array({n}).keys()].map((v) => viewer.zoneColour(v))"

    # The muscle page paints its trigger point's zones as it opens.
    url = (site / "muscles" / f"{MUSCLE}.html").as_uri() + f"#side={SIDE}&tp={TP}"
    page, _ = open_recorded(new_page, url)
    page_colours = page.evaluate(f"(viewer => {every_vertex})(window.__myoatlasPage)")

    app = new_page()
    app.goto(app_url)
    app.wait_for_function(READY, timeout=60_000)
    viewer = viewer_app.VIEWERS[-1]
    renders = app.evaluate("window.__myoatlas.viewers[0].renders")
    viewer.paint_zone(essential, spillover)
    app.wait_for_function(f"window.__myoatlas.viewers[0].renders > {renders}", timeout=20_000)
    app_colours = app.evaluate(f"(viewer => {every_vertex})(window.__myoatlas.viewers[0])")

    source = CORE.read_text(encoding="utf-8")
    for shown in (page, app):
        functions = shown.evaluate(CORE_FUNCTIONS)
        assert {"meshArrays", "buildPolyData", "meshActor", "markerActor", "skinZones"} <= set(
            functions)
        assert all(text in source for text in functions.values())
        assert shown.console_errors == []

    def rgba(name: str) -> list[int]:  # as JavaScript rounds: halves up
        rgb = [max(0, min(255, math.floor(c * 255 + 0.5))) for c in viewer.colours[name]]
        return [*rgb, math.floor(255 * viewer.colours["zone_opacity"] + 0.5)]

    painted = {v: c for v, c in enumerate(page_colours) if c is not None}
    assert set(painted) == set(essential) | set(spillover)
    assert all(painted[v] == rgba("essential") for v in essential)
    assert all(painted[v] == rgba("spillover") for v in set(spillover) - set(essential))
    assert app_colours == page_colours
