"""Needle depths: the published depths of each trigger point's site beside this body's.

Run: ``python bench/needle_depths.py [--annotations PATH] [--meshes DIR]
[--side both|left|right]``.
Prints

- every depth study of the content (``depth_studies``), with its citation and the line the
  model is measured along (the study's direction, or straight in along the skin's normal);
  each published figure (group, mean ± SD, median, range, floor, change, limit, n) beside
  the model's figure and the verdict, on both sides (or the one side asked for);
- a count of the verdicts;
- the depth profile of every trigger point that has one: the line's direction (the record's
  ``needle_direction`` or the skin normal), the far side of the target muscle, the first
  bone, the nearest rib (a probe slid onto it), the pleura, the kidney and the abdomen (past
  the muscles of its back wall), in mm from the skin.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from anatomy.atlas.depth import VERDICTS, Comparison, DepthProfile, round_mm
from anatomy.atlas.model import Atlas, load_atlas
from anatomy.errors import AtlasError
from anatomy.text.needle import figure_words

WHAT = {
    "pleura": "to pleura",
    "rib": "to rib",
    "muscle_surface": "to muscle",
    "muscle_deep": "muscle far side",
    "muscle_thickness": "muscle thickness",
    "kidney_or_peritoneum": "kidney/peritoneum",
}


def _cell(c: Comparison | None) -> tuple[str, str]:
    if c is None:
        return "\u2013", "no depth profile"
    return round_mm(c.model_mm), c.verdict


def print_studies(atlas: Atlas, sides: list[str]) -> Counter[str]:
    """Each study with its figures beside the model's; the verdicts counted."""
    counts: Counter[str] = Counter()
    content = atlas.content
    for study in content.depth_studies:
        record = atlas.record(study.muscle)
        tp = record.trigger_point(study.trigger_point)
        profiles: dict[str, DepthProfile | None] = {
            s: atlas.depths.profile(record.id, tp.id, s) for s in sides
        }
        along = study.direction or "straight in (skin normal)"
        print(f"\n{study.id}: {tp.name} ({record.id}/{tp.id})")
        source = content.sources.get(study.source)
        print(f"  {source.citation() if source else study.source}")
        print(f"  site: {study.site}")
        print(f"  method: {study.method}; model measured along: {along}")
        head = f"  {'what':17s} {'group':26s} {'published':40s}"
        for s in sides:
            head += f" {'model ' + s[0].upper():>8s} {'verdict ' + s[0].upper():17s}"
        print(head.rstrip())
        for k, figure in enumerate(study.figures):
            row = f"  {WHAT[figure.to]:17s} {figure.group[:26]:26s} {figure_words(figure):40s}"
            for s in sides:
                profile = profiles[s]
                mine = [c for c in profile.comparisons if c.study.id == study.id] if profile else []
                model, said = _cell(mine[k] if k < len(mine) else None)
                counts[said] += 1
                row += f" {model:>8s} {said:17s}"
            print(row.rstrip())
    return counts


def print_profiles(atlas: Atlas, sides: list[str]) -> int:
    """The depth profile of every trigger point that has one; returns how many."""
    head = (f"{'muscle/trigger point':38s} {'side':5s} {'line along':22s} {'muscle':>7s} "
            f"{'first bone':30s} {'nearest rib':22s} {'pleura':>7s} {'kidney':>7s} {'abdomen':>7s}")
    print("\n" + head)
    print("-" * len(head))
    points = atlas.depths.points()
    for muscle, tp_id in points:
        tp = atlas.record(muscle).trigger_point(tp_id)
        for side in sides:
            p = atlas.depths.profile(muscle, tp_id, side)
            if p is None:
                continue
            line = p.line
            along = tp.needle_direction if line.direction_from == "record" else "skin normal"
            bone = f"{line.bone[0]} {round_mm(line.bone[1])}" if line.bone else "\u2013"
            rib = p.figures.rib
            rib_text = f"{rib[0]} {round_mm(rib[1])}" if rib else "\u2013"
            print(f"{muscle + '/' + tp_id:38s} {side:5s} {along or '':22s} "
                  f"{round_mm(line.muscle_mm):>7s} {bone:30s} {rib_text:22s} "
                  f"{round_mm(line.pleura_mm):>7s} {round_mm(line.kidney_mm):>7s} "
                  f"{round_mm(line.abdomen_mm):>7s}")
    return len(points)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=Path, default=None)
    parser.add_argument("--meshes", type=Path, default=None)
    parser.add_argument("--side", choices=("both", "left", "right"), default="both")
    args = parser.parse_args()
    sides = ["left", "right"] if args.side == "both" else [args.side]
    start = time.perf_counter()
    atlas = load_atlas(args.annotations, args.meshes, check=False)
    studies = atlas.content.depth_studies
    print(f"{len(studies)} depth studies; the model on the {' and '.join(sides)} side"
          f"{'s' if len(sides) > 1 else ''}; depths in mm from the skin")
    counts = print_studies(atlas, sides)
    total = sum(counts.values())
    order = [*VERDICTS, *sorted(set(counts) - set(VERDICTS))]
    print(f"\nverdicts ({total} figures x sides): "
          + ", ".join(f"{v} {counts[v]}" for v in order if counts[v] or v in VERDICTS))
    n = print_profiles(atlas, sides)
    print(f"\n{n} trigger points with a depth profile; computed in "
          f"{time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AtlasError as exc:
        print(f"{Path(__file__).name}: error: {exc.located()}", file=sys.stderr)
        sys.exit(2)
