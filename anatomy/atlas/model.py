"""The atlas: validated content and built geometry in one object, cross-checked.

>>> atlas = load_atlas()                                        # doctest: +SKIP
>>> atlas.trigger_point_position("upper_trapezius", "tp1", "right")   # doctest: +SKIP
>>> atlas.lookup(landmark="right_temple", top=5)                # doctest: +SKIP
"""

from __future__ import annotations

import difflib
from functools import cached_property
from pathlib import Path

import numpy as np

from anatomy.atlas.checks import run_checks
from anatomy.atlas.depth import DepthProfiles
from anatomy.content.load import LoadedContent, load_annotations
from anatomy.content.schema import Muscle, TriggerPoint
from anatomy.errors import AtlasError, AtlasProblems, did_you_mean
from anatomy.frame import SIDES
from anatomy.geometry import placement
from anatomy.geometry.landmarks import Landmarks, sided_name
from anatomy.geometry.lookup import KINDS, LookupHit, ZoneIndex, ZoneSet, union
from anatomy.geometry.meshset import MeshSet
from anatomy.geometry.resolve import (
    DiscResolver,
    ResolvedDisc,
    ResolvedTriggerPoint,
    resolve_trigger_point,
)
from anatomy.geometry.surface import MeshQuery


def landmark_names(text: str, names: list[str]) -> list[str]:
    """The landmarks a person means by ``text``: any case, spaces or hyphens for underscores;
    a side word before a midline name is dropped (``Left sternum`` -> ``sternum``), and a
    sided place named without its side means both sides (``Throat`` -> both throat points).

    Raises
    ------
    AtlasError
        For a name that is not a landmark, with the nearest names.
    """
    wanted = "_".join(text.strip().lower().replace("-", " ").split())
    known = set(names)
    if wanted in known:
        return [wanted]
    side, _, rest = wanted.partition("_")
    if side in ("left", "right") and rest in known:
        return [rest]  # a midline landmark: the same place on either side
    both = [f"{s}_{wanted}" for s in ("right", "left") if f"{s}_{wanted}" in known]
    if both:
        return both
    unsided = {n.partition("_")[2] for n in names if n.startswith(("left_", "right_"))}
    places = sorted(known | unsided)
    close = difflib.get_close_matches(wanted, places, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise AtlasError(f"unknown skin landmark {text!r}{hint}", key="landmark")


# A query point farther than this from the skin is refused rather than snapped (metres).
MAX_SNAP_M = 0.05


class Atlas:
    """Content (``annotations.yaml``) and geometry (``meshes/``) together.

    Parameters
    ----------
    annotations
        The validated content with its file and line map
        (from :func:`anatomy.content.load.load_annotations`).
    meshes
        The loaded mesh set.
    """

    def __init__(self, annotations: LoadedContent, meshes: MeshSet) -> None:
        self.annotations = annotations
        self.content = annotations.content
        self.meshes = meshes
        self._tp_cache: dict[tuple[str, str, str], ResolvedTriggerPoint] = {}
        self._zone_cache: dict[tuple[str, str, str, str], tuple[ResolvedDisc, ...]] = {}
        self._discs = DiscResolver(meshes.skin_surface)
        self._queries: dict[tuple[str, str], MeshQuery] = {}

    @property
    def landmarks(self) -> Landmarks:
        """The named skin landmarks."""
        return self.meshes.landmarks

    @cached_property
    def depths(self) -> DepthProfiles:
        """The depth profiles of the trigger points over the trunk (computed on first use)."""
        return DepthProfiles(self)

    # -- records ----------------------------------------------------------------------------
    def record(self, muscle: str) -> Muscle:
        """The muscle record ``muscle`` (a record id, or a geometry muscle id it maps)."""
        ids = [m.id for m in self.content.muscles]
        if muscle in ids:
            return self.content.muscle(muscle)
        for m in self.content.muscles:
            if muscle in m.meshes:
                return m
        raise AtlasError(f"no muscle {muscle!r}{did_you_mean(muscle, ids)}")

    def _tp(self, muscle: str, trigger_point: str, side: str) -> tuple[Muscle, TriggerPoint]:
        if side not in SIDES:
            raise AtlasError(f"side must be 'left' or 'right', not {side!r}")
        record = self.record(muscle)
        return record, record.trigger_point(trigger_point)

    # -- resolution -------------------------------------------------------------------------
    def resolved_trigger_point(self, muscle: str, trigger_point: str,
                               side: str) -> ResolvedTriggerPoint:
        """The full resolution of a trigger point on ``side`` (cached)."""
        record, tp = self._tp(muscle, trigger_point, side)
        key = (record.id, tp.id, side)
        if key not in self._tp_cache:
            pos = tp.position
            self._tp_cache[key] = resolve_trigger_point(
                self._mesh_query(pos.mesh, side), self.meshes.muscle_info(pos.mesh, side),
                pos.along, pos.toward, self.meshes.skin_surface,
            )  # fmt: skip
        return self._tp_cache[key]

    def _mesh_query(self, mesh: str, side: str) -> MeshQuery:
        if (mesh, side) not in self._queries:
            m = self.meshes.muscle(mesh, side)
            self._queries[(mesh, side)] = MeshQuery(m.vertices, m.faces)
        return self._queries[(mesh, side)]

    def placement_reference(self, reference: str, side: str) -> np.ndarray:
        """The point a placement rule's ``from`` names on ``side`` (metres).

        A skin landmark (``lateral_knee``) or a bone end (``"fibula superior"``, see
        :mod:`anatomy.geometry.placement`); ``AtlasError`` if the geometry has neither.
        """
        name = sided_name(reference, side)
        if name in self.landmarks:
            return np.asarray(self.landmarks[name].position, float).copy()
        end = placement.parse_bone_end(reference)
        if end is not None:
            for mesh_id in (f"bone_{end[0]}_{side}", f"bone_{end[0]}"):
                if mesh_id in self.meshes.bone_ids:
                    try:
                        return placement.bone_end(
                            self.meshes.mesh(mesh_id).vertices, end[1], side)
                    except ValueError as error:
                        raise AtlasError(f"{reference!r}: {error}") from None
        raise AtlasError(f"no landmark or bone end {reference!r} in the geometry")

    def placement_measure(self, muscle: str, trigger_point: str, side: str,
                          rule: int = 0) -> placement.PlacementMeasure:
        """How the marker on ``side`` lies against the trigger point's placement rule ``rule``."""
        _, tp = self._tp(muscle, trigger_point, side)
        r = tp.placement[rule]
        reference = self.placement_reference(r.from_, side)
        marker = self.resolved_trigger_point(muscle, trigger_point, side).point
        return placement.measure(marker, reference, r.toward, side)

    def trigger_point_position(self, muscle: str, trigger_point: str, side: str) -> np.ndarray:
        """The trigger point's 3D position (metres) on its muscle's surface on ``side``."""
        return self.resolved_trigger_point(muscle, trigger_point, side).point.copy()

    def zone_discs(self, muscle: str, trigger_point: str, side: str,
                   kind: str) -> tuple[ResolvedDisc, ...]:
        """The resolved discs of one zone (``kind`` is ``essential`` or ``spillover``)."""
        if kind not in KINDS:
            raise AtlasError(f"zone must be 'essential' or 'spillover', not {kind!r}")
        record, tp = self._tp(muscle, trigger_point, side)
        key = (record.id, tp.id, side, kind)
        if key not in self._zone_cache:
            discs = []
            for disc in getattr(tp, kind):
                name = sided_name(disc.landmark, side)
                vertex = self.landmarks[name].vertex
                discs.append(self._discs.disc(name, vertex, disc.radius_mm, side))
            self._zone_cache[key] = tuple(discs)
        return self._zone_cache[key]

    def zone_vertices(self, muscle: str, trigger_point: str, side: str, kind: str) -> np.ndarray:
        """Skin vertex ids of a referral zone on ``side``."""
        discs = self.zone_discs(muscle, trigger_point, side, kind)
        return union(discs, len(self.meshes.skin.vertices))[0]

    def prefetch_zones(self) -> None:
        """Run the skin-distance searches every zone needs, batched (speeds up the first use)."""
        radii: dict[int, float] = {}
        for _, tp in self.content.trigger_points():
            for disc in (*tp.essential, *tp.spillover):
                for side in SIDES:
                    name = sided_name(disc.landmark, side)
                    if name in self.landmarks:
                        v = self.landmarks[name].vertex
                        radii[v] = max(radii.get(v, 0.0), disc.radius_mm / 1000.0)
        self._discs.prefetch(radii)

    @cached_property
    def zone_index(self) -> ZoneIndex:
        """All zones of all trigger points on both sides, indexed for lookup (built once)."""
        self.prefetch_zones()
        sets = []
        for record, tp in self.content.trigger_points():
            for side in SIDES:
                sets.append(ZoneSet(
                    record.id, tp.id, side, tp.position.mesh,
                    self.zone_discs(record.id, tp.id, side, "essential"),
                    self.zone_discs(record.id, tp.id, side, "spillover"),
                    referral_contested=tp.referral_contested,
                ))  # fmt: skip
        return ZoneIndex(sets, len(self.meshes.skin.vertices))

    # -- lookup -----------------------------------------------------------------------------
    def lookup(self, points: np.ndarray | None = None, vertices: np.ndarray | None = None,
               landmark: str | None = None, top: int = 10) -> list[LookupHit]:
        """Rank trigger points whose referral zones cover spots on the skin.

        Parameters
        ----------
        points
            (k, 3) points in metres, snapped to the nearest skin vertices.
        vertices
            Skin vertex ids (e.g. a painted area).
        landmark
            A skin landmark name, e.g. ``right_temple`` or ``throat`` (read leniently: see
            :func:`landmark_names`).
        top
            How many hits to return.

        Returns
        -------
        list of LookupHit
            Best first; see :mod:`anatomy.geometry.lookup` for the scoring.
        """
        if sum(x is not None for x in (points, vertices, landmark)) != 1:
            raise AtlasError("give exactly one of points, vertices or landmark")
        if landmark is not None:
            chosen = landmark_names(landmark, list(self.landmarks.names))
            query = np.array([self.landmarks[name].vertex for name in chosen])
        elif points is not None:
            query = self.snap(points)
        else:
            query = np.asarray(vertices, dtype=np.int64).ravel()
            n = len(self.meshes.skin.vertices)
            if len(query) and (query.min() < 0 or query.max() >= n):
                raise AtlasError(f"vertex ids must be skin vertices (0..{n - 1})", key="vertices")
        return self.zone_index.lookup(query, top=top)

    def snap(self, points: np.ndarray) -> np.ndarray:
        """Skin vertex ids nearest to ``points`` (k, 3); refuses points far from the skin."""
        pts = np.atleast_2d(np.asarray(points, dtype=np.float64))
        if pts.shape[1:] != (3,) or not np.all(np.isfinite(pts)):
            raise AtlasError("points must be finite (x, y, z) triples in metres", key="points")
        ids, dist = self.meshes.skin_surface.nearest_vertex(pts)
        far = np.flatnonzero(dist > MAX_SNAP_M)
        if len(far):
            p = pts[far[0]]
            raise AtlasError(
                f"point ({p[0]:.3f}, {p[1]:.3f}, {p[2]:.3f}) is {dist[far[0]] * 1000:.0f} mm from "
                f"the skin (limit {MAX_SNAP_M * 1000:.0f} mm); give a point on the skin, in metres",
                key="points",
            )
        return ids


def load_atlas(annotations: str | Path | None = None, meshes: str | Path | None = None,
               *, check: bool = True) -> Atlas:
    """Load ``annotations.yaml`` and ``meshes/`` into an :class:`Atlas` and cross-check them.

    Parameters
    ----------
    annotations
        The content file (default: the shipped ``annotations.yaml``).
    meshes
        The meshes directory (default: the shipped ``meshes/``).
    check
        Run the cross-reference checks of :mod:`anatomy.atlas.checks` (default).

    Raises
    ------
    AtlasError
        For a file that cannot be read, parsed or checked, located by file, line and key.
    AtlasProblems
        Carrying every problem of one stage, each located: the content's own (schema and
        cross-record rules, see :func:`anatomy.content.load.load_annotations`), or else
        those the cross-reference checks found.
    """
    atlas = Atlas(load_annotations(annotations), MeshSet.load(meshes))
    if check:
        problems = run_checks(atlas)
        if problems:
            raise AtlasProblems(problems)
    return atlas
