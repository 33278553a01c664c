"""The annotations schema: typed, validated records of muscles, trigger points and zones.

``annotations.yaml`` is parsed by :mod:`anatomy.content.load` and validated once into these
models; after that, code trusts the types. Every model forbids unknown keys, so a typo in a
key is an error rather than silently ignored data. The full schema, with an example record,
is documented in ``docs/annotations.md``.

Each model checks one record on its own. Rules across records (unique ids, known source ids,
a trigger point's ``position.mesh`` among its record's ``meshes``, a contested flag with its
note) are :mod:`anatomy.content.checks`; the loader runs them after the schema, so that each
problem is reported once, at its own line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from anatomy.content.general import General
from anatomy.errors import AtlasError, did_you_mean
from anatomy.frame import (
    BILATERAL_LANDMARKS,
    BODY_DIRECTIONS,
    BONES,
    MIDLINE_LANDMARKS,
    MUSCLE_IDS,
)

Region = Literal[
    "head_neck", "shoulder_arm", "forearm_hand", "trunk", "hip_pelvis", "thigh", "leg", "foot"
]
Toward = Literal[
    "superficial", "deep", "anterior", "posterior", "medial", "lateral", "superior", "inferior",
    "anterior_edge", "posterior_edge", "medial_edge", "lateral_edge", "superior_edge",
    "inferior_edge",
]
RiskClass = Literal["pneumothorax", "major_vessel", "major_nerve", "visceral", "cns", "low"]
RISK_CLASSES: tuple[str, ...] = RiskClass.__args__  # type: ignore[attr-defined]
REGIONS: tuple[str, ...] = Region.__args__  # type: ignore[attr-defined]

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
TextList = Annotated[list[Text], Field(min_length=1)]

Loc = tuple[str | int, ...]
"""A key path into the content, e.g. ``('muscles', 3, 'trigger_points', 0, 'id')``."""


def _known_landmark(name: str) -> str:
    if name in MIDLINE_LANDMARKS or name in BILATERAL_LANDMARKS:
        return name
    for side in ("left_", "right_"):
        if name.startswith(side) and name[len(side) :] in BILATERAL_LANDMARKS:
            raise ValueError(
                f"write bilateral landmarks without a side prefix ({name[len(side):]!r}); "
                "zones are resolved to the muscle's own side"
            )
    raise ValueError(
        f"unknown landmark {name!r}{did_you_mean(name, MIDLINE_LANDMARKS + BILATERAL_LANDMARKS)} "
        "(names: anatomy.frame.MIDLINE_LANDMARKS and BILATERAL_LANDMARKS)"
    )


def _known_mesh(name: str) -> str:
    if name not in MUSCLE_IDS:
        raise ValueError(
            f"unknown geometry muscle {name!r}{did_you_mean(name, MUSCLE_IDS)} "
            "(names: anatomy.frame.MUSCLE_IDS)"
        )
    return name


def _direction(text: str, allow_any: bool = False) -> str:
    if allow_any and text == "any":
        return text
    words = text.split("+")
    bad = [w for w in words if w not in BODY_DIRECTIONS]
    if bad:
        raise ValueError(
            f"unknown direction {bad[0]!r}{did_you_mean(bad[0], BODY_DIRECTIONS)} (use "
            f"{', '.join(BODY_DIRECTIONS)}, joined with '+'{', or any' if allow_any else ''})"
        )
    return text


def _placement_reference(text: str) -> str:
    parts = text.split()
    if len(parts) == 1:
        return _known_landmark(text)
    if len(parts) == 2 and parts[0] in BONES:
        _direction(parts[1])
        return text
    raise ValueError(
        f"{text!r} is neither a skin landmark nor a bone end such as 'fibula superior' "
        f"(bones: {', '.join(BONES)})"
    )


LandmarkName = Annotated[str, AfterValidator(_known_landmark)]
MeshId = Annotated[str, AfterValidator(_known_mesh)]


class Strict(BaseModel):
    """Base: unknown keys are errors, types are not coerced, objects are immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Source(Strict):
    """A full bibliographic citation (an entry of the top-level ``sources`` mapping)."""

    authors: Text
    year: Annotated[int, Field(ge=1900, le=2100)] | None = Field(
        description="year of publication; null only for an undated preprint")
    title: Text
    venue: Text = Field(description="journal with volume/pages, or publisher")
    doi: Text | None = None
    url: Text | None = None
    note: Text | None = Field(default=None, description="how we used it, e.g. as summarised")

    def citation(self) -> str:
        """The citation as one line of text."""
        text = f"{self.authors} ({self.year or 'undated'}). {self.title}. {self.venue}."
        if self.doi:
            text += f" doi:{self.doi}"
        elif self.url:
            text += f" {self.url}"
        return text


class Position(Strict):
    """Where a trigger point sits, without coordinates.

    A point on the centreline of mesh ``mesh`` at fraction ``along`` (0 = origin,
    1 = insertion), pushed in direction ``toward`` onto the muscle's surface.
    """

    mesh: MeshId
    along: Annotated[float, Field(ge=0.0, le=1.0)]
    toward: Toward


class ZoneDisc(Strict):
    """A disc on the skin: everything within ``radius_mm`` (along the skin) of a landmark."""

    landmark: LandmarkName
    radius_mm: Annotated[float, Field(ge=10, le=200)]


class Placement(Strict):
    """Where the literature puts a trigger point, as a rule its resolved marker must meet.

    The marker's offset from the reference ``from`` (a skin landmark, or a bone end such as
    ``"fibula superior"``: the fibula's highest point, its head), measured along ``toward``,
    lies in ``mm``; for ``toward: any`` the straight distance does. ``across_mm`` caps the
    distance from the line through the reference along ``toward``.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    from_: Annotated[str, AfterValidator(_placement_reference)] = Field(alias="from")
    toward: Annotated[str, AfterValidator(lambda t: _direction(t, allow_any=True))]
    mm: Annotated[list[float], Field(min_length=2, max_length=2)]
    across_mm: Annotated[float, Field(gt=0)] | None = None

    @model_validator(mode="after")
    def _range_in_order(self) -> Placement:
        if self.mm[0] > self.mm[1]:
            raise ValueError(f"mm: [{self.mm[0]:g}, {self.mm[1]:g}] runs backwards")
        return self


class ZoneCheck(Strict):
    """The published referral figure a trigger point's zones were compared against."""

    source: Id
    figure: Text
    note: Text | None = None


class ClinicianText(Strict):
    """Teaching-level text for clinicians."""

    palpation: Text
    needling: Text


class StructureAtRisk(Strict):
    """An anatomical structure a needle could injure near this trigger point."""

    structure: Text
    risk_class: RiskClass


class TriggerPoint(Strict):
    """One trigger point of a muscle, with its referral zones and safety notes."""

    id: Id
    name: Text
    location: Text
    position: Position
    placement: Annotated[list[Placement], Field(min_length=1)]
    essential: Annotated[list[ZoneDisc], Field(min_length=1)]
    spillover: list[ZoneDisc] = Field(default_factory=list)
    zones_checked: ZoneCheck
    symptoms: TextList
    aggravating: TextList
    patient_text: Text
    clinician_text: ClinicianText
    risk_class: RiskClass
    structures_at_risk: Annotated[list[StructureAtRisk], Field(min_length=1)]
    self_care: TextList
    red_flags: TextList
    sources: Annotated[list[Id], Field(min_length=1)]
    contested: bool = False
    contested_note: Text | None = None
    # The referral pattern itself is disputed (not only a claim about the point):
    # "where does it hurt?" ranks the point below undisputed ones with the same coverage.
    referral_contested: bool = False
    # The usual direction of the needle, in the body's words (``anterior+medial``); where it
    # is absent, a depth profile runs straight in along the skin's normal.
    needle_direction: Annotated[str, AfterValidator(_direction)] | None = None


DepthTo = Literal[
    "pleura", "rib", "muscle_surface", "muscle_deep", "muscle_thickness", "kidney_or_peritoneum"
]
DEPTH_TO: tuple[str, ...] = DepthTo.__args__  # type: ignore[attr-defined]


class DepthFigure(Strict):
    """One published depth: from the skin (or a thickness) to ``to``, for ``group``.

    Give what the study gives: a mean with its SD, a median, a range, a floor every subject
    lay below (``deeper_than_mm``: a 30 mm needle never reached it), a change between two
    positions (``change_mm`` with its 95 % interval) or a suggested needle limit.
    """

    to: DepthTo
    group: Text = "all"
    n: Annotated[int, Field(ge=1)] | None = None
    mean_mm: Annotated[float, Field(gt=0)] | None = None
    sd_mm: Annotated[float, Field(gt=0)] | None = None
    median_mm: Annotated[float, Field(gt=0)] | None = None
    range_mm: Annotated[list[float], Field(min_length=2, max_length=2)] | None = None
    deeper_than_mm: Annotated[float, Field(gt=0)] | None = None
    change_mm: float | None = None
    change_ci_mm: Annotated[list[float], Field(min_length=2, max_length=2)] | None = None
    limit_mm: Annotated[float, Field(gt=0)] | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _has_a_figure(self) -> DepthFigure:
        if all(v is None for v in (self.mean_mm, self.median_mm, self.range_mm,
                                   self.deeper_than_mm, self.change_mm, self.limit_mm)):
            raise ValueError("give at least one figure: mean_mm, median_mm, range_mm, "
                             "deeper_than_mm, change_mm or limit_mm")
        if self.sd_mm is not None and self.mean_mm is None:
            raise ValueError("sd_mm needs mean_mm")
        if self.range_mm is not None and self.range_mm[0] > self.range_mm[1]:
            raise ValueError(f"range_mm: [{self.range_mm[0]:g}, {self.range_mm[1]:g}] "
                             "runs backwards")
        return self


class DepthStudy(Strict):
    """A published measurement of how deep things lie under one trigger point's site.

    ``muscle`` and ``trigger_point`` name the atlas point whose site the study measured;
    ``direction`` is the line the model is measured along to compare (the study's own
    direction in the body's words), straight in along the skin's normal when absent.
    """

    id: Id
    source: Id
    muscle: Id
    trigger_point: Id
    site: Text
    method: Text
    direction: Annotated[str, AfterValidator(_direction)] | None = None
    figures: Annotated[list[DepthFigure], Field(min_length=1)]


class Muscle(Strict):
    """A muscle record: names, the geometry meshes it maps to, and its trigger points."""

    id: Id
    latin: Text
    common_name: Text
    patient_name: Text
    region: Region
    meshes: Annotated[list[MeshId], Field(min_length=1)]
    actions: TextList
    trigger_points: Annotated[list[TriggerPoint], Field(min_length=1)]
    sources: Annotated[list[Id], Field(min_length=1)]

    def trigger_point(self, trigger_point_id: str) -> TriggerPoint:
        """The trigger point with this id; ``AtlasError`` naming the known ids if absent."""
        for tp in self.trigger_points:
            if tp.id == trigger_point_id:
                return tp
        ids = [tp.id for tp in self.trigger_points]
        raise AtlasError(
            f"muscle {self.id!r} has no trigger point {trigger_point_id!r}"
            f"{did_you_mean(trigger_point_id, ids)} (it has: {', '.join(ids)})"
        )


class Content(Strict):
    """The whole of ``annotations.yaml``: bibliography, muscle records and general sections."""

    version: Literal[1]
    sources: Annotated[dict[Id, Source], Field(min_length=1)]
    muscles: Annotated[list[Muscle], Field(min_length=1)]
    general: General
    depth_studies: list[DepthStudy] = Field(default_factory=list)

    def muscle(self, muscle_id: str) -> Muscle:
        """The muscle record with this id; ``AtlasError`` with a suggestion if absent."""
        for muscle in self.muscles:
            if muscle.id == muscle_id:
                return muscle
        ids = [m.id for m in self.muscles]
        raise AtlasError(f"no muscle record {muscle_id!r}{did_you_mean(muscle_id, ids)}")

    def muscle_for_mesh(self, mesh_id: str) -> Muscle:
        """The record whose ``meshes`` include the geometry muscle id ``mesh_id``."""
        for muscle in self.muscles:
            if mesh_id in muscle.meshes:
                return muscle
        raise AtlasError(f"no muscle record maps the geometry muscle {mesh_id!r}")

    def trigger_point(self, muscle_id: str, trigger_point_id: str) -> TriggerPoint:
        """Trigger point ``trigger_point_id`` of muscle record ``muscle_id``."""
        return self.muscle(muscle_id).trigger_point(trigger_point_id)

    def trigger_points(self) -> Iterator[tuple[Muscle, TriggerPoint]]:
        """Every (muscle, trigger point) pair, in file order."""
        for muscle in self.muscles:
            for tp in muscle.trigger_points:
                yield muscle, tp

    def source(self, source_id: str) -> Source:
        """The bibliography entry ``source_id``."""
        try:
            return self.sources[source_id]
        except KeyError:
            raise AtlasError(
                f"no source {source_id!r}{did_you_mean(source_id, list(self.sources))}"
            ) from None

    def uncovered_meshes(self) -> list[str]:
        """Geometry muscle ids (``anatomy.frame.MUSCLE_IDS``) that no record maps."""
        covered = {mesh for muscle in self.muscles for mesh in muscle.meshes}
        return [mesh for mesh in MUSCLE_IDS if mesh not in covered]


def dotted_key(loc: Loc) -> str:
    """The key path as written in messages: ``('muscles', 3, 'id')`` -> ``'muscles[3].id'``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
