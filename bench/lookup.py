"""Latency of a one-point "where does it hurt?" lookup (target: p95 <= 20 ms).

Run: ``python bench/lookup.py [--annotations PATH] [--meshes DIR] [--n 500]``.
Loads the atlas once, builds the zone index with one warm-up lookup (timed separately), then
times ``Atlas.lookup(points=[p])`` for N random skin points (each nudged 2 mm off the skin, so
the snap to the nearest vertex is part of the measurement) and ``lookup(landmark=...)`` for
every landmark. Prints p50/p95/max in milliseconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from anatomy.atlas.model import load_atlas
from anatomy.errors import AtlasError

TARGET_P95_MS = 20.0


def _stats(times: list[float]) -> str:
    ms = np.array(times) * 1000
    return (f"p50 {np.percentile(ms, 50):.2f} ms, p95 {np.percentile(ms, 95):.2f} ms, "
            f"max {ms.max():.2f} ms (n={len(ms)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=Path, default=None)
    parser.add_argument("--meshes", type=Path, default=None)
    parser.add_argument("--n", type=int, default=500)
    args = parser.parse_args()
    atlas = load_atlas(args.annotations, args.meshes, check=False)
    skin = atlas.meshes.skin_surface.vertices
    t = time.perf_counter()
    atlas.lookup(points=[skin[0]])
    warm = time.perf_counter() - t
    rng = np.random.default_rng(1)
    points = skin[rng.integers(0, len(skin), args.n)]
    points = points + rng.normal(size=points.shape) * 0.002
    point_times, n_hits = [], []
    for p in points:
        t = time.perf_counter()
        hits = atlas.lookup(points=[p], top=10)
        point_times.append(time.perf_counter() - t)
        n_hits.append(len(hits))
    lm_times = []
    for name in atlas.landmarks.names:
        t = time.perf_counter()
        atlas.lookup(landmark=name, top=10)
        lm_times.append(time.perf_counter() - t)
    p95 = float(np.percentile(np.array(point_times) * 1000, 95))
    print(f"zone index: {len(atlas.zone_index.zone_sets)} trigger-point sides, "
          f"{len(skin)} skin vertices; first lookup (builds the index) {warm * 1000:.0f} ms")
    print(f"one-point lookup (random skin points): {_stats(point_times)}; "
          f"{np.mean(np.array(n_hits) > 0) * 100:.0f}% of points hit at least one zone")
    print(f"landmark lookup (every landmark):      {_stats(lm_times)}")
    verdict = "OK" if p95 <= TARGET_P95_MS else "TOO SLOW"
    print(f"target p95 <= {TARGET_P95_MS:g} ms: {verdict}")
    return 0 if p95 <= TARGET_P95_MS else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AtlasError as exc:  # e.g. meshes/ being rebuilt while the bench runs
        print(f"{Path(__file__).name}: error: {exc.located()}", file=sys.stderr)
        sys.exit(2)
