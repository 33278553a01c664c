"""How long loading the atlas takes, and how much memory it holds.

Run: ``python bench/load_atlas.py [--annotations PATH] [--meshes DIR] [--repeat N]``.
Prints, as the median of N fresh loads (each in a fresh ``MeshSet``/``Atlas``):

- ``meshes``: ``MeshSet.load`` plus reading and checking every mesh file (sha256, counts);
- ``load_atlas`` without checks (content + meshes), then the named cross-reference checks
  (which resolve every trigger point and zone on both sides), each timed;
- ``lookup index``: building the zone index the first lookup needs;
- peak Python heap (tracemalloc) and the process's max resident set size.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from anatomy.atlas.checks import run_checks
from anatomy.atlas.model import load_atlas
from anatomy.errors import AtlasError
from anatomy.geometry.meshset import MeshSet


def _time(fn) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=Path, default=None)
    parser.add_argument("--meshes", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    def meshes_only() -> MeshSet:
        ms = MeshSet.load(args.meshes)
        ms.load_all()
        return ms

    mesh_t, atlas_t, check_t, index_t = [], [], [], []
    problems: list = []
    for _ in range(args.repeat):
        t, _ = _time(meshes_only)
        mesh_t.append(t)
        t, atlas = _time(lambda: load_atlas(args.annotations, args.meshes, check=False))
        atlas_t.append(t)
        t, problems = _time(lambda: run_checks(atlas))  # noqa: B023
        check_t.append(t)
        t, _ = _time(lambda: atlas.zone_index)  # noqa: B023
        index_t.append(t)
    tracemalloc.start()
    atlas = load_atlas(args.annotations, args.meshes, check=False)
    run_checks(atlas)
    atlas.meshes.load_all()
    atlas.zone_index  # noqa: B018
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    entries = atlas.meshes.entries.values()
    size = sum((atlas.meshes.directory / e.path).stat().st_size for e in entries)

    def ms(ts: list[float]) -> str:
        return f"median {statistics.median(ts) * 1000:.0f} ms (min {min(ts) * 1000:.0f})"

    total = [a + c + i for a, c, i in zip(atlas_t, check_t, index_t, strict=True)]
    print(f"meshes dir: {atlas.meshes.directory} ({len(atlas.meshes.entries)} files, "
          f"{size / 1e6:.1f} MB); n={args.repeat} fresh loads")
    print(f"meshes (manifest, skin, landmarks, every file read and checked): {ms(mesh_t)}")
    print(f"load_atlas without checks (content + meshes + landmarks):        {ms(atlas_t)}")
    print(f"named cross-reference checks (all trigger points and zones):     {ms(check_t)}")
    print(f"lookup index after the checks:                                  {ms(index_t)}")
    print(f"total, ready for lookups:                                       {ms(total)}")
    print(f"memory: peak Python heap {peak / 1e6:.0f} MB, max RSS {rss_mb:.0f} MB")
    if problems:
        print(f"note: the checks found {len(problems)} problems (see `myoatlas validate`)")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AtlasError as exc:  # e.g. meshes/ being rebuilt while the bench runs
        print(f"{Path(__file__).name}: error: {exc.located()}", file=sys.stderr)
        sys.exit(2)
