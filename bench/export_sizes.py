"""How big the exports are: handouts, the static site, and the mesh data inside them.

Run: ``python bench/export_sizes.py [--annotations PATH] [--meshes DIR] [--out DIR]
[--muscles N] [--browser]``. Prints

- the geometry of the whole body in four encodings: float32 (the app's websocket buffer),
  JSON lists of floats (what a naive export would write), the compact buffer (int16
  positions, int8 normals) and that buffer deflated + base64 (what the pages carry);
- one handout per muscle (patient mode, right side, all trigger points): smallest, median,
  largest (and which), with the largest split into vtk.js / geometry / the rest;
- the static site: total, vtk.js, the body geometry, pages;
- with ``--browser``: the largest handout opened from ``file://`` in headless Chromium (time
  to the first drawn frame, and the requests made).

Exits 1 if a handout is over 5 MB or the site over 60 MB.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from anatomy.atlas.model import load_atlas
from anatomy.errors import AtlasError
from anatomy.export import assets
from anatomy.export.handout import build_handout
from anatomy.export.packing import pack_geometry
from anatomy.export.scenes import body_meshes
from anatomy.export.site import export_site
from anatomy.scene.web import build_web_scene

HANDOUT_LIMIT = 5_000_000
SITE_LIMIT = 60_000_000


def mb(n: float) -> str:
    return f"{n / 1e6:6.2f} MB"


def _load(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    try:
        return load_atlas(args.annotations, args.meshes)
    except AtlasError as exc:
        n = len(getattr(exc, "problems", None) or [exc])
        print(f"note: the atlas checks report {n} problem(s); sizes measured without them")
        return load_atlas(args.annotations, args.meshes, check=False)


def geometry_encodings(atlas) -> None:  # type: ignore[no-untyped-def]
    meshes = body_meshes(atlas)
    app = build_web_scene(meshes)
    packed = pack_geometry(meshes)
    as_json = sum(len(json.dumps(m.vertices.tolist())) + len(json.dumps(m.faces.tolist()))
                  for m in meshes)
    tris = sum(a["counts"]["triangles"] for a in app.actors)
    pts = sum(a["counts"]["points"] for a in app.actors)
    print(f"whole-body geometry: {len(meshes)} meshes, {pts:,} points, {tris:,} triangles")
    print(f"  JSON lists of floats       {mb(as_json)}")
    print(f"  float32 (app websocket)    {mb(len(app.buffer))}")
    print(f"  compact int16/int8 raw     {mb(packed.raw_size)}")
    print(f"  compact deflate            {mb(len(packed.data))}")
    print(f"  compact deflate + base64   {mb(len(packed.base64()))}   (in the pages)")


def handouts(atlas, limit: int | None) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    sizes: dict[str, int] = {}
    times = []
    largest_html = ""
    for record in atlas.content.muscles[:limit]:
        t = time.perf_counter()
        html = build_handout(atlas, record.id, None, side="right", mode="patient")
        times.append(time.perf_counter() - t)
        sizes[record.id] = len(html.encode("utf-8"))
        if sizes[record.id] == max(sizes.values()):
            largest_html = html
    order = sorted(sizes, key=sizes.get)  # type: ignore[arg-type]
    big = order[-1]
    vtk = len(assets.vtk_js().encode())
    start = largest_html.find('data: "')
    geometry = largest_html.find('"', start + 7) - start if start >= 0 else 0
    print(f"handouts ({len(sizes)} muscles, patient mode, right side, all trigger points; "
          f"built in {statistics.median(times):.2f} s median):")
    print(f"  smallest {mb(sizes[order[0]])}  {order[0]}")
    print(f"  median   {mb(statistics.median(sizes.values()))}")
    print(f"  largest  {mb(sizes[big])}  {big}  = vtk.js {mb(vtk)} + geometry {mb(geometry)} "
          f"+ text, styles, viewer {mb(sizes[big] - vtk - geometry)}")
    return sizes[big], big, largest_html


def site(atlas, out: Path) -> int:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    sizes = export_site(atlas, out)
    took = time.perf_counter() - t
    pages = {k: v for k, v in sizes.items() if k.endswith(".html")}
    total = sum(sizes.values())
    print(f"static site ({out}, written in {took:.1f} s): {mb(total)} in {len(sizes)} files")
    print(f"  assets/vtk.js  {mb(sizes['assets/vtk.js'])}")
    print(f"  assets/body.js {mb(sizes['assets/body.js'])}  (whole-body geometry, shared)")
    print(f"  {len(pages)} pages    {mb(sum(pages.values()))}  "
          f"(largest {mb(max(pages.values()))}: zones and text of every mode inline)")
    return total


def browser(html: str) -> None:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "browser"))
    from conftest import CHROMIUM, CHROMIUM_ARGS

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        path = Path(tmp) / "handout.html"
        path.write_text(html, encoding="utf-8")
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = b.new_context(offline=True).new_page()
        requests: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(("blob:", "data:"))
                else requests.append(r.url))  # in-page object URLs are not requests
        t = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_function("() => window.__myoatlasPage && window.__myoatlasPage.ready",
                               timeout=120_000)
        wall = time.perf_counter() - t
        first = page.evaluate("window.__myoatlasPage.firstFrameMs")
        timings = page.evaluate("window.__myoatlasPage.timings")
        nav = page.evaluate("(() => { const n = performance.getEntriesByType('navigation')[0];"
                            " return [n.responseEnd, n.domContentLoadedEventEnd]; })()")
        b.close()
    print(f"in the page (ms): file read {nav[0]:.0f}, scripts parsed and run (DOMContentLoaded) "
          f"{nav[1]:.0f}; then " + ", ".join(f"{k} {v:.0f}" for k, v in timings.items()))
    print(f"largest handout in Chromium (file://, offline): first frame {wall:.2f} s after "
          f"navigation ({first / 1000:.2f} s after the scripts ran); requests: "
          f"{len(requests)} (the file itself)" if requests == [path.as_uri()] else
          f"requests: {requests}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=Path, default=None)
    parser.add_argument("--meshes", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None, help="where to write the site")
    parser.add_argument("--muscles", type=int, default=None, help="handouts for N muscles")
    parser.add_argument("--browser", action="store_true", help="time the largest handout")
    args = parser.parse_args()
    try:
        atlas = _load(args)
    except AtlasError as exc:
        print(f"cannot load the atlas: {exc.located()}", file=sys.stderr)
        return 2
    geometry_encodings(atlas)
    largest, name, html = handouts(atlas, args.muscles)
    with tempfile.TemporaryDirectory() as tmp:
        total = site(atlas, args.out or Path(tmp) / "site")
    if args.browser:
        browser(html)
    ok = largest <= HANDOUT_LIMIT and total <= SITE_LIMIT
    print(f"limits: handout {mb(largest)} <= {mb(HANDOUT_LIMIT)} "
          f"{'ok' if largest <= HANDOUT_LIMIT else 'OVER'} ({name}); site {mb(total)} <= "
          f"{mb(SITE_LIMIT)} {'ok' if total <= SITE_LIMIT else 'OVER'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
