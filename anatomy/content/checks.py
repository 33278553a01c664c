"""Rules that span records of ``annotations.yaml`` (no geometry needed).

Each rule yields ``(location, message)`` pairs, where the location is the key path of the
offending value, e.g. ``('muscles', 3, 'trigger_points', 0, 'position', 'mesh')``; the loader
(:mod:`anatomy.content.load`) runs every rule once, after the schema, and maps each location
to a file line. Geometry cross-references (meshes exist, points on surfaces, zones resolve to
skin) are checked by :mod:`anatomy.atlas.checks`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from anatomy.content.schema import Content, Loc
from anatomy.errors import did_you_mean

Problem = tuple[Loc, str]

# Needling detail belongs in clinician_text; patient text stays in plain words.
_NEEDLING_WORDS = re.compile(r"\bneedl\w*|\binsert\w*|\bpleura\b|\bpneumothorax\b", re.I)


def unique_muscle_ids(content: Content) -> Iterable[Problem]:
    """Muscle record ids are unique."""
    first: dict[str, int] = {}
    for i, muscle in enumerate(content.muscles):
        if muscle.id in first:
            yield ("muscles", i, "id"), (
                f"duplicate muscle id {muscle.id!r} (first used by muscles[{first[muscle.id]}])"
            )
        first.setdefault(muscle.id, i)


def meshes_mapped_once(content: Content) -> Iterable[Problem]:
    """A geometry muscle belongs to at most one record, listed once."""
    first: dict[str, str] = {}
    for i, muscle in enumerate(content.muscles):
        for j, mesh in enumerate(muscle.meshes):
            if mesh in first:
                yield ("muscles", i, "meshes", j), (
                    f"geometry muscle {mesh!r} is already mapped by {first[mesh]}"
                )
            first.setdefault(mesh, f"muscles[{i}] ({muscle.id})")


def unique_trigger_point_ids(content: Content) -> Iterable[Problem]:
    """Trigger-point ids are unique within their muscle."""
    for i, muscle in enumerate(content.muscles):
        first: dict[str, int] = {}
        for j, tp in enumerate(muscle.trigger_points):
            if tp.id in first:
                yield ("muscles", i, "trigger_points", j, "id"), (
                    f"duplicate trigger-point id {tp.id!r} in muscle {muscle.id!r} "
                    f"(first used by trigger_points[{first[tp.id]}])"
                )
            first.setdefault(tp.id, j)


def positions_on_own_meshes(content: Content) -> Iterable[Problem]:
    """A trigger point sits on one of its own record's meshes."""
    for i, muscle in enumerate(content.muscles):
        for j, tp in enumerate(muscle.trigger_points):
            if tp.position.mesh not in muscle.meshes:
                yield ("muscles", i, "trigger_points", j, "position", "mesh"), (
                    f"{tp.position.mesh!r} is not one of this record's meshes "
                    f"({', '.join(muscle.meshes)})"
                )


def known_source_ids(content: Content) -> Iterable[Problem]:
    """Every cited source id is in the bibliography."""

    def check(loc: Loc, ids: list[str]) -> Iterable[Problem]:
        for k, sid in enumerate(ids):
            if sid not in content.sources:
                yield (*loc, k), f"unknown source id {sid!r}: add it to the top-level sources"

    for i, muscle in enumerate(content.muscles):
        yield from check(("muscles", i, "sources"), muscle.sources)
        for j, tp in enumerate(muscle.trigger_points):
            yield from check(("muscles", i, "trigger_points", j, "sources"), tp.sources)
            zone_source = tp.zones_checked.source
            if zone_source not in content.sources:
                yield ("muscles", i, "trigger_points", j, "zones_checked", "source"), (
                    f"unknown source id {zone_source!r}: add it to the top-level sources")
    for name, section in content.general.sections():
        yield from check(("general", name, "sources"), section.sources)
    for k, mech in enumerate(content.general.how_it_may_work.mechanisms):
        yield from check(("general", "how_it_may_work", "mechanisms", k, "sources"), mech.sources)
    for k, depth in enumerate(content.depth_studies):
        if depth.source not in content.sources:
            yield ("depth_studies", k, "source"), (
                f"unknown source id {depth.source!r}: add it to the top-level sources")
    for k, study in enumerate(content.general.adverse_events.studies):
        if study.source not in content.sources:
            yield ("general", "adverse_events", "studies", k, "source"), (
                f"unknown source id {study.source!r}: add it to the top-level sources"
            )


def contested_have_notes(content: Content) -> Iterable[Problem]:
    """``contested: true`` needs a ``contested_note``, and a note needs the flag."""
    items: list[tuple[Loc, Any]] = []
    for i, muscle in enumerate(content.muscles):
        items += [
            (("muscles", i, "trigger_points", j), tp) for j, tp in enumerate(muscle.trigger_points)
        ]
    items += [(("general", name), section) for name, section in content.general.sections()]
    mechanisms = content.general.how_it_may_work.mechanisms
    items += [
        (("general", "how_it_may_work", "mechanisms", k), m) for k, m in enumerate(mechanisms)
    ]
    for loc, item in items:
        contested, note = item.contested, item.contested_note
        if contested and not note:
            yield (*loc, "contested"), "contested is true, so contested_note must say why"
        if note and not contested:
            yield (*loc, "contested_note"), "a contested_note needs contested: true"
        if getattr(item, "referral_contested", False) and not contested:
            yield (*loc, "referral_contested"), (
                "referral_contested needs contested: true and a contested_note")


def risk_class_matches_structures(content: Content) -> Iterable[Problem]:
    """A trigger point's ``risk_class`` is ``low`` or the class of one of its structures.

    ``low`` may sit beside structures of a graver class: the structure exists nearby but is
    out of reach with the usual approach (e.g. the axillary nerve deep to the deltoid).
    """
    for i, muscle in enumerate(content.muscles):
        for j, tp in enumerate(muscle.trigger_points):
            classes = {s.risk_class for s in tp.structures_at_risk}
            if tp.risk_class != "low" and tp.risk_class not in classes:
                yield ("muscles", i, "trigger_points", j, "risk_class"), (
                    f"{tp.risk_class!r} is not the class of any structure in structures_at_risk "
                    f"({', '.join(sorted(classes))})"
                )


def patient_text_is_plain(content: Content) -> Iterable[Problem]:
    """Patient text carries no needling detail (that belongs in clinician_text)."""
    for i, muscle in enumerate(content.muscles):
        for j, tp in enumerate(muscle.trigger_points):
            found = _NEEDLING_WORDS.search(tp.patient_text)
            if found:
                yield ("muscles", i, "trigger_points", j, "patient_text"), (
                    f"patient text mentions {found.group(0)!r}: keep needling detail "
                    "in clinician_text"
                )


def depth_studies_name_points(content: Content) -> Iterable[Problem]:
    """A depth study names a muscle record and one of its trigger points; ids are unique."""
    seen: set[str] = set()
    records = {m.id: m for m in content.muscles}
    for k, study in enumerate(content.depth_studies):
        if study.id in seen:
            yield ("depth_studies", k, "id"), f"duplicate depth study id {study.id!r}"
        seen.add(study.id)
        record = records.get(study.muscle)
        if record is None:
            yield ("depth_studies", k, "muscle"), (
                f"no muscle record {study.muscle!r}{did_you_mean(study.muscle, list(records))}")
            continue
        points = [tp.id for tp in record.trigger_points]
        if study.trigger_point not in points:
            yield ("depth_studies", k, "trigger_point"), (
                f"muscle {study.muscle!r} has no trigger point {study.trigger_point!r}"
                f"{did_you_mean(study.trigger_point, points)} (it has: {', '.join(points)})")


RULES: tuple[Callable[[Content], Iterable[Problem]], ...] = (
    unique_muscle_ids,
    meshes_mapped_once,
    unique_trigger_point_ids,
    positions_on_own_meshes,
    known_source_ids,
    contested_have_notes,
    risk_class_matches_structures,
    patient_text_is_plain,
    depth_studies_name_points,
)


class RuleProblem(NamedTuple):
    """One problem found by a cross-record rule."""

    rule: str
    """The name of the rule that found it, e.g. ``unique_muscle_ids``."""
    loc: Loc
    """The key path of the offending value."""
    message: str
    """What is wrong, in words."""


def content_problems(content: Content) -> list[RuleProblem]:
    """Every cross-record problem of ``content``, in rule order.

    Parameters
    ----------
    content
        Content that passed the schema (each record well-formed on its own).

    Returns
    -------
    list of RuleProblem
        Empty when the content is consistent.
    """
    return [RuleProblem(rule.__name__, loc, message)
            for rule in RULES for loc, message in rule(content)]
