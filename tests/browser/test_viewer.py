"""The 3D viewer in a real browser: drawn, clickable, highlightable, paintable, offline.

The viewer is served in-process (``viewer_app.make_app``) so that the tests can read and set
its params directly. The scene is the atlas's ``meshes/`` (or ``MYOATLAS_TEST_MESHES``).
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
from browser_util import canvas_pixel_stats, viewer_app_server

from anatomy.paths import default_meshes_dir

MESHES = os.environ.get("MYOATLAS_TEST_MESHES") or str(default_meshes_dir())
READY = "() => window.__myoatlas && window.__myoatlas.viewers.some((v) => v.ready)"


@pytest.fixture(scope="module")
def viewer_url() -> Iterator[str]:
    with viewer_app_server(MESHES) as url:
        yield url


@pytest.fixture
def opened(page, viewer_url):  # type: ignore[no-untyped-def]
    """The page with the viewer drawn, and that session's AtlasViewer."""
    import viewer_app

    before = len(viewer_app.VIEWERS)
    page.goto(viewer_url)
    page.wait_for_function(READY, timeout=60_000)
    assert len(viewer_app.VIEWERS) == before + 1
    return page, viewer_app.VIEWERS[-1]


def wait_until(predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail("condition not met in time")


def wait_drawn(page, what: str, after: int) -> dict:  # type: ignore[no-untyped-def]
    """The first event applying ``what`` after the first ``after`` events, once drawn."""
    page.wait_for_function(
        "([what, after]) => window.__myoatlas.viewers[0].events.slice(after)"
        ".some((e) => e.what.includes(what) && e.drawn !== undefined)", arg=[what, after],
        timeout=20_000)
    events = page.evaluate("window.__myoatlas.viewers[0].events")
    return next(e for e in events[after:] if what in e["what"])


def n_events(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.evaluate("window.__myoatlas.viewers[0].events.length"))


def canvas_rgb(page) -> np.ndarray:  # type: ignore[no-untyped-def]
    from PIL import Image

    png = page.locator(".myoatlas-canvas canvas").screenshot()
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def visible_muscle(page, viewer) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    """A muscle mesh and a client point where it is visible and pickable."""
    ids = [a["id"] for a in viewer.actors if a["kind"] == "muscle"]
    preferred = [i for i in ids if i.startswith(("rectus_femoris", "vastus_lateralis",
                                                 "pectoralis_major", "tibialis_anterior"))]
    for mesh_id in preferred + ids:
        point = page.evaluate(f"window.__myoatlas.viewers[0].findScreenPoint('{mesh_id}')")
        if point:
            return mesh_id, point
    pytest.fail("no muscle is visible in the anterior view")


def test_canvas_is_drawn_offline_from_bundled_vtkjs(opened) -> None:  # type: ignore[no-untyped-def]
    page, viewer = opened
    requests: list[str] = page.evaluate(
        "performance.getEntriesByType('resource').map((e) => e.name)")
    # the app's small vtk.js build, not Panel's whole vtk.js (3 MB, ~0.8 s to evaluate)
    assert any(url.endswith("/static/vtk-lite.js") for url in requests), requests
    assert not any("abstractvtkplot" in url for url in requests), requests
    png = page.locator(".myoatlas-canvas canvas").screenshot()
    stats = canvas_pixel_stats(png)
    assert stats["foreground_fraction"] > 0.05, stats
    assert stats["distinct_colours"] >= 8, stats
    assert page.external_requests == []
    assert [e for e in page.console_errors if "WebGL" not in e] == []
    kinds = {a["kind"] for a in viewer.actors}
    assert kinds == {"skin", "bone", "muscle", "organ"}


CONTEXT_ATTRIBUTES = """() => {
  const found = [];
  const walk = (root) => root.querySelectorAll('*').forEach((e) => {
    if (e.tagName === 'CANVAS') {
      const gl = e.getContext('webgl2');
      if (gl) found.push(gl.getContextAttributes());
    }
    if (e.shadowRoot) walk(e.shadowRoot);
  });
  walk(document);
  return found;
}"""


def test_software_webgl_draws_without_multisampling(opened) -> None:  # type: ignore[no-untyped-def]
    """The tests' Chromium renders WebGL with SwiftShader: the viewer must notice and skip
    multisampling (4 samples per pixel shaded on the CPU), and leave other canvases alone."""
    page, _viewer = opened
    record = page.evaluate("window.__myoatlas.viewers[0]")
    assert "SwiftShader" in (record["software"] or ""), record["software"]
    assert record["multisample"] is False
    attributes = page.evaluate(CONTEXT_ATTRIBUTES)
    assert [a["antialias"] for a in attributes] == [False]
    # the change was scoped to the viewer's own context: a new canvas gets WebGL's default
    assert page.evaluate(
        "document.createElement('canvas').getContext('webgl2').getContextAttributes().antialias")


def looks_like(rgb: np.ndarray, colour, over, alpha: float, tol: float = 0.035) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Pixels whose chromaticity is that of ``colour`` seen at ``alpha`` over (or under) ``over``.

    Chromaticity (r, g, b divided by their sum) ignores how brightly a surface is lit, so the
    palette's colours are recognised in shaded and lit parts alike.
    """
    mix = alpha * np.asarray(colour, float) + (1 - alpha) * np.asarray(over, float)
    target = mix / mix.sum()
    total = rgb.sum(axis=-1, keepdims=True)
    chroma = rgb / np.maximum(total, 1)
    return (total[..., 0] > 60) & (np.abs(chroma - target).sum(axis=-1) < tol)


def skin_colour(viewer) -> list[float]:  # type: ignore[no-untyped-def]
    return next(a["colour"] for a in viewer.actors if a["kind"] == "skin")


def highlighted(rgb: np.ndarray, viewer) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Pixels of a highlighted muscle seen through the translucent skin."""
    return looks_like(rgb, viewer.colours["highlight"], skin_colour(viewer),
                      1 - viewer.skin_opacity)


def test_click_on_a_muscle_reports_it_and_highlights_it(opened) -> None:  # type: ignore[no-untyped-def]
    page, viewer = opened
    mesh_id, point = visible_muscle(page, viewer)
    before = highlighted(canvas_rgb(page), viewer)
    k = n_events(page)
    page.mouse.click(point["x"], point["y"])
    pick = wait_until(lambda: viewer.pick if viewer.pick.get("id") else None)
    assert pick["kind"] == "muscle" and pick["id"] == mesh_id
    assert np.allclose(pick["position"], point["position"], atol=1e-3)
    # viewer_app highlights what is clicked (its callback runs on the server's thread)
    wait_until(lambda: viewer.highlight == [mesh_id])
    wait_drawn(page, "highlight", k)
    after = highlighted(canvas_rgb(page), viewer)
    box = page.locator(".myoatlas-canvas canvas").bounding_box()
    x, y = round(point["x"] - box["x"]), round(point["y"] - box["y"])
    assert after[y - 1:y + 2, x - 1:x + 2].any(), "the clicked muscle is not drawn highlighted"
    assert after.sum() > before.sum() + 30, (before.sum(), after.sum())


def test_drag_rotates_without_picking_and_reports_the_camera(opened) -> None:  # type: ignore[no-untyped-def]
    page, viewer = opened
    start = dict(viewer.camera)
    box = page.locator(".myoatlas-canvas canvas").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx + 120, cy + 10, steps=6)
    page.mouse.up()
    wait_until(lambda: viewer.camera.get("position") != start["position"])
    assert viewer.pick == {}
    assert viewer.camera["focal_point"] == pytest.approx(start["focal_point"], abs=1e-3)
    viewer.view("posterior")
    target = viewer.preset_camera("posterior")["position"]
    page.wait_for_function(
        "(p) => { const c = window.__myoatlas.viewers[0].getCamera().position;"
        " return c.every((v, i) => Math.abs(v - p[i]) < 1e-3); }", arg=target, timeout=10_000)


def test_camera_given_before_load_is_the_first_view(page, viewer_url) -> None:  # type: ignore[no-untyped-def]
    import viewer_app

    page.goto(viewer_url + "?view=posterior")
    page.wait_for_function(READY, timeout=60_000)
    target = viewer_app.VIEWERS[-1].preset_camera("posterior")
    camera = page.evaluate("window.__myoatlas.viewers[0].getCamera()")
    assert camera["position"] == pytest.approx(target["position"], abs=1e-4)
    assert camera["view_up"] == pytest.approx(target["view_up"], abs=1e-4)


def test_marker_click_paints_the_zone_on_the_skin(opened) -> None:  # type: ignore[no-untyped-def]
    page, viewer = opened
    _, point = visible_muscle(page, viewer)
    k = n_events(page)
    viewer.markers = [{"id": "tp", "position": point["position"], "label": "TP", "selected": True}]
    wait_drawn(page, "markers", k)
    marker = page.evaluate("window.__myoatlas.viewers[0].findScreenPoint('tp')")
    assert marker is not None
    before = canvas_rgb(page)
    k = n_events(page)
    page.mouse.click(marker["x"], marker["y"])
    wait_until(lambda: viewer.pick.get("kind") == "marker")
    assert viewer.pick["id"] == "tp"
    wait_drawn(page, "zone_essential", k)
    after = canvas_rgb(page)

    # Pixels the painting changed, each given to the zone colour nearest in chromaticity
    # (which ignores lighting): both zones show, the essential one around the clicked point.
    def chroma(rgb):  # type: ignore[no-untyped-def]
        rgb = np.asarray(rgb, float)
        return rgb / np.maximum(rgb.sum(axis=-1, keepdims=True), 1e-9)

    changed = np.abs(after - before).sum(axis=-1) > 60
    d_ess = np.abs(chroma(after) - chroma(viewer.colours["essential"])).sum(axis=-1)
    d_spill = np.abs(chroma(after) - chroma(viewer.colours["spillover"])).sum(axis=-1)
    essential, spillover = changed & (d_ess < d_spill), changed & (d_spill < d_ess)
    assert essential.sum() > 150 and spillover.sum() > 150, (essential.sum(), spillover.sum())
    box = page.locator(".myoatlas-canvas canvas").bounding_box()
    centre = np.array([marker["y"] - box["y"], marker["x"] - box["x"]])
    spread = [np.linalg.norm(np.argwhere(m) - centre, axis=1).mean()
              for m in (essential, spillover)]
    assert spread[0] < spread[1], spread
    k = n_events(page)
    viewer.clear_zone()
    wait_drawn(page, "zone_essential", k)
    assert (np.abs(canvas_rgb(page) - before).sum(axis=-1) > 60).sum() < 100


def test_skin_mode_picks_a_skin_vertex(opened) -> None:  # type: ignore[no-untyped-def]
    page, viewer = opened
    k = n_events(page)
    viewer.pick_mode = "skin"
    wait_drawn(page, "pick_mode", k)
    point = page.evaluate("window.__myoatlas.viewers[0].findScreenPoint('skin')")
    assert point is not None
    page.mouse.click(point["x"], point["y"])
    pick = wait_until(lambda: viewer.pick if viewer.pick.get("kind") else None)
    assert pick["kind"] == "skin" and isinstance(pick["vertex"], int)
    import viewer_app

    skin = viewer_app.skin_vertices(MESHES)
    assert np.linalg.norm(skin[pick["vertex"]] - np.asarray(pick["position"])) < 0.05


def test_hiding_layers_removes_their_pixels(opened) -> None:  # type: ignore[no-untyped-def]
    page, viewer = opened
    shown = canvas_pixel_stats(page.locator(".myoatlas-canvas canvas").screenshot())
    k = n_events(page)
    viewer.param.update(show_skin=False, show_muscles=False)
    wait_drawn(page, "show_", k)
    hidden = canvas_pixel_stats(page.locator(".myoatlas-canvas canvas").screenshot())
    assert hidden["foreground_fraction"] < 0.8 * shown["foreground_fraction"], (shown, hidden)
    assert hidden["foreground_fraction"] > 0.005  # the skeleton is still drawn


def test_removing_the_viewer_frees_its_webgl_context(opened) -> None:  # type: ignore[no-untyped-def]
    import viewer_app

    page, _ = opened
    assert page.locator(".myoatlas-canvas canvas").count() == 1
    canvas = page.locator(".myoatlas-canvas canvas").element_handle()
    assert canvas.evaluate("c => c.getContext('webgl2').isContextLost()") is False
    viewer_app.PAGES[-1].objects = []
    page.wait_for_function("window.__myoatlas.viewers.length === 0", timeout=20_000)
    assert page.locator(".myoatlas-canvas canvas").count() == 0
    assert canvas.evaluate("c => c.getContext('webgl2').isContextLost()") is True


def test_changes_are_small_messages(opened) -> None:  # type: ignore[no-untyped-def]
    page, viewer = opened
    cdp = page.context.new_cdp_session(page)
    frames: list[int] = []
    cdp.on("Network.webSocketFrameReceived",
           lambda e: frames.append(len(e["response"]["payloadData"])))
    cdp.send("Network.enable")
    k = n_events(page)
    viewer.highlight = ["rectus_femoris"]
    wait_drawn(page, "highlight", k)
    assert frames and sum(frames) < 2_000, frames  # the geometry is not sent again
    frames.clear()
    k = n_events(page)
    viewer.paint_zone(range(0, 2000), range(2000, 2500))
    wait_drawn(page, "zone_essential", k)
    # 2500 uint32 ids = 10 kB (base64 in the DevTools record: x4/3), plus a small header.
    assert sum(frames) < 10_000 * 4 / 3 + 3_000, frames
