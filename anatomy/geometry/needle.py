"""What a straight needle passes through: depths along a line from the skin into the body.

A line starts on the skin and runs inward. Along it, every crossing of a muscle, a bone, the
pleura or the lung surface is found (the same ray test the trigger points use), then read as
intervals: the muscle the needle is aimed at from where it enters it to its far side, the
first bone it meets (a rib by its number), and the parietal pleura. Depths are millimetres
from the skin along the line.

The line's direction is either given (a direction in the body's words, such as
``anterior+medial``) or the inward skin normal: straight in, as an ultrasound probe measures
depth.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from anatomy.geometry.meshset import MeshSet
from anatomy.geometry.ribs import Ribcage, split_ribcage
from anatomy.geometry.surface import MeshQuery

REACH_M = 0.12  # how deep a line is followed
NORMAL_RADIUS_M = 0.015  # the skin normal is averaged over this radius
NEARBY_RIB_M = 0.015  # "skin to rib" looks this far up, down and across for the nearest rib
# The muscles of the back wall of the abdomen: past the last of them a needle is inside the
# abdomen (the model has the kidney, but not the peritoneum that lines that wall's inner face).
POSTERIOR_WALL = ("quadratus_lumborum", "psoas_major")
TISSUES = ("subcutaneous", "muscle", "target", "bone", "beyond pleura", "kidney")


@dataclass(frozen=True)
class Interval:
    """A stretch of the line inside one structure, from ``start_mm`` to ``end_mm``."""

    kind: str  # muscle | bone | pleura
    name: str  # a mesh id, or a part such as "left rib 6"
    start_mm: float
    end_mm: float


@dataclass(frozen=True)
class NeedleLine:
    """One line into the body and what lies along it.

    ``muscle_mm`` is the far side of the target muscle (where the needle leaves it), ``bone``
    the first bone met (name and depth), ``pleura_mm`` the depth of the parietal pleura where
    the line reaches it within ``REACH_M`` (None where it does not). ``marker_mm`` is how deep
    the trigger point's marker lies along the line.
    """

    entry: np.ndarray
    direction: np.ndarray
    direction_from: str  # "record" or "skin normal"
    intervals: tuple[Interval, ...]
    target: str
    marker_mm: float | None
    muscle_mm: float | None
    bone: tuple[str, float] | None
    pleura_mm: float | None
    lung_mm: float | None
    kidney_mm: float | None = None
    abdomen_mm: float | None = None

    @property
    def end_mm(self) -> float:
        """How far the line is drawn: a little past its deepest named structure."""
        marks = [m for m in (self.muscle_mm, self.pleura_mm, self.kidney_mm,
                             self.bone and self.bone[1]) if m]  # fmt: skip
        return min(max(marks, default=30.0) + 6.0, 1000 * REACH_M)

    def segments(self) -> list[tuple[str, float, float]]:
        """The drawn line cut into tissue segments ``(tissue, start_mm, end_mm)``: the layer
        under the skin, any muscle, the target muscle, bone, and what lies past the pleura."""
        cuts = {0.0, self.end_mm}
        for iv in self.intervals:
            cuts.update((iv.start_mm, iv.end_mm))
        edges = sorted(c for c in cuts if 0.0 <= c <= self.end_mm)
        out: list[tuple[str, float, float]] = []
        for a, b in itertools.pairwise(edges):
            tissue = self._tissue_at((a + b) / 2)
            if out and out[-1][0] == tissue:
                out[-1] = (tissue, out[-1][1], b)
            elif b > a:
                out.append((tissue, a, b))
        return out

    def _tissue_at(self, mm: float) -> str:
        if self.pleura_mm is not None and mm >= self.pleura_mm:
            return "beyond pleura"
        if self.kidney_mm is not None and mm >= self.kidney_mm:
            return "kidney"
        inside = {iv.kind if iv.name != self.target else "target"
                  for iv in self.intervals if iv.start_mm <= mm <= iv.end_mm}  # fmt: skip
        for tissue in ("bone", "target", "muscle"):
            if tissue in inside:
                return tissue
        return "subcutaneous"


class NeedleTracer:
    """Traces lines through one mesh set (its queries are built on first use and kept)."""

    def __init__(self, meshes: MeshSet) -> None:
        self.meshes = meshes
        self._queries: dict[str, MeshQuery] = {}
        self._boxes: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    @cached_property
    def ribcage(self) -> Ribcage:
        thorax = next(e for e in self.meshes.entries.values() if e.bone == "thorax")
        mesh = self.meshes.mesh(thorax.id)
        return split_ribcage(np.asarray(mesh.vertices, float), mesh.faces)

    @cached_property
    def _skin_face_normals(self) -> np.ndarray:
        tri = self._query(self.meshes.skin_entry.id).tri
        n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
        return n / np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-15)

    def _query(self, mesh_id: str) -> MeshQuery:
        if mesh_id not in self._queries:
            mesh = self.meshes.mesh(mesh_id)
            self._queries[mesh_id] = MeshQuery(mesh.vertices, mesh.faces)
            v = np.asarray(mesh.vertices, float)
            self._boxes[mesh_id] = (v.min(axis=0), v.max(axis=0))
        return self._queries[mesh_id]

    def skin_normal(self, point: np.ndarray) -> np.ndarray:
        """The outward normal of the skin closest to ``point``, averaged over the triangles
        within ``NORMAL_RADIUS_M`` that face the same way (where an arm lies against the
        trunk the skin folds over itself, and the arm's side must not count)."""
        query = self._query(self.meshes.skin_entry.id)
        closest, face = query.closest_face(point)
        normals = self._skin_face_normals
        near = np.linalg.norm(query.centre - closest, axis=1) < NORMAL_RADIUS_M
        same = near & (normals @ normals[face] > 0.5)
        same[face] = True  # a triangle larger than the radius still gives its own normal
        area = np.linalg.norm(np.cross(query.e1[same], query.e2[same]), axis=1)
        n = (normals[same] * area[:, None]).sum(axis=0)
        return n / np.linalg.norm(n)

    def entry_for(self, point: np.ndarray, direction: np.ndarray) -> np.ndarray:
        """Where a line through ``point`` running along ``direction`` enters the skin: the
        first skin it meets going back out (the closest skin point if it meets none)."""
        query = self._query(self.meshes.skin_entry.id)
        hits = query.ray_hits(point, -direction)
        if len(hits):
            return np.asarray(point, float) - direction * hits[0]
        return query.closest_point(point)

    def _near_line(self, mesh_id: str, entry: np.ndarray, direction: np.ndarray) -> bool:
        self._query(mesh_id)
        lo, hi = self._boxes[mesh_id]
        end = entry + direction * REACH_M
        seg_lo, seg_hi = np.minimum(entry, end), np.maximum(entry, end)
        return bool(np.all(seg_lo <= hi + 1e-3) and np.all(seg_hi >= lo - 1e-3))

    def intervals(self, entry: np.ndarray, direction: np.ndarray) -> list[Interval]:
        """Every stretch of the line (to ``REACH_M``) inside a muscle, a bone, the pleura or a
        lung, nearest first. A thorax stretch is named by its rib."""
        out: list[Interval] = []
        for mesh_id, e in self.meshes.entries.items():
            if e.kind == "skin" or not self._near_line(mesh_id, entry, direction):
                continue
            ts, faces = self._query(mesh_id).ray_crossings(entry, direction)
            if len(ts) % 2:  # the skin point lies inside this mesh: a stretch from the skin
                ts, faces = np.concatenate([[0.0], ts]), np.concatenate([faces[:1], faces])
            kind = {"bone": "bone", "muscle": "muscle", "organ": e.organ or "organ"}[e.kind]
            for a, b, face in zip(ts[0::2], ts[1::2], faces[0::2], strict=True):
                if a > REACH_M:
                    break
                name = mesh_id
                if e.bone == "thorax":
                    name = self.ribcage.part_of_face(int(face))
                elif e.kind == "bone":
                    name = " ".join(w for w in (e.side, (e.bone or mesh_id).replace("_", " "))
                                    if w)  # fmt: skip
                out.append(Interval(kind, name, 1000 * float(a), 1000 * float(b)))
        return sorted(out, key=lambda iv: (iv.start_mm, iv.end_mm))

    def sight_blocked(self, eye: np.ndarray, point: np.ndarray, clearance_m: float) -> bool:
        """Whether a muscle or bone lies between ``eye`` and ``point`` (ignoring the last
        ``clearance_m`` before the point): a marker at ``point`` would be hidden."""
        eye, point = np.asarray(eye, float), np.asarray(point, float)
        span = point - eye
        distance = float(np.linalg.norm(span))
        direction = span / distance
        lo, hi = np.minimum(eye, point), np.maximum(eye, point)
        for mesh_id, e in self.meshes.entries.items():
            if e.kind not in ("muscle", "bone"):
                continue
            self._query(mesh_id)
            box_lo, box_hi = self._boxes[mesh_id]
            if np.any(lo > box_hi) or np.any(hi < box_lo):
                continue
            ts, _ = self._query(mesh_id).ray_crossings(eye, direction)
            if len(ts) and ts[0] < distance - clearance_m:
                return True
        return False

    def line(self, target: str, marker: np.ndarray, side: str,
             direction: np.ndarray | None = None) -> NeedleLine:  # fmt: skip
        """The line through ``marker`` on the muscle mesh ``target``: along ``direction``
        (unit, inward) when given, else straight in along the inward skin normal."""
        marker = np.asarray(marker, float)
        came_from = "record"
        if direction is None:
            direction = -self.skin_normal(marker)
            came_from = "skin normal"
        direction = np.asarray(direction, float) / np.linalg.norm(direction)
        entry = self.entry_for(marker, direction)
        ivs = self.intervals(entry, direction)
        marker_mm = 1000 * float(np.dot(marker - entry, direction))
        return _read(entry, direction, came_from, ivs, target, marker_mm, side)

    def nearest_rib_mm(self, entry: np.ndarray, direction: np.ndarray,
                       side: str) -> tuple[str, float] | None:  # fmt: skip
        """Skin to the nearest rib of ``side``: the shallowest crossing of one of its ribs by
        lines parallel to this one within ``NEARBY_RIB_M`` up, down and across (an
        ultrasound probe slid onto the rib)."""
        own = f"{side} rib"
        thorax = next(e.id for e in self.meshes.entries.values() if e.bone == "thorax")
        axis = np.array([0.0, 0.0, 1.0]) if abs(direction[2]) < 0.9 else np.array([0, 1.0, 0])
        up = axis - np.dot(axis, direction) * direction
        up /= np.linalg.norm(up)
        across = np.cross(direction, up)
        best: tuple[str, float] | None = None
        steps = np.linspace(-NEARBY_RIB_M, NEARBY_RIB_M, 7)
        for du in steps:
            for da in steps[::3]:
                start = entry + du * up + da * across
                ts, faces = self._query(thorax).ray_crossings(start, direction)
                if len(ts) and ts[0] <= REACH_M:
                    name = self.ribcage.part_of_face(int(faces[0]))
                    if name.startswith(own) and (best is None or 1000 * ts[0] < best[1]):
                        best = (name, 1000 * float(ts[0]))
        return best


def _read(entry: np.ndarray, direction: np.ndarray, came_from: str, ivs: list[Interval],
          target: str, marker_mm: float, side: str) -> NeedleLine:  # fmt: skip
    pleura = [iv for iv in ivs if iv.kind == "pleura" and iv.name.endswith(side)] or [
        iv for iv in ivs if iv.kind == "pleura"]  # fmt: skip
    pleura_mm = pleura[0].start_mm if pleura else None
    lungs = [iv for iv in ivs if iv.kind == "lung"]
    lung_mm = lungs[0].start_mm if lungs else None
    kidneys = [iv for iv in ivs if iv.kind == "kidney"]
    kidney_mm = kidneys[0].start_mm if kidneys else None
    limit = pleura_mm if pleura_mm is not None else float("inf")
    wall = [iv for iv in ivs if iv.kind == "muscle" and iv.name.removesuffix(f"_{side}")
            in POSTERIOR_WALL and iv.start_mm < limit]  # fmt: skip
    # Only a line that enters from behind and runs forward crosses the back wall into the
    # abdomen; from the front, the far side of that wall means nothing.
    from_behind = direction[1] < -0.5
    abdomen_mm = max(iv.end_mm for iv in wall) if wall and from_behind else None
    # The target muscle: the stretch that holds the marker, or the first one along the line.
    own = [iv for iv in ivs if iv.name == target and iv.start_mm < limit]
    holding = [iv for iv in own if iv.start_mm - 1.0 <= marker_mm <= iv.end_mm + 1.0]
    muscle_mm = (holding or own)[0].end_mm if own else None
    bones = [iv for iv in ivs if iv.kind == "bone"]
    bone = (bones[0].name, bones[0].start_mm) if bones else None
    return NeedleLine(entry=entry, direction=direction, direction_from=came_from,
                      intervals=tuple(ivs), target=target, marker_mm=marker_mm,
                      muscle_mm=muscle_mm, bone=bone, pleura_mm=pleura_mm,
                      lung_mm=lung_mm, kidney_mm=kidney_mm, abdomen_mm=abdomen_mm)  # fmt: skip
