"""Shape of our muscles against a reference anatomy: surface distance, axis, length, volume.

Measurement only (``myoatlas mesh-report --reference``): the reference is aligned onto ours with
one similarity fitted on the centroids of every muscle both have
(:func:`anatomy.meshbuild.muscles.reference.compare`), then each muscle is measured:

- ``surface_mm``: symmetric mean surface distance, ``SAMPLES`` points drawn on each surface
  (area-weighted, fixed seed), each measured to the other surface;
- ``shape_mm``: the same after moving the reference muscle onto our centroid (shape alone);
- ``axis_deg``: angle between the principal axes (0-90);
- ``length_ratio``: our extent along our principal axis over the reference's along its own;
- ``volume_ratio``: our closed volume over the published figure the muscle was sized to.

Each figure is checked against its target (:data:`TARGETS`): the median surface and shape
distances, and every muscle's axis angle, length ratio and volume ratio.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from anatomy.meshbuild.muscles.reference import (
    Part,
    align,
    load_ours,
    load_reference,
    main_axis,
    surface_samples,
)

SAMPLES = 3000

# What the muscles should reach against the reference: the median of a distance, or every
# muscle side within bounds (``None``: no bound on that side).
TARGETS: dict[str, tuple[str, float | None, float | None]] = {
    "surface_mm": ("median", None, 9.0),
    "shape_mm": ("median", None, 5.0),
    "axis_deg": ("every", None, 30.0),
    "length_ratio": ("every", 0.7, 1.4),
    "volume_ratio": ("every", 0.75, 1.25),
}
_DENSE_M = 0.001  # spacing of the points standing in for the surface measured to


@dataclass(frozen=True)
class ShapeRow:
    """One compared unit on one side."""

    unit: str
    side: str
    surface_mm: float
    shape_mm: float
    axis_deg: float
    length_ratio: float
    volume_ratio: float | None


def random_surface_points(tri: np.ndarray, n: int, seed: int = 0) -> np.ndarray:
    """``n`` points spread over a triangle soup by area (reproducible)."""
    rng = np.random.default_rng(seed)
    area = 0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1)
    pick = rng.choice(len(tri), size=n, p=area / area.sum())
    u, v = rng.random(n), rng.random(n)
    flip = u + v > 1
    u[flip], v[flip] = 1 - u[flip], 1 - v[flip]
    t = tri[pick]
    return t[:, 0] + u[:, None] * (t[:, 1] - t[:, 0]) + v[:, None] * (t[:, 2] - t[:, 0])


def mean_surface_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Symmetric mean distance (m) between triangle soups ``a`` and ``b``."""
    from scipy.spatial import cKDTree

    def one_way(src: np.ndarray, dst: np.ndarray) -> float:
        tree = cKDTree(surface_samples(dst, _DENSE_M))
        return float(tree.query(random_surface_points(src, SAMPLES))[0].mean())

    return 0.5 * (one_way(a, b) + one_way(b, a))


def extent_along_axis(tri: np.ndarray) -> float:
    """Length (m) of a triangle soup along its own principal axis."""
    pts = random_surface_points(tri, SAMPLES)
    proj = pts @ main_axis(tri)
    return float(proj.max() - proj.min())


def measure_shapes(ours: dict[tuple[str, str], Part], ref: dict[tuple[str, str], Part],
                   published_cm3: dict[str, float]) -> list[ShapeRow]:  # fmt: skip
    """Align ``ref`` onto ``ours`` (one similarity on matched centroids) and measure each."""
    keys, scale, rot, trans = align(ours, ref)
    rows = []
    for key in keys:
        mine = ours[key].triangles
        theirs = ref[key].triangles @ rot.T * scale + trans
        centred = theirs - ref[key].centroid @ rot.T * scale - trans + ours[key].centroid
        cos = abs(float(main_axis(mine) @ main_axis(theirs)))
        published = sum(published_cm3.get(m, np.nan) for m in key[0].split("+"))
        rows.append(ShapeRow(
            unit=key[0], side=key[1],
            surface_mm=1000 * mean_surface_distance(mine, theirs),
            shape_mm=1000 * mean_surface_distance(mine, centred),
            axis_deg=float(np.degrees(np.arccos(min(cos, 1.0)))),
            length_ratio=extent_along_axis(mine) / extent_along_axis(theirs),
            volume_ratio=(ours[key].volume * 1e6 / published
                          if np.isfinite(published) and published > 0 else None),
        ))  # fmt: skip
    return rows


def _published_volumes(meshes_dir: Path) -> dict[str, float]:
    import json

    manifest = json.loads((meshes_dir / "manifest.json").read_text(encoding="utf-8"))
    return {e["muscle"]: float(e["reference_volume_cm3"]) for e in manifest["meshes"]
            if e["kind"] == "muscle" and e.get("reference_volume_cm3")}  # fmt: skip


def shape_report(meshes_dir: Path, reference_glb: Path) -> dict[str, Any]:
    """Every compared muscle side, and the median and worst of each figure."""
    ours, _height = load_ours(meshes_dir)
    rows = measure_shapes(ours, load_reference(reference_glb), _published_volumes(meshes_dir))
    summary: dict[str, Any] = {}
    for field in ("surface_mm", "shape_mm", "axis_deg", "length_ratio", "volume_ratio"):
        measured = [r for r in rows if getattr(r, field) is not None]
        if not measured:
            continue
        values = np.array([getattr(r, field) for r in measured], dtype=float)
        # a ratio is worst furthest from 1 either way; a distance or angle, largest
        badness = np.abs(np.log(values)) if field.endswith("_ratio") else values
        worst = measured[int(np.argmax(badness))]
        summary[field] = {"median": float(np.median(values)), "min": float(values.min()),
                          "max": float(values.max()),
                          "worst": f"{worst.unit} {worst.side}",
                          **target_check(field, measured, values)}  # fmt: skip
    return {"rows": [r.__dict__ for r in rows], "summary": summary}


def target_check(field: str, rows: list[ShapeRow], values: np.ndarray) -> dict[str, Any]:
    """``{target, met, outside}`` for one figure: the target in words, whether it is met,
    and the muscle sides outside an every-muscle bound (worst first)."""
    if field not in TARGETS:
        return {}
    kind, low, high = TARGETS[field]
    words = " and ".join(w for w in (f">= {low:g}" if low is not None else "",
                                     f"<= {high:g}" if high is not None else "") if w)  # fmt: skip
    if kind == "median":
        median = float(np.median(values))
        met = (low is None or median >= low) and (high is None or median <= high)
        return {"target": f"median {words}", "met": bool(met), "outside": []}
    bad = np.zeros(len(values), dtype=bool)
    if low is not None:
        bad |= values < low
    if high is not None:
        bad |= values > high
    far = np.abs(np.log(values)) if field.endswith("_ratio") else values
    order = [i for i in np.argsort(-far, kind="stable") if bad[i]]
    return {"target": f"every muscle {words}", "met": not bad.any(),
            "outside": [f"{rows[i].unit} {rows[i].side}" for i in order]}


def format_shape_report(report: dict[str, Any]) -> str:
    """The report as a plain-text table, worst surface distance first."""
    lines = [f"{'muscle':42s} {'side':5s} {'surface':>8s} {'shape':>6s} {'axis':>5s} "
             f"{'length':>6s} {'volume':>6s}",
             f"{'':42s} {'':5s} {'mm':>8s} {'mm':>6s} {'deg':>5s} {'ratio':>6s} {'ratio':>6s}"]
    for r in sorted(report["rows"], key=lambda r: -r["surface_mm"]):
        vol = "-" if r["volume_ratio"] is None else f"{r['volume_ratio']:.2f}"
        lines.append(f"{r['unit']:42s} {r['side']:5s} {r['surface_mm']:8.1f} "
                     f"{r['shape_mm']:6.1f} {r['axis_deg']:5.0f} {r['length_ratio']:6.2f} "
                     f"{vol:>6s}")  # fmt: skip
    lines.append("")
    for field, s in report["summary"].items():
        lines.append(f"{field:13s} median {s['median']:7.2f}  min {s['min']:7.2f}  "
                     f"max {s['max']:7.2f}  worst: {s['worst']}")  # fmt: skip
    lines.append("")
    for field, s in report["summary"].items():
        if "target" not in s:
            continue
        verdict = "met" if s["met"] else "NOT met"
        outside = s["outside"]
        more = (f"; {len(outside)} outside: {', '.join(outside[:6])}"
                f"{', ...' if len(outside) > 6 else ''}" if outside else "")  # fmt: skip
        lines.append(f"target {field:13s} {s['target']}: {verdict}{more}")
    return "\n".join(lines)
