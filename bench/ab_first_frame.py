"""A/B the first frame of two running atlas servers: loads interleaved, medians compared.

Usage::

    python bench/ab_first_frame.py URL_A URL_B [--loads 8]

The machine's speed drifts over minutes (other work, thermal limits), more than one change to
the page gains, so two versions are compared in one run: a fresh Chromium context loads A,
then B, then A..., and the times from navigation to the first drawn frame (the viewer's WebGL
fence, as ``bench/app_bench.py`` reads it) are printed per server with their min and median.
Serve the two versions on two ports first, e.g. the working tree and a ``git worktree`` of
the commit to compare with::

    myoatlas serve --port 5081 &
    (cd /tmp/base && python -m anatomy.cli serve --port 5082) &
    python bench/ab_first_frame.py http://127.0.0.1:5081/ http://127.0.0.1:5082/
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from app_bench import CHROMIUM_ARGS, FIRST_FRAME, VIEWPORT

TIMES = """(() => {
  const v = window.__myoatlas.viewers[0];
  const nav = performance.getEntriesByType('navigation')[0];
  return {drawn: v.firstFrameDrawnAt, applied: v.firstFrameAt,
          dom: nav ? nav.domContentLoadedEventEnd : null};
})()"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", nargs=2, metavar="URL")
    parser.add_argument("--loads", type=int, default=8, help="loads of each (default 8)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    times: dict[str, list[dict[str, float]]] = {url: [] for url in args.urls}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for _ in range(args.loads):
            for url in args.urls:
                context = browser.new_context(viewport=VIEWPORT)
                page = context.new_page()
                page.goto(url, timeout=180_000)
                page.wait_for_function(FIRST_FRAME, timeout=120_000)
                times[url].append(page.evaluate(TIMES))
                context.close()
        browser.close()
    for label, url in zip("AB", args.urls, strict=True):
        drawn = [t["drawn"] for t in times[url]]
        dom = [t["dom"] for t in times[url] if t["dom"] is not None]
        print(f"{label} {url}: first frame drawn min {min(drawn):.0f} ms, median "
              f"{statistics.median(drawn):.0f} ms (loads: {', '.join(f'{d:.0f}' for d in drawn)});"
              f" DOM ready median {statistics.median(dom):.0f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
