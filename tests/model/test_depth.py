"""Depth profiles (``anatomy.atlas.depth``): the verdict of each kind of published figure,
which trigger points get a profile, and the shipped atlas's profiles over the lung."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from anatomy.atlas.depth import SD_BAND, VERDICTS, has_depth_profile, verdict
from anatomy.atlas.model import Atlas
from anatomy.content.schema import DepthFigure
from anatomy.frame import SIDES
from anatomy.geometry.needle import REACH_M
from anatomy.geometry.pleura_report import chest_walls
from anatomy.geometry.ribs import LINES, PLEURA_BORDER, border_levels

# -- verdicts ------------------------------------------------------------------------------


def fig(**figures: object) -> DepthFigure:
    return DepthFigure.model_validate({"to": "pleura", **figures})


@pytest.mark.parametrize(("figure", "model", "expected"), [
    # mean ± SD: within mean ± 2 SD
    (fig(mean_mm=28.4, sd_mm=3.8), 28.4, "within"),
    (fig(mean_mm=28.4, sd_mm=3.8), 28.4 + SD_BAND * 3.8, "within"),
    (fig(mean_mm=28.4, sd_mm=3.8), 36.3, "deeper"),
    (fig(mean_mm=28.4, sd_mm=3.8), 20.7, "shallower"),
    # a range: its ends are within
    (fig(median_mm=35, range_mm=[17, 93]), 17.0, "within"),
    (fig(median_mm=35, range_mm=[17, 93]), 93.5, "deeper"),
    (fig(median_mm=35, range_mm=[17, 93]), 16.0, "shallower"),
    # a range goes before mean ± SD (27 ± 4 would reach 35; the range stops at 34)
    (fig(mean_mm=27, sd_mm=4, range_mm=[19, 34]), 34.5, "deeper"),
    # a floor every subject lay below: shallower than it is outside, any depth past it within
    (fig(deeper_than_mm=30), 29.5, "shallower"),
    (fig(deeper_than_mm=30), 80.0, "within"),
    # figures with no range to compare
    (fig(mean_mm=56), 38.0, "no range"),
    (fig(median_mm=22.8), 33.0, "no range"),
    (fig(change_mm=7, change_ci_mm=[4, 10]), 49.0, "no range"),
    (fig(limit_mm=19), 34.0, "no range"),
    # the model has nothing on the line
    (fig(mean_mm=28.4, sd_mm=3.8), None, "not reached"),
    (fig(deeper_than_mm=30), None, "not reached"),
])  # fmt: skip
def test_verdict_of_each_kind_of_figure(figure: DepthFigure, model: float | None,
                                        expected: str) -> None:  # fmt: skip
    assert verdict(figure, model) == expected


def test_kidney_or_peritoneum() -> None:
    kidney = DepthFigure(to="kidney_or_peritoneum", mean_mm=80, sd_mm=12)
    assert verdict(kidney, None) == "not in the model"
    assert verdict(kidney, 61.0) == "within"
    assert verdict(kidney, 50.0) == "shallower"


def test_every_verdict_is_a_known_one() -> None:
    figures = [fig(mean_mm=10, sd_mm=1), fig(range_mm=[1, 2]), fig(deeper_than_mm=5),
               fig(median_mm=3), DepthFigure(to="kidney_or_peritoneum", mean_mm=9)]  # fmt: skip
    said = {verdict(f, m) for f in figures for m in (None, 0.5, 1.5, 9.0, 50.0)}
    assert said <= set(VERDICTS)
    assert said == set(VERDICTS)


# -- which points have a profile ------------------------------------------------------------


def test_has_depth_profile(real_atlas: Atlas) -> None:
    content = real_atlas.content
    trunk = content.muscle("rectus_abdominis")
    trunk_tp = trunk.trigger_points[0]
    assert trunk.region == "trunk" and has_depth_profile(trunk, trunk_tp)

    neck = content.muscle("upper_trapezius")
    tp = neck.trigger_point("tp1")
    assert neck.region != "trunk" and tp.risk_class == "pneumothorax"
    assert has_depth_profile(neck, tp)
    low = tp.structures_at_risk[0].model_copy(update={"risk_class": "low"})
    safe = tp.model_copy(update={"risk_class": "low", "structures_at_risk": [low]})
    assert not has_depth_profile(neck, safe)
    # the lung among the structures at risk is enough, whatever the point's own class
    lung = tp.structures_at_risk[0]
    listed = tp.model_copy(update={"risk_class": "major_vessel", "structures_at_risk": [lung]})
    assert has_depth_profile(neck, listed)

    calf = content.muscle("gastrocnemius")
    assert not any(has_depth_profile(calf, t) for t in calf.trigger_points)
    assert real_atlas.depths.profile("gastrocnemius", calf.trigger_points[0].id, "left") is None


# -- the shipped atlas: every point over the lung has a profile with a pleura, or a reason ----

OUTSIDE = "outside the chest wall"  # the line never gets deeper than the ribs
BELOW = "below the pleura"  # the skin entry lies below the pleura's lower border
WALL_MM = 15.0  # the pleura lies 7-12 mm inside the hull of the ribs' outer faces
NO_PLEURA_ON_THE_LINE = {
    ("scalenes", "anterior"): (OUTSIDE, "in the neck: the line runs back to the cervical "
                               "spine, above and medial to the apex"),
    ("scalenes", "middle"): (OUTSIDE, "in the neck: the line runs in to the cervical spine"),
    ("pectoralis_minor", "coracoid"): (OUTSIDE, "near the coracoid the line runs through the "
                                       "shoulder, lateral to the chest wall"),
    ("teres_major", "middle"): (OUTSIDE, "in the posterior axillary fold, outside the chest"),
    ("latissimus_dorsi", "axillary_fold"): (OUTSIDE, "in the posterior axillary fold, the line "
                                            "runs out into the arm, lateral to the chest wall"),
    ("quadratus_lumborum", "superficial_upper"): (BELOW, "below the 12th rib"),
    ("longissimus_thoracis", "lumbar"): (BELOW, "at the lumbar spine"),
    ("external_oblique", "upper"): (BELOW, "over the lower ribs, below the costodiaphragmatic "
                                    "recess"),
    ("transversus_abdominis", "costal_margin"): (BELOW, "at the costal margin, below the "
                                                 "pleura's border"),
    ("diaphragm", "anterior_costal"): (BELOW, "under the costal margin, below the recess"),
}  # fmt: skip


def over_the_lung(atlas: Atlas) -> list[tuple[str, str]]:
    """Every (record, trigger point) whose structures at risk include the lung."""
    return [(m.id, tp.id) for m, tp in atlas.content.trigger_points()
            if "pneumothorax" in {tp.risk_class, *(s.risk_class for s in tp.structures_at_risk)}]


def _reason_holds(walls, reason: str, profile) -> bool:  # type: ignore[no-untyped-def]
    """Whether the named kind of reason is true of the profile's line."""
    line, side = profile.line, profile.side
    wall = walls[side]
    if reason == OUTSIDE:
        along = line.entry + np.outer(np.linspace(0.0, REACH_M, 121), line.direction)
        return bool(wall.depth(along).max() * 1000 < WALL_MM)
    levels = border_levels(wall.ribcage, side, wall.lines, PLEURA_BORDER)
    angle = wall.lines.angle(line.entry[:1], line.entry[1:2], wall.sign)[0]
    border = np.interp(angle, [getattr(wall.lines, x) for x in LINES], [levels[x] for x in LINES])
    return bool(line.entry[2] < border)


def problems_over_the_lung(atlas: Atlas) -> list[str]:
    """Each point over the lung without a profile on a side, or whose line reaches no pleura
    with no reason named (or a named reason that is not true of its line)."""
    walls = chest_walls(atlas.meshes)
    out = []
    for muscle, tp in over_the_lung(atlas):
        for side in SIDES:
            profile = atlas.depths.profile(muscle, tp, side)
            if profile is None:
                out.append(f"{muscle}/{tp} {side}: no depth profile")
                continue
            if profile.line.pleura_mm is not None:
                continue
            named = NO_PLEURA_ON_THE_LINE.get((muscle, tp))
            if named is None:
                out.append(f"{muscle}/{tp} {side}: no pleura on its line and no reason named")
            elif not _reason_holds(walls, named[0], profile):
                out.append(f"{muscle}/{tp} {side}: the line is not {named[0]}")
    return out


def test_every_point_over_the_lung_has_a_profile_with_a_pleura_or_a_reason(
        real_atlas: Atlas) -> None:  # fmt: skip
    assert problems_over_the_lung(real_atlas) == []


def test_the_named_reasons_are_current(real_atlas: Atlas) -> None:
    """A point listed without a pleura really has none on some side (else drop it)."""
    listed = set(over_the_lung(real_atlas))
    for key in NO_PLEURA_ON_THE_LINE:
        assert key in listed, key
        lines = [real_atlas.depths.profile(*key, side).line for side in SIDES]
        assert any(line.pleura_mm is None for line in lines), key


def test_a_missing_profile_is_caught(real_atlas: Atlas, monkeypatch: pytest.MonkeyPatch) -> None:
    depths = real_atlas.depths
    real = depths.profile

    def without_rhomboid(muscle: str, trigger_point: str, side: str):  # type: ignore[no-untyped-def]
        if (muscle, trigger_point, side) == ("rhomboids", "major", "left"):
            return None
        return real(muscle, trigger_point, side)

    monkeypatch.setattr(depths, "profile", without_rhomboid)
    assert problems_over_the_lung(real_atlas) == ["rhomboids/major left: no depth profile"]


def test_a_line_that_loses_its_pleura_is_caught(
        real_atlas: Atlas, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    depths = real_atlas.depths
    real = depths.profile

    def no_pleura(muscle: str, trigger_point: str, side: str):  # type: ignore[no-untyped-def]
        profile = real(muscle, trigger_point, side)
        if (muscle, trigger_point, side) == ("serratus_anterior", "mid_axillary", "right"):
            line = dataclasses.replace(profile.line, pleura_mm=None)
            return dataclasses.replace(profile, line=line)
        return profile

    monkeypatch.setattr(depths, "profile", no_pleura)
    assert problems_over_the_lung(real_atlas) == [
        "serratus_anterior/mid_axillary right: no pleura on its line and no reason named"]


@pytest.mark.parametrize("side", SIDES)
def test_rhomboid_major_lies_over_a_rib_and_the_pleura_deeper(real_atlas: Atlas,
                                                               side: str) -> None:  # fmt: skip
    profile = real_atlas.depths.profile("rhomboids", "major", side)
    assert profile is not None
    line = profile.line
    assert line.muscle_mm is not None and line.pleura_mm is not None
    assert line.bone is not None and line.bone[0].startswith(f"{side} rib ")
    assert profile.figures.rib is not None and profile.figures.rib[0].startswith(f"{side} rib ")
    assert line.muscle_mm < line.bone[1] < line.pleura_mm
    assert line.pleura_mm > line.muscle_mm
    # the studies of the site are compared on this side too
    assert {c.study.id for c in profile.comparisons} >= {"rhomboid_major_ultrasound"}
