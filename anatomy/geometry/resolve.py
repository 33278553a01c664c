"""Turning coordinate-free content into geometry.

- A trigger point's position ``{mesh, along, toward}`` becomes a point on that side's muscle
  surface: the centreline point at arc-length fraction ``along``, pushed along the direction
  ``toward`` (made perpendicular to the centreline) until the ray leaves the muscle. When the
  centreline point lies outside the mesh (near an attachment, in a thin sheet), the point is the
  nearest surface point instead; the atlas check refuses those more than 3 mm outside.
- ``toward``: ``anterior`` is -y, ``posterior`` +y, ``superior`` +z, ``inferior`` -z,
  ``medial`` toward x = 0, ``lateral`` away from it, ``superficial`` toward the nearest skin,
  ``deep`` away from it. ``<direction>_edge`` (e.g. ``inferior_edge``) is instead the muscle's
  furthest point that way in a thin slice across the centreline at ``along``: the lower border
  of a broad sheet such as pectoralis major, which a push from its middle would leave through
  its back surface long before.
- A referral zone (discs ``{landmark, radius_mm}``) becomes skin vertex ids: every vertex within
  ``radius_mm`` of the landmark's skin vertex, measured along the skin, kept on the muscle's own
  side of the body (plus a narrow midline band).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anatomy.frame import FIXED_DIRECTIONS
from anatomy.geometry.manifest import MuscleInfo
from anatomy.geometry.meshio import TriMesh
from anatomy.geometry.surface import MeshQuery, SkinSurface, polyline_point

# Vertices this close to x = 0 belong to both sides (metres).
MIDLINE_BAND_M = 0.015
# A push direction closer than this to the centreline's tangent is used as given (a ray along
# the muscle); otherwise its component across the muscle is used, so the point stays at `along`.
_MIN_ACROSS = 0.25

# Half the thickness of the slice across the centreline an ``_edge`` position looks in (m).
EDGE_SLICE_M = 0.006

_FIXED_DIRECTIONS = FIXED_DIRECTIONS


@dataclass(frozen=True)
class ResolvedTriggerPoint:
    """Where a trigger point ends up, and how it got there (for the validation check).

    Attributes
    ----------
    point
        The point on the muscle surface (metres): where the ray from ``start`` along
        ``direction`` leaves the muscle, or, when ``start`` lies outside it, the surface point
        closest to ``start``.
    start
        The centreline point at ``along``.
    direction
        The unit push direction.
    inside
        Whether ``start`` lies inside the muscle (so ``point`` came from the push).
    start_outside_mm
        How far ``start`` lies outside the muscle (0 when inside).
    """

    point: np.ndarray
    start: np.ndarray
    direction: np.ndarray
    inside: bool
    start_outside_mm: float


def side_sign(side: str) -> float:
    """+1 for the left (+x), -1 for the right."""
    return 1.0 if side == "left" else -1.0


def push_direction(toward: str, start: np.ndarray, side: str, skin: SkinSurface) -> np.ndarray:
    """The unit vector a ``toward`` word means at ``start`` on ``side`` of the body."""
    if toward in _FIXED_DIRECTIONS:
        return np.array(_FIXED_DIRECTIONS[toward])
    if toward in ("medial", "lateral"):
        sign = -side_sign(side) if toward == "medial" else side_sign(side)
        return np.array([sign, 0.0, 0.0])
    if toward in ("superficial", "deep"):
        out = skin.nearest_to_direction(start)
        return out if toward == "superficial" else -out
    raise ValueError(f"unknown direction {toward!r}")


def resolve_trigger_point(
    mesh: TriMesh | MeshQuery, info: MuscleInfo, along: float, toward: str, skin: SkinSurface
) -> ResolvedTriggerPoint:
    """Resolve a trigger-point position on one side's muscle mesh.

    Parameters
    ----------
    mesh
        The muscle's mesh on that side (or a cached :class:`MeshQuery` of it).
    info
        The muscle's centreline (from the manifest).
    along
        Fraction of the centreline's length from the origin (0) to the insertion (1).
    toward
        One of ``superficial, deep, anterior, posterior, medial, lateral, superior, inferior``.
    skin
        The skin (for ``superficial`` / ``deep``).

    Returns
    -------
    ResolvedTriggerPoint
    """
    query = mesh if isinstance(mesh, MeshQuery) else MeshQuery(mesh.vertices, mesh.faces)
    start, tangent = polyline_point(info.centreline, along)
    if toward.endswith("_edge"):
        return _edge_point(query, start, tangent, toward.removesuffix("_edge"), info, skin)
    direction = push_direction(toward, start, info.side, skin)
    across = direction - np.dot(direction, tangent) * tangent
    if np.linalg.norm(across) >= _MIN_ACROSS:
        direction = across / np.linalg.norm(across)
    hits = query.ray_hits(start, direction)
    if query.contains(start, first_ray_hits=hits, mirrored=info.side == "right"):
        # from inside a closed mesh the ray always leaves it: the first crossing is the surface
        outside_mm = 0.0
        point = start + direction * hits[0] if len(hits) else query.closest_point(start)
    else:
        # a centreline point just outside the mesh (near an attachment, or a thin sheet): the
        # nearest surface point; the atlas check refuses one farther than a few millimetres
        point = query.closest_point(start)
        outside_mm = float(np.linalg.norm(point - start)) * 1000.0
    return ResolvedTriggerPoint(point=point, start=start, direction=direction,
                                inside=outside_mm == 0.0, start_outside_mm=outside_mm)


def _edge_point(query: MeshQuery, start: np.ndarray, tangent: np.ndarray, toward: str,
                info: MuscleInfo, skin: SkinSurface) -> ResolvedTriggerPoint:  # fmt: skip
    """The vertex furthest along ``toward`` in the slice across the centreline at ``start``."""
    direction = push_direction(toward, start, info.side, skin)
    offset = np.abs((query.vertices - start) @ tangent)
    pool = query.vertices[offset <= EDGE_SLICE_M]
    if len(pool) == 0:  # a coarse mesh: the nearest vertices to the slice
        pool = query.vertices[np.argsort(offset)[:8]]
    point = pool[int(np.argmax(pool @ direction))].copy()
    return ResolvedTriggerPoint(point=point, start=start, direction=direction, inside=True,
                                start_outside_mm=0.0)


@dataclass(frozen=True)
class ResolvedDisc:
    """One disc of a zone on the skin: vertex ids and their closeness to the disc centre.

    ``closeness`` is ``1 - distance / radius`` (1 at the landmark, near 0 at the rim).
    """

    landmark: str
    radius_mm: float
    vertices: np.ndarray
    closeness: np.ndarray


class DiscResolver:
    """Resolves skin discs; one Dijkstra run per landmark vertex (to the largest radius asked
    for it, see :meth:`prefetch`), cached."""

    def __init__(self, skin: SkinSurface) -> None:
        self.skin = skin
        self._cache: dict[int, tuple[float, np.ndarray, np.ndarray]] = {}

    def prefetch(self, radii: dict[int, float]) -> None:
        """Compute distances around several vertices at once: ``{vertex: radius_m}``."""
        todo = {v: r for v, r in radii.items() if v not in self._cache or self._cache[v][0] < r}
        by_radius: dict[float, list[int]] = {}
        for vertex, radius in todo.items():
            by_radius.setdefault(radius, []).append(vertex)
        for radius, vertices in by_radius.items():
            dist = self.skin.distances_from(np.array(vertices), limit=radius)
            for vertex, row in zip(vertices, dist, strict=True):
                ids = np.flatnonzero(row <= radius)
                self._cache[vertex] = (radius, ids, row[ids])

    def within(self, vertex: int, radius_m: float) -> tuple[np.ndarray, np.ndarray]:
        """Vertex ids within ``radius_m`` of ``vertex`` along the skin, and their distances."""
        vertex = int(vertex)
        if vertex not in self._cache or self._cache[vertex][0] < radius_m:
            self.prefetch({vertex: radius_m})
        _, ids, dist = self._cache[vertex]
        keep = dist <= radius_m
        return ids[keep], dist[keep]

    def disc(self, landmark: str, vertex: int, radius_mm: float, side: str | None) -> ResolvedDisc:
        """The disc around skin ``vertex``, restricted to ``side`` (and the midline band).

        Parameters
        ----------
        landmark
            The landmark's (sided) name, kept for explanations.
        vertex
            The landmark's skin vertex.
        radius_mm
            The radius along the skin.
        side
            ``left``/``right`` keeps only that half of the body; ``None`` keeps all.
        """
        radius_m = radius_mm / 1000.0
        ids, dist = self.within(vertex, radius_m)
        if side is not None:
            x = self.skin.vertices[ids, 0] * side_sign(side)
            keep = x >= -MIDLINE_BAND_M
            ids, dist = ids[keep], dist[keep]
        closeness = 1.0 - dist / radius_m if radius_m > 0 else np.ones(len(ids))
        return ResolvedDisc(landmark, radius_mm, ids, np.clip(closeness, 0.0, 1.0))
