"""The named cross-reference checks between content and geometry (brainglobe style).

Each check takes an :class:`~anatomy.atlas.model.Atlas` and yields located
:class:`~anatomy.errors.AtlasError` objects, one per problem; :func:`run_checks` runs them all
in order. Checks that need a mesh or a landmark skip what an earlier check already reported
missing, so one problem is reported once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

import numpy as np

from anatomy.content import checks as content_checks
from anatomy.content.checks import Loc
from anatomy.content.schema import dotted_key
from anatomy.errors import AtlasError
from anatomy.frame import MIDLINE_LANDMARKS, SIDES
from anatomy.geometry import placement
from anatomy.geometry.landmarks import side_of_name, sided_name
from anatomy.geometry.resolve import MIDLINE_BAND_M, side_sign

if TYPE_CHECKING:
    from anatomy.atlas.model import Atlas

# A trigger point's centreline point may lie at most this far outside its muscle (mm).
MAX_OFF_SURFACE_MM = 3.0
# A landmark may lie this far off the line its rule follows out of the bone (the skin's
# vertices are 1-3 cm apart on the limbs), or this much further from its bone feature than the
# nearest skin (mm).
MAX_OFF_RAY_MM = 25.0
MAX_NEAREST_EXCESS_MM = 15.0


class AtlasProblems(AtlasError):
    """Several located problems; the first one is this error's ``file/line/key``."""

    def __init__(self, problems: list[AtlasError]) -> None:
        self.problems = problems
        first = problems[0]
        super().__init__(first.message, file=first.file, line=first.line, key=first.key)

    def __str__(self) -> str:
        return "\n".join(p.located() for p in self.problems)


def _at(atlas: Atlas, loc: Loc, message: str) -> AtlasError:
    return AtlasError(message, file=atlas.annotations_file, line=atlas.line(loc),
                      key=dotted_key(loc))


def ids_unique(atlas: Atlas) -> Iterator[AtlasError]:
    """Muscle ids, trigger-point ids within a muscle, and mesh mappings are unique."""
    for rule in (content_checks.unique_muscle_ids, content_checks.unique_trigger_point_ids,
                 content_checks.meshes_mapped_once):
        for loc, message in rule(atlas.content):
            yield _at(atlas, loc, message)


def records_have_sources(atlas: Atlas) -> Iterator[AtlasError]:
    """Every muscle record and trigger point cites at least one known source."""
    for i, muscle in enumerate(atlas.content.muscles):
        if not muscle.sources:
            yield _at(atlas, ("muscles", i, "sources"), "a muscle record needs a source")
        for j, tp in enumerate(muscle.trigger_points):
            if not tp.sources:
                yield _at(atlas, ("muscles", i, "trigger_points", j, "sources"),
                          "a trigger point needs a source")
    for loc, message in content_checks.known_source_ids(atlas.content):
        yield _at(atlas, loc, message)


def muscle_meshes_exist(atlas: Atlas) -> Iterator[AtlasError]:
    """Every mesh a record maps to exists in the geometry, on both sides."""
    for i, muscle in enumerate(atlas.content.muscles):
        for j, mesh in enumerate(muscle.meshes):
            missing = [s for s in SIDES if not atlas.meshes.has_muscle(mesh, s)]
            if missing:
                yield _at(atlas, ("muscles", i, "meshes", j),
                          f"geometry has no {' or '.join(missing)} mesh for {mesh!r} "
                          f"(in {atlas.meshes.manifest_file})")


def geometry_muscles_covered(atlas: Atlas) -> Iterator[AtlasError]:
    """Every muscle of the geometry has a record."""
    covered = {mesh for m in atlas.content.muscles for mesh in m.meshes}
    for mesh in atlas.meshes.muscle_ids:
        if mesh not in covered:
            yield _at(atlas, ("muscles",),
                      f"no muscle record maps the geometry muscle {mesh!r}: add a record with "
                      f"meshes: [{mesh}] or add it to an existing record's meshes")


def _discs(atlas: Atlas) -> Iterator[tuple[Loc, int, int, str, str, object]]:
    for i, muscle in enumerate(atlas.content.muscles):
        for j, tp in enumerate(muscle.trigger_points):
            for kind in ("essential", "spillover"):
                for k, disc in enumerate(getattr(tp, kind)):
                    yield ("muscles", i, "trigger_points", j, kind, k), i, j, kind, tp.id, disc


def landmarks_exist(atlas: Atlas) -> Iterator[AtlasError]:
    """Every zone landmark exists in ``landmarks.json`` on both sides."""
    for loc, *_, disc in _discs(atlas):
        name = disc.landmark  # type: ignore[attr-defined]
        missing = [n for n in dict.fromkeys(sided_name(name, s) for s in SIDES)
                   if n not in atlas.landmarks]
        if missing:
            yield _at(atlas, (*loc, "landmark"),
                      f"landmark {', '.join(map(repr, missing))} is not in "
                      f"{atlas.landmarks.file}")


def landmarks_on_their_side(atlas: Atlas) -> Iterator[AtlasError]:
    """``left_`` landmarks lie on the left (+x), ``right_`` ones on the right, midline ones on
    the midline band, and each sits on its skin vertex."""
    skin = atlas.meshes.skin.vertices
    for name in atlas.landmarks.names:
        lm = atlas.landmarks[name]
        where = {"file": atlas.landmarks.file, "line": lm.line,
                 "key": f"landmarks[{lm.index}].position"}
        x = float(lm.position[0])
        side = side_of_name(name)
        if side is not None and x * side_sign(side) < -MIDLINE_BAND_M:
            yield AtlasError(f"{name!r} lies at x = {x:+.3f} m, on the other side of the body "
                             "(+x is the character's left)", **where)
        elif side is None and name in MIDLINE_LANDMARKS and abs(x) > MIDLINE_BAND_M:
            yield AtlasError(f"midline landmark {name!r} lies at x = {x:+.3f} m, off the "
                             f"midline (limit {MIDLINE_BAND_M * 1000:g} mm)", **where)
        gap_mm = float(np.linalg.norm(skin[lm.vertex] - lm.position)) * 1000
        if gap_mm > MAX_OFF_SURFACE_MM:
            yield AtlasError(f"{name!r} lies {gap_mm:.0f} mm from its skin vertex {lm.vertex}",
                             file=atlas.landmarks.file, line=lm.line,
                             key=f"landmarks[{lm.index}].vertex")


def landmarks_distinct(atlas: Atlas) -> Iterator[AtlasError]:
    """No two landmark names share a skin vertex: each names a different place."""
    first: dict[int, str] = {}
    for name in atlas.landmarks.names:
        lm = atlas.landmarks[name]
        if lm.vertex in first:
            yield AtlasError(f"{name!r} is on the same skin vertex ({lm.vertex}) as "
                             f"{first[lm.vertex]!r}: two names for one place",
                             file=atlas.landmarks.file, line=lm.line,
                             key=f"landmarks[{lm.index}].vertex")  # fmt: skip
        else:
            first[lm.vertex] = name


def landmarks_where_their_rules_put_them(atlas: Atlas) -> Iterator[AtlasError]:
    """Each landmark lies where its own rule reaches the skin from its bone feature: on the
    line out of the feature (``ray``), or about as near the feature as the skin gets
    (``nearest``)."""
    skin = atlas.meshes.skin_surface
    for name in atlas.landmarks.names:
        lm = atlas.landmarks[name]
        where = {"file": atlas.landmarks.file, "line": lm.line}
        if lm.feature is None or lm.place is None or lm.out is None:
            yield AtlasError(f"{name!r} has no bone feature ('feature', 'place', 'out'), so "
                             "where it lies cannot be checked: rebuild with "
                             "`myoatlas build-meshes`", key=f"landmarks[{lm.index}]", **where)
            continue
        offset = (lm.position - lm.feature) * 1000.0
        if lm.place == "ray":
            along = float(offset @ lm.out)
            off_line = float(np.linalg.norm(offset - along * lm.out))
            if along <= 0 or off_line > MAX_OFF_RAY_MM:
                yield AtlasError(f"{name!r} lies {off_line:.0f} mm off the line its rule "
                                 f"follows out of the bone ({lm.rule}; limit "
                                 f"{MAX_OFF_RAY_MM:g} mm)", key=f"landmarks[{lm.index}].vertex",
                                 **where)  # fmt: skip
        else:
            nearest_mm = float(skin.kdtree.query(lm.feature)[0]) * 1000.0
            excess = float(np.linalg.norm(offset)) - nearest_mm
            if excess > MAX_NEAREST_EXCESS_MM:
                yield AtlasError(f"{name!r} lies {excess:.0f} mm further from its bone feature "
                                 f"than the nearest skin does ({lm.rule}; limit "
                                 f"{MAX_NEAREST_EXCESS_MM:g} mm)",
                                 key=f"landmarks[{lm.index}].vertex", **where)  # fmt: skip


def trigger_points_on_muscles(atlas: Atlas) -> Iterator[AtlasError]:
    """Every trigger point resolves onto its own muscle's surface on both sides."""
    for loc, message in content_checks.positions_on_own_meshes(atlas.content):
        yield _at(atlas, loc, message)
    for i, muscle in enumerate(atlas.content.muscles):
        for j, tp in enumerate(muscle.trigger_points):
            pos = tp.position
            loc: Loc = ("muscles", i, "trigger_points", j, "position")
            if pos.mesh not in muscle.meshes:
                continue
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


def trigger_points_placed(atlas: Atlas) -> Iterator[AtlasError]:
    """Every trigger point's marker meets its placement rules on both sides."""
    for i, muscle in enumerate(atlas.content.muscles):
        for j, tp in enumerate(muscle.trigger_points):
            if tp.position.mesh not in muscle.meshes:
                continue  # reported by trigger_points_on_muscles
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


def zones_resolve(atlas: Atlas) -> Iterator[AtlasError]:
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


CHECKS: tuple[Callable[[Atlas], Iterable[AtlasError]], ...] = (
    ids_unique,
    records_have_sources,
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


def run_checks(atlas: Atlas) -> list[AtlasError]:
    """Every problem found by :data:`CHECKS`, in check order (empty when all pass).

    Each problem carries the name of the check that found it as ``problem.check``.
    """
    atlas.prefetch_zones()
    problems = []
    for check in CHECKS:
        for problem in check(atlas):
            problem.check = check.__name__  # type: ignore[attr-defined]
            problems.append(problem)
    return problems


def raise_problems(atlas: Atlas) -> None:
    """Raise :class:`AtlasProblems` when any check fails."""
    problems = run_checks(atlas)
    if problems:
        raise AtlasProblems(problems)
