"""Benchmark the atlas app's 3D view in headless Chromium against Panel's plain VTK pane.

Usage::

    python bench/app_bench.py [--meshes DIR] [--rounds 15] [--baseline-rounds 4]
                              [--warm-loads 5] [--no-baseline] [--json OUT.json]

The atlas is served by ``myoatlas serve`` (patient mode, the default) in its own process, as
a clinic runs it: first frames (cold and warm), bytes, and clicks timed in the browser (a
click on a muscle selects it: highlight and trigger-point markers; a click on a marker, or on
a trigger point in the side list, selects that trigger point: its zones are painted). One
in-process Panel server then serves two more pages on loopback:

- ``/app``: the same app (:func:`anatomy.ui.layout.create_app`), changed from Python (the
  time from a server-side change to the browser having applied it);
- ``/baseline``: ``pn.pane.VTK(plotter.ren_win)`` of the same meshes, changed from Python with
  ``synchronize()`` (Panel's vtk.js is loaded for this page only).

It prints, for both: page request to first drawn frame (cold = first session of the server
process, warm = later sessions in fresh browser contexts), bytes sent to the browser (HTTP
bodies + websocket frames, from the Chrome DevTools protocol), and p50/p95 latencies of
selection (highlight), zone painting and picking. Times of the app come from the page's
``window.__myoatlas`` hook: ``applied`` = the change has been rendered by vtk.js (render call
returned), ``drawn`` = a WebGL fence says the GPU (here: software rendering on the CPU) has
finished the frame. The baseline pane has no such hook: its time is taken from the last WebGL
draw call after the change (recorded by a wrapped ``drawElements``), i.e. "applied".
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "browser")]

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
    "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip
VIEWPORT = {"width": 1280, "height": 900}
# True once the viewer's first frame is drawn (its WebGL fence has signalled).
FIRST_FRAME = "window.__myoatlas && window.__myoatlas.viewers.some(v => v.firstFrameDrawnAt)"

# Wraps WebGL draw calls so that the baseline's frames can be timed (epoch milliseconds).
DRAW_HOOK = """
(() => {
  window.__draws = {n: 0, last: 0};
  for (const C of [WebGLRenderingContext, WebGL2RenderingContext]) {
    for (const name of ['drawElements', 'drawArrays']) {
      const orig = C.prototype[name];
      C.prototype[name] = function (...args) {
        window.__draws.n += 1; window.__draws.last = performance.timeOrigin + performance.now();
        return orig.apply(this, args);
      };
    }
  }
})();
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation; NaN for no values."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def summary(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50": round(pct(values, 50), 1), "p95": round(pct(values, 95), 1)}


class ByteCounter:
    """Bytes received by one page: HTTP response bodies and websocket frames (CDP)."""

    def __init__(self, context: Any, page: Any) -> None:
        self.http = 0
        self.ws = 0
        self.ws_frames = 0
        cdp = context.new_cdp_session(page)
        cdp.on("Network.loadingFinished", self._http)
        cdp.on("Network.webSocketFrameReceived", self._frame)
        cdp.send("Network.enable")
        self._cdp = cdp

    def _http(self, event: dict) -> None:
        self.http += int(event.get("encodedDataLength", 0))

    def _frame(self, event: dict) -> None:
        resp = event["response"]
        data = resp.get("payloadData", "")
        # Binary frames (opcode 2) arrive base64-encoded.
        self.ws += len(data) * 3 // 4 if resp.get("opcode") == 2 else len(data.encode())
        self.ws_frames += 1

    @property
    def total(self) -> int:
        return self.http + self.ws


def wait_quiet_draws(
    page: Any, since: float, quiet_ms: float = 1500, timeout: float = 120
) -> float:
    """Epoch ms of the last draw call after ``since`` once draws stop for ``quiet_ms``."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        last = page.evaluate("window.__draws.last")
        if last > since and time.time() * 1000 - last > quiet_ms:
            return float(last)
        time.sleep(0.1)
    raise TimeoutError("the baseline pane never finished drawing")


# ---- the custom component --------------------------------------------------------------------
def load_viewer(browser: Any, url: str, count_bytes: bool = False) -> tuple[Any, Any, dict]:
    """Open ``url`` in a fresh context; time its first frame (and count its bytes, if asked:
    the DevTools capture of websocket payloads slows the page, so timed loads go without)."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    counter = ByteCounter(context, page) if count_bytes else None
    page.goto(url, timeout=180_000)
    page.wait_for_function(FIRST_FRAME, timeout=120_000)
    rec = page.evaluate("(() => { const v = window.__myoatlas.viewers[0];"
                        " const nav = performance.getEntriesByType('navigation')[0];"
                        " return {applied: v.firstFrameAt, drawn: v.firstFrameDrawnAt,"
                        " build: v.buildMs, render: v.firstRenderCallMs,"
                        " dom: nav ? nav.domContentLoadedEventEnd : null}; })()")
    if counter is None:
        return context, page, {
            "first_frame_ms": round(rec["drawn"]), "first_render_call_ms": round(rec["applied"]),
            "js_build_ms": round(rec["build"]), "js_first_render_call_ms": round(rec["render"]),
            "dom_content_loaded_ms": round(rec["dom"] or -1)}
    time.sleep(0.5)  # let late messages arrive before counting bytes
    return context, page, {
        "first_frame_ms": round(rec["drawn"]), "first_render_call_ms": round(rec["applied"]),
        "js_build_ms": round(rec["build"]), "js_first_render_call_ms": round(rec["render"]),
        "dom_content_loaded_ms": round(rec["dom"] or -1), "bytes": counter.total,
        "http_bytes": counter.http, "ws_bytes": counter.ws, "ws_frames": counter.ws_frames}


def last_event(page: Any, what: str, after: int, timeout: float = 30) -> dict[str, Any]:
    try:
        _wait_event(page, what, after, timeout)
    except Exception:
        events = page.evaluate("window.__myoatlas.viewers[0].events")
        raise RuntimeError(f"no {what!r} event after #{after}; events: {events[-5:]}") from None
    events = page.evaluate("window.__myoatlas.viewers[0].events")
    return next(e for e in events[after:] if what in e["what"])


def _wait_event(page: Any, what: str, after: int, timeout: float) -> None:
    page.wait_for_function(
        "([w, k]) => window.__myoatlas.viewers[0].events.slice(k)"
        ".some(e => e.what.includes(w) && e.drawn !== undefined)", arg=[what, after],
        timeout=timeout * 1000)


def n_events(page: Any) -> int:
    return int(page.evaluate("window.__myoatlas.viewers[0].events.length"))


def click_rounds(page: Any, viewer: Any, ids: list[str], what: str, rounds: int) -> dict:
    """Click the given actors in turn; collect click->applied/drawn and click->Python times."""
    arrivals: list[float] = []
    if viewer is not None:  # an in-process server: when the pick reached Python
        viewer.param.watch(lambda e: arrivals.append(time.time() * 1000 - e.new["client_time"]),
                           "pick")
    points = {}
    for i in ids:
        p = page.evaluate(f"window.__myoatlas.viewers[0].findScreenPoint('{i}')")
        if p:
            points[i] = p
    if len(points) < 2:
        raise RuntimeError(f"fewer than two of {ids} are visible to click")
    order = list(points)
    applied, drawn, pick_ms = [], [], []
    for r in range(rounds):
        p = points[order[r % len(order)]]
        k = n_events(page)
        page.mouse.click(p["x"], p["y"])
        ev = last_event(page, what, k)
        applied.append(ev["sinceClick"])
        drawn.append(ev["drawnSinceClick"])
        pick_ms.append(page.evaluate("window.__myoatlas.viewers[0].picks.at(-1).pick_ms"))
        time.sleep(0.15)
    return {"click_to_applied": summary(applied), "click_to_drawn": summary(drawn),
            "ray_pick_js": summary(pick_ms), "click_to_python": summary(arrivals),
            "targets": order}


def python_rounds(page: Any, changes: list[Any], what: str, rounds: int) -> dict:
    """Apply ``changes`` (callables) from Python in turn; time to applied/drawn in the browser.

    Python's and the page's clocks are both the machine's wall clock (epoch milliseconds).
    """
    origin = page.evaluate("performance.timeOrigin")
    applied, drawn = [], []
    for r in range(rounds):
        k = n_events(page)
        t0 = time.time() * 1000
        changes[r % len(changes)]()
        ev = last_event(page, what, k)
        arrival = origin + ev["at"] - ev["applied"]
        applied.append(arrival - t0 + ev["applied"])
        drawn.append(arrival - t0 + ev["drawn"])
        time.sleep(0.1)
    return {"python_to_applied": summary(applied), "python_to_drawn": summary(drawn)}


APPS: list[Any] = []  # every AtlasApp served, newest last (the bench drives it from Python)


def app_page(meshes_dir: str | None) -> Any:
    """One session of the atlas app, as ``myoatlas serve`` builds it."""
    from anatomy.ui.server import prepare, session_app

    if not _PREPARED:
        _PREPARED.append(prepare(None, Path(meshes_dir) if meshes_dir else None, None))
    atlas, scene, _document = _PREPARED[0]
    app = session_app(atlas, scene, mode="student")
    APPS.append(app)
    return app


_PREPARED: list[Any] = []


def session_doc(viewer: Any) -> Any:
    return next(iter(viewer._models.values()))[0].document


def on_doc(doc: Any, fn: Any) -> None:
    """Run ``fn`` on the session's own thread (Bokeh documents are changed there) and wait.

    Its changes go out as one message, as those of the app's own buttons and clicks do.
    """
    import panel as pn

    done: list[bool] = []

    def run() -> None:
        with pn.io.hold(doc):
            fn()
        done.append(True)

    doc.add_next_tick_callback(run)
    while not done:
        time.sleep(0.005)


def reset_view(page: Any) -> None:
    """The anterior camera preset, clicked as a person would; waits for it to be applied."""
    if not page.locator(".cam-anterior button").count():  # the card starts closed
        page.locator(".layers-card .card-header").first.click()
        page.locator(".cam-anterior button").wait_for(timeout=10_000)
    k = n_events(page)
    page.locator(".cam-anterior button").click()
    with contextlib.suppress(Exception):  # already the anterior view: nothing to apply
        _wait_event(page, "camera", k, 10)
    time.sleep(0.3)


def select_by_click(page: Any, mesh_id: str) -> None:
    """Click a muscle in the 3D view and wait until its markers are drawn."""
    last = page.evaluate("window.__myoatlas.viewers[0].picks.at(-1) || null")
    if last and last["kind"] == "muscle" and last["id"] == mesh_id:
        return  # already selected with its markers: a click would change (and draw) nothing
    point = page.evaluate(f"window.__myoatlas.viewers[0].findScreenPoint('{mesh_id}')")
    if not point:
        raise RuntimeError(f"{mesh_id} is not visible to click")
    k = n_events(page)
    page.mouse.click(point["x"], point["y"])
    last_event(page, "markers", k)
    time.sleep(0.5)  # the server's answer (text, URL) arrives after the click's own render


def marker_rounds(page: Any, choices: list[tuple[str, str]], rounds: int) -> dict:
    """Select a muscle by a click, then click one of its markers: click -> zones painted."""
    applied, drawn, pick_ms = [], [], []
    for r in range(rounds):
        muscle, tp = choices[r % len(choices)]
        reset_view(page)
        select_by_click(page, f"{muscle}_right")
        point = page.evaluate(
            f"window.__myoatlas.viewers[0].findScreenPoint('{muscle}:{tp}')")
        if not point:
            raise RuntimeError(f"marker {muscle}:{tp} is not visible to click")
        k = n_events(page)
        page.mouse.click(point["x"], point["y"])
        ev = last_event(page, "zone_essential", k)
        applied.append(ev["sinceClick"])
        drawn.append(ev["drawnSinceClick"])
        pick_ms.append(page.evaluate("window.__myoatlas.viewers[0].picks.at(-1).pick_ms"))
        time.sleep(0.3)
    return {"click_to_applied": summary(applied), "click_to_drawn": summary(drawn),
            "ray_pick_js": summary(pick_ms), "targets": [f"{m}:{t}" for m, t in choices]}


def list_rounds(page: Any, choices: list[tuple[str, str]], rounds: int) -> dict:
    """Select a muscle, then click a trigger point in the side list: click -> zones painted."""
    # on the window, capturing: it runs before any listener on the document (the viewer
    # paints a list click's zones from one there)
    page.evaluate("window.addEventListener('click', () => "
                  "{ window.__uiClick = performance.now(); }, true)")
    applied, drawn = [], []
    for r in range(rounds):
        muscle, tp = choices[r % len(choices)]
        reset_view(page)
        select_by_click(page, f"{muscle}_right")
        button = page.locator(f".tp-{tp} button")
        button.wait_for(state="visible")
        k = n_events(page)
        button.click()
        ev = last_event(page, "zone_essential", k)
        t_click = page.evaluate("window.__uiClick")
        t_received = ev["at"] - ev["applied"]
        applied.append(ev["at"] - t_click)
        drawn.append(t_received + ev["drawn"] - t_click)
        time.sleep(0.3)
    return {"click_to_applied": summary(applied), "click_to_drawn": summary(drawn)}


# Muscles whose trigger point faces the front view (right side), and that point.
FRONT_POINTS = [("pectoralis_major", "sternal"), ("rectus_femoris", "proximal"),
                ("tibialis_anterior", "tp1")]
CLICK_MUSCLES = ("rectus_femoris", "tibialis_anterior", "pectoralis_major",
                 "vastus_lateralis", "biceps_brachii", "adductor_longus")


def start_served(meshes_dir: str | None) -> tuple[subprocess.Popen, str]:
    """``myoatlas serve`` in its own process, as a clinic runs it; waits for its port only."""
    port = free_port()
    cmd = [sys.executable, "-m", "anatomy.cli", "serve", "--port", str(port)]
    if meshes_dir:
        cmd += ["--meshes", meshes_dir]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # no page request: the first session is the cold one
        if proc.poll() is not None:
            raise RuntimeError(f"myoatlas serve exited with {proc.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return proc, f"http://127.0.0.1:{port}/"
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("myoatlas serve did not open its port within 120 s")


def bench_app(browser: Any, meshes_dir: str | None, rounds: int, warm_loads: int = 5
              ) -> dict[str, Any]:  # fmt: skip
    """The app served by ``myoatlas serve``: first frames, and clicks timed in the browser."""
    from anatomy.scene.web import load_web_scene

    proc, url = start_served(meshes_dir)
    try:
        out: dict[str, Any] = {}
        ctx, page, cold = load_viewer(browser, url)
        out["cold"] = cold
        ctx.close()
        warm = []
        for _ in range(warm_loads):
            ctx, page, w = load_viewer(browser, url)
            warm.append(w)
            ctx.close()
        out["warm"] = min(warm, key=lambda w: w["first_frame_ms"])
        out["warm_all"] = [w["first_frame_ms"] for w in warm]
        ctx.close()
        ctx, page, counted = load_viewer(browser, url, count_bytes=True)
        out["bytes"] = {k: counted[k] for k in ("bytes", "http_bytes", "ws_bytes", "ws_frames")}
        scene = load_web_scene(meshes_dir)
        muscles = [a["id"] for a in scene.actors
                   if a["kind"] == "muscle" and a["muscle"] in CLICK_MUSCLES]
        out["select_by_click"] = click_rounds(page, None, muscles, "highlight", rounds)
        out["paint_by_marker_click"] = marker_rounds(page, FRONT_POINTS, rounds)
        out["paint_by_list_click"] = list_rounds(page, FRONT_POINTS, rounds)
        ctx.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return out


def bench_python(browser: Any, base: str, rounds: int) -> dict[str, Any]:
    """The app served in this process, changed from Python: server change -> browser."""
    out: dict[str, Any] = {}
    ctx, page, _first = load_viewer(browser, base + "app")
    app = APPS[-1]
    doc = session_doc(app.viewer)
    select = [lambda m=m: on_doc(doc, lambda: app.state.select_muscle(m, "left"))
              for m, _ in FRONT_POINTS]
    out["select_from_python"] = python_rounds(page, select, "highlight", rounds)
    paint = [lambda m=m, t=t: on_doc(doc, lambda: app.state.select_trigger_point(t, m))
             for m, t in FRONT_POINTS]
    out["paint_from_python"] = python_rounds(page, paint, "zone_marker", rounds)
    sizes = []
    for m, t in FRONT_POINTS:
        z = [app.state.atlas.zone_vertices(m, t, "left", k) for k in ("essential", "spillover")]
        sizes.append(sum(len(v) for v in z))
    out["paint_vertices"] = {"min": min(sizes), "max": max(sizes)}
    ctx.close()
    return out


_MESHES: list[str | None] = [None]


def viewer_app_meshes() -> str | None:
    return _MESHES[0]


# ---- the baseline: Panel's VTK pane + synchronize() ---------------------------------------------
def baseline_app(meshes_dir: str | None, registry: list[dict]) -> Any:
    import numpy as np
    import panel as pn
    import pyvista as pv

    from anatomy.paths import default_meshes_dir
    from anatomy.scene.palette import BODY as COLOURS
    from anatomy.scene.palette import mesh_colour
    from anatomy.scene.web import read_scene_meshes

    pn.extension("vtk")  # Panel's vtk.js for this session's page only
    plotter = pv.Plotter(off_screen=True)
    actors = {}
    skin_mesh = None
    muscle_ids = []
    for m in read_scene_meshes(Path(meshes_dir) if meshes_dir else default_meshes_dir()):
        faces = np.hstack([np.full((len(m.faces), 1), 3), m.faces]).astype(np.int64).ravel()
        poly = pv.PolyData(m.vertices.astype(np.float32), faces)
        if m.kind == "skin":
            base = (np.asarray(COLOURS["skin"]) * 255).astype(np.uint8)
            poly["colours"] = np.tile(base, (poly.n_points, 1))
            actors[m.id] = plotter.add_mesh(poly, scalars="colours", rgb=True, opacity=0.28,
                                            smooth_shading=True)
            skin_mesh = poly
        else:
            actors[m.id] = plotter.add_mesh(poly, color=mesh_colour(m.kind, m.organ),
                                            smooth_shading=True)
            if m.kind == "muscle":
                muscle_ids.append(m.id)
    plotter.view_xz()
    pane = pn.pane.VTK(plotter.ren_win, sizing_mode="stretch_both", min_height=600)
    registry.append({"pane": pane, "actors": actors, "skin": skin_mesh, "plotter": plotter,
                     "muscle_ids": muscle_ids})
    return pn.Column(pane, sizing_mode="stretch_both")


def bench_baseline(browser: Any, base: str, registry: list[dict], rounds: int) -> dict[str, Any]:
    import numpy as np
    import viewer_app

    out: dict[str, Any] = {}
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(DRAW_HOOK)
    page = context.new_page()
    counter = ByteCounter(context, page)
    t0 = time.time() * 1000
    page.goto(base + "baseline", timeout=300_000)  # the server builds a PyVista scene first
    page.wait_for_function("window.__draws.n > 0", timeout=180_000)
    last = wait_quiet_draws(page, t0)
    origin = page.evaluate("performance.timeOrigin")
    out["first_frame_ms"] = last - origin
    out["bytes"] = counter.total
    out["ws_frames"] = counter.ws_frames
    session = registry[-1]
    pane, actors = session["pane"], session["actors"]
    doc = pane._models and next(iter(pane._models.values()))[0].document
    muscles = [i for i in actors if i.startswith(("rectus_femoris", "tibialis_anterior"))]
    all_muscles = [i for i in actors if i in set(session["muscle_ids"])]

    def on_doc(fn: Any) -> None:  # Bokeh documents must be changed on their own loop
        done: list[bool] = []
        doc.add_next_tick_callback(lambda: (fn(), done.append(True)))
        while not done:
            time.sleep(0.01)

    sel = []
    for r in range(rounds):
        target = muscles[r % len(muscles)]

        def highlight(target: str = target) -> None:  # as the viewer does: others dimmed
            for mid in all_muscles:
                actors[mid].prop.color = (0.86, 0.12, 0.10) if mid == target else (0.78, 0.70, 0.68)
            pane.synchronize()

        t = time.time() * 1000
        on_doc(highlight)
        sel.append(wait_quiet_draws(page, t, quiet_ms=1000) - t)
    out["select_from_python"] = summary(sel)
    skin = session["skin"]
    skin_xyz = np.asarray(skin.points)
    paint = []
    for r in range(max(2, rounds // 2)):
        marker = viewer_app.demo_markers(viewer_app_meshes())[r % 2]
        ess, spill = viewer_app.zone_around(skin_xyz, marker["position"])

        def zone(ess: Any = ess, spill: Any = spill) -> None:
            colours = np.tile((np.asarray((0.91, 0.76, 0.65)) * 255).astype(np.uint8),
                              (skin.n_points, 1))
            colours[spill] = (255, 230, 115)
            colours[ess] = (204, 77, 0)
            skin["colours"] = colours  # a new array: in-place edits break synchronize()
            pane.synchronize()

        t = time.time() * 1000
        on_doc(zone)
        paint.append(wait_quiet_draws(page, t, quiet_ms=1000) - t)
    out["paint_from_python"] = summary(paint)
    out["pick"] = "none: the VTK pane has no click/pick event"
    context.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--meshes", default=None, help="meshes directory (default: the atlas's)")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--baseline-rounds", type=int, default=4)
    parser.add_argument("--warm-loads", type=int, default=5, help="warm first frames (best kept)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--json", default=None, help="also write the results here")
    args = parser.parse_args(argv)
    _MESHES[0] = args.meshes

    import panel as pn
    from playwright.sync_api import sync_playwright

    pn.extension()
    registry: list[dict] = []
    port = free_port()
    server = pn.serve(
        {"/app": lambda: app_page(args.meshes),
         "/baseline": lambda: baseline_app(args.meshes, registry)},
        port=port, address="127.0.0.1", threaded=True, show=False,
        compress_response=True)  # gzip over HTTP, as `myoatlas serve` should  # fmt: skip
    time.sleep(1.0)
    base = f"http://127.0.0.1:{port}/"
    results: dict[str, Any] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            results["viewer"] = bench_app(browser, args.meshes, args.rounds, args.warm_loads)
            results["viewer"].update(bench_python(browser, base, args.rounds))
            report(results)
            if not args.no_baseline:
                results["baseline"] = bench_baseline(browser, base, registry, args.baseline_rounds)
            browser.close()
    finally:
        server.stop()
    print(json.dumps(results, indent=1))
    report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


def report(r: dict[str, Any]) -> None:
    v = r["viewer"]
    lines = [
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} "
        "(other processes share the CPU that software WebGL draws with)",
        "== the atlas app (custom vtk.js component AtlasViewer) ==",
        f"first frame, cold server: {v['cold']['first_frame_ms']:.0f} ms; warm: "
        f"{v['warm']['first_frame_ms']:.0f} ms (target <= 3000 warm; warm loads "
        f"{', '.join(str(x) for x in v['warm_all'])} ms)",
        f"bytes to the browser (warm page): {v['bytes']['bytes'] / 1e6:.2f} MB in "
        f"{v['bytes']['ws_frames']} websocket frames (target <= 5 MB); HTTP (gzip) "
        f"{v['bytes']['http_bytes'] / 1e6:.2f} MB, websocket {v['bytes']['ws_bytes'] / 1e6:.2f} MB",
        f"  warm breakdown: DOM ready {v['warm']['dom_content_loaded_ms']} ms, vtk.js objects "
        f"built in {v['warm']['js_build_ms']} ms, first render call returned at "
        f"{v['warm']['first_render_call_ms']} ms",
    ]
    for key, label in (("select_by_click", "click -> highlight"),
                       ("paint_by_marker_click", "click marker -> zone painted")):
        s = v[key]
        lines.append(f"{label}: applied p50 {s['click_to_applied']['p50']} / p95 "
                     f"{s['click_to_applied']['p95']} ms; drawn p50 {s['click_to_drawn']['p50']}"
                     f" / p95 {s['click_to_drawn']['p95']} ms")
        lines.append(f"  pick (JS ray cast) p50 {s['ray_pick_js']['p50']} / p95 "
                     f"{s['ray_pick_js']['p95']} ms")
    s = v["paint_by_list_click"]
    lines.append(f"click trigger point in the list -> zone painted: applied p50 "
                 f"{s['click_to_applied']['p50']} / p95 {s['click_to_applied']['p95']} ms; drawn "
                 f"p50 {s['click_to_drawn']['p50']} / p95 {s['click_to_drawn']['p95']} ms")
    if "select_from_python" not in v:
        print("\n".join(lines), flush=True)
        return
    lines.append("== the same app served in the bench's process, changed from Python ==")
    for key, label in (("select_from_python", "Python highlight"),
                       ("paint_from_python", "Python zone paint")):
        s = v[key]
        lines.append(f"{label} -> applied p50 {s['python_to_applied']['p50']} / p95 "
                     f"{s['python_to_applied']['p95']} ms; drawn p50 "
                     f"{s['python_to_drawn']['p50']} / p95 {s['python_to_drawn']['p95']} ms")
    lines.append(f"zones painted: {v['paint_vertices']['min']}-{v['paint_vertices']['max']} "
                 "skin vertices")
    if "baseline" in r:
        b = r["baseline"]
        lines += [
            "== baseline (pn.pane.VTK + synchronize) ==",
            f"first frame: {b['first_frame_ms']:.0f} ms; bytes {b['bytes'] / 1e6:.2f} MB "
            f"in {b['ws_frames']} frames",
            f"Python highlight -> drawn p50 {b['select_from_python']['p50']} / p95 "
            f"{b['select_from_python']['p95']} ms",
            f"Python zone paint -> drawn p50 {b['paint_from_python']['p50']} / p95 "
            f"{b['paint_from_python']['p95']} ms",
            f"pick: {b['pick']}",
        ]
        for base_key, ours_key, label in (
                ("select_from_python", "select_by_click", "highlight (click in the app)"),
                ("paint_from_python", "paint_by_marker_click", "zone paint (marker click)")):
            base, ours = b[base_key]["p50"], v[ours_key]
            lines.append(
                f"speed-up, {label} vs the baseline's Python change (p50): "
                f"{base / ours['click_to_applied']['p50']:.0f}x on 'applied', "
                f"{base / ours['click_to_drawn']['p50']:.0f}x on 'drawn'")
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
