"""How the pleura and the lungs sit in the ribcage: the "pleura" section of ``myoatlas
mesh-report``.

Per side, for the parietal pleura and for the lung:

- **closed**: the surface is watertight;
- **inside the ribcage**: the fraction of the vertices below the first rib that lie inside
  the chest wall, taken as the convex hull of that side's twelve ribs and half the sternum
  with its cartilages. "Below the first rib" means below its lowest point (its front end at
  the manubrium): the first rib slopes down from its head by several centimetres, and the
  cupula rises through the ring it makes, above the ribs, by design;
- **bone**: the share of the vertices closer than 1 mm to a bone (or inside one) and the
  smallest distance to bone (negative inside a bone);
- **apex**: how high the highest point rises above the top of the clavicle's medial third
  (textbook: "2-3 cm above the medial third of the clavicle", ``APEX_ABOVE_CLAVICLE_MM``);
- **lower border**: at the sternal, mid-clavicular, mid-axillary and paravertebral lines, the
  lowest point of the surface against the chest wall in that line's vertical half-plane, and
  its error in millimetres from the level of the rib it should reach there (pleura: 6th
  costal cartilage, 8th, 10th, 12th rib; lung: 6th, 6th, 8th, 10th). The rib levels are
  recomputed from the bones (:func:`anatomy.geometry.ribs.border_levels`); the levels the
  build recorded in the manifest are compared with them. ``half_space_mm`` is half the gap
  from that rib to its neighbour on the line: a border within it is at its rib, not at the
  next one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.spatial import ConvexHull, cKDTree

from anatomy.frame import SIDES
from anatomy.geometry.meshset import MeshSet
from anatomy.geometry.ribs import (
    LINES,
    LUNG_BORDER,
    PLEURA_BORDER,
    RIBS_A_SIDE,
    ChestLines,
    Ribcage,
    border_levels,
    chest_lines,
    split_ribcage,
)
from anatomy.geometry.solid import inside_any, is_watertight, unsigned_distance

BORDER_RIBS = {"pleura": PLEURA_BORDER, "lung": LUNG_BORDER}
APEX_ABOVE_CLAVICLE_MM = (20.0, 30.0)  # "2-3 cm above the medial third of the clavicle"
NEAR_BONE_M = 0.001
# The lowest point of the border is looked for in the surface lying within this depth of
# the ribs' outer hull: the ribs' own thickness and the costodiaphragmatic recess beside them.
WALL_BAND_M = 0.025
_BONE_REACH_M = 0.02  # bones farther than this from a mesh's box cannot be its nearest


@dataclass(frozen=True)
class ChestWall:
    """One side's ribcage as the pleura report measures against it."""

    side: str
    ribcage: Ribcage
    lines: ChestLines
    hull: np.ndarray  # the hull's facet planes (n . p + d <= 0 inside)
    first_rib_low: float  # z of the first rib's lowest point
    clavicle_top: float  # z of the top of the clavicle's medial third

    @property
    def sign(self) -> float:
        return 1.0 if self.side == "left" else -1.0

    def depth(self, points: np.ndarray) -> np.ndarray:
        """How far each point lies inside the hull of the side's ribs (m; < 0 outside)."""
        eq = self.hull
        return -(np.asarray(points, float) @ eq[:, :3].T + eq[:, 3]).max(axis=1)


def clavicle_medial_third_top(clavicle: np.ndarray, side: str) -> float:
    """The height (z) of the top of the clavicle's medial third: its highest point within the
    third of its length (along x) nearest the sternum."""
    sign = 1.0 if side == "left" else -1.0
    out = sign * clavicle[:, 0]
    inner, length = out.min(), out.max() - out.min()
    return float(clavicle[out <= inner + length / 3.0, 2].max())


def chest_wall(ribcage: Ribcage, clavicle: np.ndarray, side: str) -> ChestWall:
    """The chest wall of ``side`` from the named ribcage and that side's clavicle."""
    sign = 1.0 if side == "left" else -1.0
    ribs = np.concatenate([ribcage.rib_points(side, n) for n in range(1, RIBS_A_SIDE + 1)])
    sternum = ribcage.vertices[ribcage.sternum]
    half = sternum[sign * sternum[:, 0] >= -0.001]
    hull = ConvexHull(np.concatenate([ribs, half]))
    return ChestWall(
        side=side, ribcage=ribcage, lines=chest_lines(ribcage, clavicle, side),
        hull=hull.equations, first_rib_low=float(ribcage.rib_points(side, 1)[:, 2].min()),
        clavicle_top=clavicle_medial_third_top(clavicle, side),
    )  # fmt: skip


def lowest_along(vertices: np.ndarray, faces: np.ndarray, wall: ChestWall,
                 angle: float) -> float | None:  # fmt: skip
    """The lowest point (z) of a surface where it crosses the vertical half-plane of a chest
    line (at ``angle`` around the thorax's axis), against the chest wall; None where the
    surface does not reach that line."""
    v = np.asarray(vertices, float)
    edges = np.unique(np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]],
                                              faces[:, [2, 0]]]), axis=1), axis=0)  # fmt: skip
    a = np.radians(angle)
    u, w = wall.sign * v[:, 0], wall.lines.centre_y - v[:, 1]
    across = u * np.cos(a) - w * np.sin(a)  # signed distance to the line's plane
    f0, f1 = across[edges[:, 0]], across[edges[:, 1]]
    cut = edges[(f0 * f1 < 0)]
    if not len(cut):
        return None
    t = across[cut[:, 0]] / (across[cut[:, 0]] - across[cut[:, 1]])
    points = v[cut[:, 0]] + t[:, None] * (v[cut[:, 1]] - v[cut[:, 0]])
    pu, pw = wall.sign * points[:, 0], wall.lines.centre_y - points[:, 1]
    on_line = (pu * np.sin(a) + pw * np.cos(a) > 0) & (wall.depth(points) < WALL_BAND_M)
    return float(points[on_line, 2].min()) if on_line.any() else None


class BoneSurfaces:
    """The bones of one mesh set, for distances from the organs."""

    def __init__(self, meshes: MeshSet) -> None:
        self.bones = [(np.asarray(meshes.mesh(b).vertices, float), meshes.mesh(b).faces)
                      for b in meshes.bone_ids]  # fmt: skip

    def signed_distance(self, points: np.ndarray) -> np.ndarray:
        """Distance (m) from each point to the nearest bone surface; negative inside bone."""
        lo, hi = points.min(axis=0) - _BONE_REACH_M, points.max(axis=0) + _BONE_REACH_M
        near = [(v, f) for v, f in self.bones
                if np.all(v.max(axis=0) >= lo) and np.all(v.min(axis=0) <= hi)]  # fmt: skip
        if not near:
            return np.full(len(points), np.inf)
        verts = np.concatenate([v for v, _ in near])
        offsets = np.cumsum([0] + [len(v) for v, _ in near[:-1]])
        faces = np.concatenate(
            [f.astype(np.int64) + o for (_, f), o in zip(near, offsets, strict=True)]
        )
        dist = unsigned_distance(points, verts, faces)
        # only points near a bone can be inside one
        close = np.flatnonzero(cKDTree(verts).query(points)[0] < 0.03)
        inside = np.zeros(len(points), dtype=bool)
        inside[close] = inside_any(points[close], near)
        return np.where(inside, -dist, dist)


def organ_figures(vertices: np.ndarray, faces: np.ndarray, organ: str, wall: ChestWall,
                  bones: BoneSurfaces,
                  recorded: dict[str, float] | None = None) -> dict[str, Any]:  # fmt: skip
    """The figures of one pleura or lung surface against its side's chest wall.

    Parameters
    ----------
    vertices, faces
        The surface.
    organ
        ``"pleura"`` or ``"lung"``: which rib levels its lower border should reach.
    wall, bones
        The side's chest wall and the skeleton.
    recorded
        The ``border_levels`` the build recorded in the manifest, when there are any.

    Returns
    -------
    dict
        JSON-ready: ``watertight``, ``below_first_rib_vertices``,
        ``inside_ribcage_fraction``, ``outside_ribcage_max_mm``, ``near_bone_fraction``,
        ``inside_bone_fraction``, ``min_bone_distance_mm``, ``apex_above_clavicle_mm`` and
        ``borders`` (one row per line: ``line``, ``rib``, ``level_z``, ``lowest_z``,
        ``error_mm``, ``half_space_mm``, ``recorded_z``).
    """
    v = np.asarray(vertices, float)
    below = v[:, 2] < wall.first_rib_low
    depth = wall.depth(v[below])
    bone = bones.signed_distance(v)
    ribs = BORDER_RIBS[organ]
    borders = []
    for line, rib in zip(LINES, ribs, strict=True):
        level = _rib_level(wall, line, rib)
        lowest = lowest_along(v, faces, wall, getattr(wall.lines, line))
        gaps = [abs(level - _rib_level(wall, line, n)) for n in (rib - 1, rib + 1)
                if 1 <= n <= RIBS_A_SIDE]  # fmt: skip
        borders.append({
            "line": line, "rib": rib, "level_z": round(level, 4),
            "lowest_z": None if lowest is None else round(lowest, 4),
            "error_mm": None if lowest is None else _mm(lowest - level),
            "half_space_mm": _mm(min(gaps) / 2),
            "recorded_z": round(float(recorded[line]), 4)
            if recorded and line in recorded else None,
        })  # fmt: skip
    return {
        "watertight": is_watertight(np.asarray(faces)),
        "below_first_rib_vertices": int(below.sum()),
        "inside_ribcage_fraction": round(float((depth >= 0).mean()), 4) if len(depth) else None,
        "outside_ribcage_max_mm": _mm(max(0.0, -float(depth.min()))) if len(depth) else None,
        "near_bone_fraction": round(float((bone < NEAR_BONE_M).mean()), 4),
        "inside_bone_fraction": round(float((bone < 0).mean()), 4),
        "min_bone_distance_mm": _mm(float(bone.min())),
        "apex_above_clavicle_mm": _mm(float(v[:, 2].max()) - wall.clavicle_top),
        "borders": borders,
    }


def _rib_level(wall: ChestWall, line: str, rib: int) -> float:
    """The height at which rib ``rib`` crosses ``line`` (at the sternal line: its front end)."""
    return border_levels(wall.ribcage, wall.side, wall.lines, (rib, rib, rib, rib))[line]


def _mm(metres: float) -> float:
    return round(1000.0 * float(metres), 1)


def chest_walls(meshes: MeshSet) -> dict[str, ChestWall]:
    """Both sides' chest walls from the mesh set's thorax and clavicles."""
    thorax = next(e for e in meshes.entries.values() if e.bone == "thorax")
    mesh = meshes.mesh(thorax.id)
    ribcage = split_ribcage(np.asarray(mesh.vertices, float), mesh.faces)
    walls = {}
    for side in SIDES:
        clavicle = next(e for e in meshes.entries.values()
                        if e.bone == "clavicle" and e.side == side)  # fmt: skip
        walls[side] = chest_wall(ribcage, np.asarray(meshes.mesh(clavicle.id).vertices, float),
                                 side)  # fmt: skip
    return walls


def pleura_section(meshes: MeshSet) -> list[dict[str, Any]]:
    """One row per pleura and lung mesh (pleura first, left then right); empty when the
    meshes have none."""
    organs = [(organ, side, entry) for organ in ("pleura", "lung") for side in SIDES
              if (entry := meshes.organ_entry(organ, side)) is not None]  # fmt: skip
    if not organs:
        return []
    walls = chest_walls(meshes)
    bones = BoneSurfaces(meshes)
    rows = []
    for organ, side, entry in organs:
        mesh = meshes.mesh(entry.id)
        recorded = entry.raw.get("border_levels")
        figures = organ_figures(mesh.vertices, mesh.faces, organ, walls[side], bones,
                                recorded if isinstance(recorded, dict) else None)  # fmt: skip
        rows.append({"id": entry.id, "organ": organ, "side": side, **figures})
    return rows


def format_pleura(rows: list[dict[str, Any]]) -> list[str]:
    """The pleura section as lines of the text report."""
    if not rows:
        return ["", "pleura and lungs: none in these meshes"]
    head = (f"{'pleura and lungs':16s} {'closed':>6s} {'in ribs':>7s} {'out':>5s} "
            f"{'<1mm bone':>9s} {'in bone':>7s} {'bone':>5s} {'apex':>5s}  "
            "border error mm (rib): " + ", ".join(LINES))  # fmt: skip
    lines = ["", head, "-" * len(head)]
    recorded_gap = 0.0
    for r in rows:
        errors = ", ".join(
            f"{'-' if b['error_mm'] is None else format(b['error_mm'], '+.1f')} ({b['rib']})"
            for b in r["borders"]
        )
        for b in r["borders"]:
            if b["recorded_z"] is not None:
                recorded_gap = max(recorded_gap, abs(b["recorded_z"] - b["level_z"]) * 1000)
        inside = r["inside_ribcage_fraction"]
        lines.append(
            f"{r['id']:16s} {'yes' if r['watertight'] else 'NO':>6s} "
            f"{'-' if inside is None else format(inside, '.3f'):>7s} "
            f"{r['outside_ribcage_max_mm'] or 0:5.1f} {r['near_bone_fraction']:9.3f} "
            f"{r['inside_bone_fraction']:7.3f} {r['min_bone_distance_mm']:5.1f} "
            f"{r['apex_above_clavicle_mm']:5.1f}  {errors}"
        )
    lo, hi = APEX_ABOVE_CLAVICLE_MM
    lines += [
        "in ribs: share of the vertices below the first rib inside the hull of the side's ribs "
        "and half sternum (out: the farthest outside, mm); the cupula above the first rib is "
        "outside by design",
        "<1mm bone / in bone: share of the vertices within 1 mm of a bone / inside one; bone: "
        "the nearest bone, mm (negative: inside)",
        f"apex: mm above the top of the clavicle's medial third (textbook {lo:.0f}-{hi:.0f})",
        "border error: the lowest point against the chest wall on each line minus the level "
        "of its rib, recomputed from the bones (+: too high); the levels the build recorded "
        f"differ from them by up to {recorded_gap:.1f} mm",
    ]
    return lines
