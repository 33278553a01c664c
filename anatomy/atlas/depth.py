"""Depth profiles: what a needle at a trigger point over the trunk passes through, in this
atlas's body, set beside what studies measured in people.

Every trigger point over the thorax or abdomen has one: the points of the trunk's muscles,
and any other point whose structures at risk include the lung (``pneumothorax``), such as
those of the neck and shoulder girdle over the lung's apex. Points palpated from inside the
pelvis (the pelvic floor) have none: no needle reaches them from the skin. The line runs
along the record's ``needle_direction``, or straight in along the skin's normal. Along it:
the far side of the target muscle, the first bone (a rib by its number) and the parietal
pleura (:mod:`anatomy.geometry.needle`).

Each published study of the point's site (``depth_studies`` in the content) is compared along
the study's own direction: its figures (mean and SD, median, range, a floor) against the
model's, with a verdict that says when the model falls outside what was measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from anatomy.content.schema import DepthFigure, DepthStudy, Muscle, TriggerPoint
from anatomy.geometry.needle import NeedleLine, NeedleTracer
from anatomy.geometry.placement import direction_vector

if TYPE_CHECKING:
    from anatomy.atlas.model import Atlas

# How far from a mean a model figure may lie and still count as within what was measured:
# two standard deviations hold about 95 % of people when depths are roughly normal.
SD_BAND = 2.0
VERDICTS = ("within", "shallower", "deeper", "no range", "not reached", "not in the model")


def has_depth_profile(muscle: Muscle, tp: TriggerPoint) -> bool:
    """Whether a trigger point lies over the thorax or abdomen and so gets a depth profile."""
    classes = {tp.risk_class} | {s.risk_class for s in tp.structures_at_risk}
    return muscle.region == "trunk" or "pneumothorax" in classes


@dataclass(frozen=True)
class ModelFigures:
    """The model's depths along one line, in mm from the skin (None where there is none)."""

    pleura: float | None
    rib: tuple[str, float] | None
    muscle_surface: float | None
    muscle_deep: float | None
    kidney: float | None = None
    abdomen: float | None = None

    @property
    def muscle_thickness(self) -> float | None:
        if self.muscle_surface is None or self.muscle_deep is None:
            return None
        return self.muscle_deep - self.muscle_surface

    def value(self, to: str) -> float | None:
        """The model's figure for a study's ``to``; None where the model has none."""
        if to == "rib":
            return self.rib[1] if self.rib else None
        if to == "kidney_or_peritoneum":  # the model has the kidney, not the peritoneum:
            # the inner face of the abdomen's back wall stands for it
            found = [v for v in (self.kidney, self.abdomen) if v is not None]
            return min(found) if found else None
        return getattr(self, to)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Comparison:
    """One published figure beside the model's."""

    study: DepthStudy
    figure: DepthFigure
    model_mm: float | None
    verdict: str
    direction_from: str

    @property
    def outside(self) -> bool:
        """Whether the model falls outside what the study measured."""
        return self.verdict in ("shallower", "deeper", "not reached")


@dataclass(frozen=True)
class DepthProfile:
    """A trigger point's needle line on one side, its figures and the studies of its site."""

    muscle: str
    trigger_point: str
    side: str
    line: NeedleLine
    figures: ModelFigures
    comparisons: tuple[Comparison, ...]


def verdict(figure: DepthFigure, model_mm: float | None) -> str:
    """How the model's figure sits against a published one (one of ``VERDICTS``)."""
    if model_mm is None and figure.to == "kidney_or_peritoneum":
        return "not in the model"
    if model_mm is None:
        return "not reached"
    if figure.range_mm is not None:
        lo, hi = figure.range_mm
    elif figure.mean_mm is not None and figure.sd_mm is not None:
        lo, hi = figure.mean_mm - SD_BAND * figure.sd_mm, figure.mean_mm + SD_BAND * figure.sd_mm
    elif figure.deeper_than_mm is not None:
        lo, hi = figure.deeper_than_mm, float("inf")
    else:
        return "no range"
    if model_mm < lo:
        return "shallower"
    return "deeper" if model_mm > hi else "within"


def figures_along(line: NeedleLine, nearest_rib: tuple[str, float] | None) -> ModelFigures:
    """The model's figures for one line (``nearest_rib``: the probe slid onto a rib)."""
    own = [iv for iv in line.intervals if iv.name == line.target]
    surface = None
    if line.muscle_mm is not None:
        stretch = [iv for iv in own if iv.end_mm == line.muscle_mm]
        surface = stretch[0].start_mm if stretch else None
    return ModelFigures(pleura=line.pleura_mm, rib=nearest_rib, muscle_surface=surface,
                        muscle_deep=line.muscle_mm, kidney=line.kidney_mm,
                        abdomen=line.abdomen_mm)  # fmt: skip


class DepthProfiles:
    """Depth profiles of one atlas, computed on first use and kept."""

    def __init__(self, atlas: Atlas) -> None:
        self.atlas = atlas
        self.tracer = NeedleTracer(atlas.meshes)
        self._cache: dict[tuple[str, str, str], DepthProfile | None] = {}

    def points(self) -> list[tuple[str, str]]:
        """Every (muscle record id, trigger point id) that has a depth profile."""
        return [(m.id, tp.id) for m, tp in self.atlas.content.trigger_points()
                if has_depth_profile(m, tp)]  # fmt: skip

    def line(self, muscle: str, trigger_point: str, side: str,
             direction: str | None) -> NeedleLine:  # fmt: skip
        """The line through the point's marker along ``direction`` (body words) or, when
        None, straight in along the skin's normal."""
        record = self.atlas.record(muscle)
        tp = record.trigger_point(trigger_point)
        marker = self.atlas.trigger_point_position(record.id, tp.id, side)
        vector = None if direction is None else direction_vector(direction, side)
        return self.tracer.line(f"{tp.position.mesh}_{side}", marker, side, vector)

    def profile(self, muscle: str, trigger_point: str, side: str) -> DepthProfile | None:
        """The point's depth profile on ``side``; None for a point not over the trunk."""
        record = self.atlas.record(muscle)
        tp = record.trigger_point(trigger_point)
        key = (record.id, tp.id, side)
        if key not in self._cache:
            self._cache[key] = (self._build(record, tp, side)
                                if has_depth_profile(record, tp) else None)  # fmt: skip
        return self._cache[key]

    def _build(self, record: Muscle, tp: TriggerPoint, side: str) -> DepthProfile:
        line = self.line(record.id, tp.id, side, tp.needle_direction)
        figures = figures_along(line, self.tracer.nearest_rib_mm(line.entry, line.direction, side))
        comparisons = []
        for study in self.atlas.content.depth_studies:
            if (study.muscle, study.trigger_point) != (record.id, tp.id):
                continue
            if study.direction == tp.needle_direction:
                theirs, along = figures, line
            else:
                along = self.line(record.id, tp.id, side, study.direction)
                theirs = figures_along(
                    along, self.tracer.nearest_rib_mm(along.entry, along.direction, side))
            for figure in study.figures:
                model = theirs.value(figure.to)
                comparisons.append(Comparison(study, figure, model, verdict(figure, model),
                                              along.direction_from))  # fmt: skip
        return DepthProfile(record.id, tp.id, side, line, figures, tuple(comparisons))


def round_mm(value: float | None) -> str:
    """A depth as people read it: whole millimetres, or an en dash for none."""
    return "\u2013" if value is None or not np.isfinite(value) else f"{value:.0f} mm"
