"""The named cross-reference checks between content and geometry (brainglobe style).

Each check takes an atlas (anything with the members of :class:`CheckedAtlas`, such as
:class:`anatomy.atlas.model.Atlas`) and yields located :class:`~anatomy.errors.AtlasError`
objects, one per problem; :func:`run_checks` runs them all in order. The rules within the
content alone (unique ids, known sources, a trigger point on its own record's meshes...) ran
when the content was loaded (:mod:`anatomy.content.checks`) and are not repeated here. Checks
that need a mesh or a landmark skip what an earlier check already reported missing, so one
problem is reported once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

import numpy as np

from anatomy.content.load import LoadedContent
from anatomy.content.schema import Content, Loc, ZoneDisc
from anatomy.errors import AtlasError
from anatomy.frame import MIDLINE_LANDMARKS, SIDES
from anatomy.geometry import placement
from anatomy.geometry.landmarks import Landmark, Landmarks, side_of_name, sided_name
from anatomy.geometry.meshset import MeshSet
from anatomy.geometry.resolve import (
    MIDLINE_BAND_M,
    ResolvedDisc,
    ResolvedTriggerPoint,
    side_sign,
)

# A trigger point's centreline point may lie at most this far outside its muscle (mm).
MAX_OFF_SURFACE_MM = 3.0
# A landmark may lie this far off the line its rule follows out of the bone (the skin's
# vertices are 1-3 cm apart on the limbs), or this much further from its bone feature than the
# nearest skin (mm).
MAX_OFF_RAY_MM = 25.0
MAX_NEAREST_EXCESS_MM = 15.0


class CheckedAtlas(Protocol):
    """What the checks read from an atlas: content with its lines, geometry, resolution."""

    @property
    def annotations(self) -> LoadedContent:
        """The loaded content with its file and line map."""

    @property
    def content(self) -> Content:
        """The validated content."""

    @property
    def meshes(self) -> MeshSet:
        """The mesh set."""

    @property
    def landmarks(self) -> Landmarks:
        """The named skin landmarks."""

    def prefetch_zones(self) -> None:
        """Prepare every zone's skin search at once."""

    def resolved_trigger_point(self, muscle: str, trigger_point: str,
                               side: str) -> ResolvedTriggerPoint:
        """A trigger point resolved on one side."""

    def placement_measure(self, muscle: str, trigger_point: str, side: str,
                          rule: int = 0) -> placement.PlacementMeasure:
        """How a marker lies against one of its placement rules."""

    def zone_discs(self, muscle: str, trigger_point: str, side: str,
                   kind: str) -> tuple[ResolvedDisc, ...]:
        """The resolved discs of one zone on one side."""


def _at(atlas: CheckedAtlas, loc: Loc, message: str) -> AtlasError:
    return atlas.annotations.problem(loc, message)


def _in_landmarks_file(atlas: CheckedAtlas, lm: Landmark, message: str,
                       field: str = "") -> AtlasError:
    return AtlasError(message, file=atlas.landmarks.file, line=lm.line,
                      key=f"landmarks[{lm.index}]{field}")


def muscle_meshes_exist(atlas: CheckedAtlas) -> Iterator[AtlasError]:
    """Every mesh a record maps to exists in the geometry, on both sides."""
    for i, muscle in enumerate(atlas.content.muscles):
        for j, mesh in enumerate(muscle.meshes):
            missing = [s for s in SIDES if not atlas.meshes.has_muscle(mesh, s)]
            if missing:
                yield _at(atlas, ("muscles", i, "meshes", j),
                          f"geometry has no {' or '.join(missing)} mesh for {mesh!r} "
                          f"(in {atlas.meshes.manifest_file})")


def geometry_muscles_covered(atlas: CheckedAtlas) -> Iterator[AtlasError]:
    """Every muscle of the geometry has a record."""
    covered = {mesh for m in atlas.content.muscles for mesh in m.meshes}
    for mesh in atlas.meshes.muscle_ids:
        if mesh not in covered:
            yield _at(atlas, ("muscles",),
                      f"no muscle record maps the geometry muscle {mesh!r}: add a record with "
                      f"meshes: [{mesh}] or add it to an existing record's meshes")


def _discs(atlas: CheckedAtlas) -> Iterator[tuple[Loc, ZoneDisc]]:
    for i, muscle in enumerate(atlas.content.muscles):
        for j, tp in enumerate(muscle.trigger_points):
            for kind in ("essential", "spillover"):
                for k, disc in enumerate(getattr(tp, kind)):
                    yield ("muscles", i, "trigger_points", j, kind, k), disc


def landmarks_exist(atlas: CheckedAtlas) -> Iterator[AtlasError]:
    """Every zone landmark exists in ``landmarks.json`` on both sides."""
    for loc, disc in _discs(atlas):
        name = disc.landmark
        missing = [n for n in dict.fromkeys(sided_name(name, s) for s in SIDES)
                   if n not in atlas.landmarks]
        if missing:
            yield _at(atlas, (*loc, "landmark"),
                      f"landmark {', '.join(map(repr, missing))} is not in "
                      f"{atlas.landmarks.file}")


def landmarks_on_their_side(atlas: CheckedAtlas) -> Iterator[AtlasError]:
    """``left_`` landmarks lie on the left (+x), ``right_`` ones on the right, midline ones on
    the midline band, and each sits on its skin vertex."""
    skin = atlas.meshes.skin.vertices
    for name in atlas.landmarks.names:
        lm = atlas.landmarks[name]
        x = float(lm.position[0])
        side = side_of_name(name)
        if side is not None and x * side_sign(side) < -MIDLINE_BAND_M:
            yield _in_landmarks_file(atlas, lm, f"{name!r} lies at x = {x:+.3f} m, on the other "
                                     "side of the body (+x is the character's left)", ".position")
        elif side is None and name in MIDLINE_LANDMARKS and abs(x) > MIDLINE_BAND_M:
            yield _in_landmarks_file(atlas, lm, f"midline landmark {name!r} lies at x = "
                                     f"{x:+.3f} m, off the midline (limit "
                                     f"{MIDLINE_BAND_M * 1000:g} mm)", ".position")
        gap_mm = float(np.linalg.norm(skin[lm.vertex] - lm.position)) * 1000
        if gap_mm > MAX_OFF_SURFACE_MM:
            yield _in_landmarks_file(atlas, lm, f"{name!r} lies {gap_mm:.0f} mm from its skin "
                                     f"vertex {lm.vertex}", ".vertex")


def landmarks_distinct(atlas: CheckedAtlas) -> Iterator[AtlasError]:
    """No two landmark names share a skin vertex: each names a different place."""
    first: dict[int, str] = {}
    for name in atlas.landmarks.names:
        lm = atlas.landmarks[name]
        if lm.vertex in first:
            yield _in_landmarks_file(atlas, lm, f"{name!r} is on the same skin vertex "
                                     f"({lm.vertex}) as {first[lm.vertex]!r}: two names for "
                                     "one place", ".vertex")
        else:
            first[lm.vertex] = name


def landmarks_where_their_rules_put_them(atlas: CheckedAtlas) -> Iterator[AtlasError]:
    """Each landmark lies where its own rule reaches the skin from its bone feature: on the
    line out of the feature (``ray``), or about as near the feature as the skin gets
    (``nearest``)."""
    skin = atlas.meshes.skin_surface
    for name in atlas.landmarks.names:
        lm = atlas.landmarks[name]
        if lm.feature is None or lm.place is None or lm.out is None:
            yield _in_landmarks_file(atlas, lm, f"{name!r} has no bone feature ('feature', "
                                     "'place', 'out'), so where it lies cannot be checked: "
                                     "rebuild with `myoatlas build-meshes`")
            continue
        offset = (lm.position - lm.feature) * 1000.0
        if lm.place == "ray":
            along = float(offset @ lm.out)
            off_line = float(np.linalg.norm(offset - along * lm.out))
            if along <= 0 or off_line > MAX_OFF_RAY_MM:
                yield _in_landmarks_file(atlas, lm, f"{name!r} lies {off_line:.0f} mm off the "
                                         f"line its rule follows out of the bone ({lm.rule}; "
                                         f"limit {MAX_OFF_RAY_MM:g} mm)", ".vertex")
        else:
            nearest_mm = float(skin.kdtree.query(lm.feature)[0]) * 1000.0
            excess = float(np.linalg.norm(offset)) - nearest_mm
            if excess > MAX_NEAREST_EXCESS_MM:
                yield _in_landmarks_file(atlas, lm, f"{name!r} lies {excess:.0f} mm further "
                                         "from its bone feature than the nearest skin does "
                                         f"({lm.rule}; limit {MAX_NEAREST_EXCESS_MM:g} mm)",
                                         ".vertex")


def trigger_points_on_muscles(atlas: CheckedAtlas) -> Iterator[AtlasError]:
    """Every trigger point resolves onto its own muscle's surface on both sides.

    (That ``position.mesh`` is one of the record's meshes is a content rule, checked on load.)
    """
    for i, muscle in enumerate(atlas.content.muscles):
        for j, tp in enumerate(muscle.trigger_points):
            pos = tp.position
            loc: Loc = ("muscles", i, "trigger_points", j, "position")
            for side in SIDES:
                if not atlas.meshes.has_muscle(pos.mesh, side):
                    continue
                r = atlas.resolved_trigger_point(muscle.id, tp.id, side)
                if r.start_outside_mm > MAX_OFF_SURFACE_MM:
                    yield _at(atlas, (*loc, "along"),
                              f"on the {side} side, the point {pos.along:g} along the centreline "
                              f"of {pos.mesh!r} lies {r.start_outside_mm:.1f} mm outside the "
                              f"muscle (limit {MAX_OFF_SURFACE_MM:g} mm), so the trigger point "
                              "would not sit on the muscle: move it along the muscle")
                    break  # the mirror side says the same


def trigger_points_placed(atlas: CheckedAtlas) -> Iterator[AtlasError]:
    """Every trigger point's marker meets its placement rules on both sides."""
    for i, muscle in enumerate(atlas.content.muscles):
        for j, tp in enumerate(muscle.trigger_points):
            for k, rule in enumerate(tp.placement):
                loc: Loc = ("muscles", i, "trigger_points", j, "placement", k)
                for side in SIDES:
                    if not atlas.meshes.has_muscle(tp.position.mesh, side):
                        continue
                    try:
                        m = atlas.placement_measure(muscle.id, tp.id, side, k)
                    except AtlasError as error:
                        yield _at(atlas, (*loc, "from"), error.message)
                        break
                    message = placement.judge(rule.mm, rule.across_mm, rule.toward, m)
                    if message:
                        yield _at(atlas, loc, f"on the {side} side the marker of "
                                  f"{muscle.id}/{tp.id} {message} from {rule.from_!r}: the "
                                  "marker is not where its location text says")  # fmt: skip
                        break  # the mirror side says the same


def zones_resolve(atlas: CheckedAtlas) -> Iterator[AtlasError]:
    """Every zone disc covers at least one skin vertex on its muscle's side."""
    for i, muscle in enumerate(atlas.content.muscles):
        for j, tp in enumerate(muscle.trigger_points):
            for kind in ("essential", "spillover"):
                discs = getattr(tp, kind)
                for side in SIDES:
                    names = [sided_name(d.landmark, side) for d in discs]
                    if any(n not in atlas.landmarks for n in names):
                        continue  # reported by landmarks_exist
                    resolved = atlas.zone_discs(muscle.id, tp.id, side, kind)
                    for k, (disc, got) in enumerate(zip(discs, resolved, strict=True)):
                        if len(got.vertices) == 0:
                            vertex = atlas.landmarks[got.landmark].vertex
                            yield _at(atlas, ("muscles", i, "trigger_points", j, kind, k),
                                      f"on the {side} side the disc around {got.landmark!r} "
                                      f"(radius {disc.radius_mm:g} mm) covers no skin on that "
                                      f"side of the body (its skin vertex {vertex} lies on the "
                                      "other side)")


CHECKS: tuple[Callable[[CheckedAtlas], Iterable[AtlasError]], ...] = (
    muscle_meshes_exist,
    geometry_muscles_covered,
    landmarks_exist,
    landmarks_on_their_side,
    landmarks_distinct,
    landmarks_where_their_rules_put_them,
    trigger_points_on_muscles,
    trigger_points_placed,
    zones_resolve,
)


def run_checks(atlas: CheckedAtlas) -> list[AtlasError]:
    """Every problem found by :data:`CHECKS`, in check order (empty when all pass).

    Each problem carries the name of the check that found it as ``problem.check``.
    """
    atlas.prefetch_zones()
    problems = []
    for check in CHECKS:
        for problem in check(atlas):
            problem.check = check.__name__
            problems.append(problem)
    return problems
