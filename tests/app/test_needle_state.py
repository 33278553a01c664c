"""A session's needle line and depth words: a clinician's trigger point over the trunk shows
them, a switch of mode or a practice question takes them away, and the side view needs one."""

from __future__ import annotations

import numpy as np
import pytest

from anatomy.errors import AtlasError
from anatomy.scene.describe import facing
from anatomy.session.state import AtlasState


@pytest.fixture
def clinician(real_atlas) -> AtlasState:
    state = AtlasState(real_atlas, mode="clinician", practice_seed=3)
    state.select_trigger_point("major", "rhomboids")
    return state


def test_a_clinicians_rhomboid_point_shows_the_line_and_the_figures(clinician) -> None:
    assert clinician.needle and clinician.needle["pleura"] is not None
    page = clinician.detail_html()
    assert 'class="needle-depth"' in page
    profile = clinician.atlas.depths.profile("rhomboids", "major", "right")
    assert f"the pleura at {profile.line.pleura_mm:.0f} mm" in page
    assert "One body, not your patient." in page
    assert "Valera-Calero" in page or "2018" in page  # the site's published depths


def test_the_figures_follow_the_side(clinician) -> None:
    right = clinician.needle
    clinician.set_side("left")
    assert clinician.needle["entry"][0] == pytest.approx(-right["entry"][0], abs=0.03)
    left = clinician.atlas.depths.profile("rhomboids", "major", "left")
    assert f"the pleura at {left.line.pleura_mm:.0f} mm" in clinician.detail_html()


@pytest.mark.parametrize("mode", ["patient", "student"])
def test_other_modes_show_neither_line_nor_depths(clinician, mode: str) -> None:
    clinician.mode = mode
    assert clinician.needle is None
    assert "needle-depth" not in clinician.detail_html()
    clinician.mode = "clinician"
    assert clinician.needle is not None  # back again with the mode


def test_a_muscle_without_a_point_or_a_limb_point_has_no_line(clinician) -> None:
    clinician.select_muscle("rhomboids")
    assert clinician.needle is None
    clinician.select_trigger_point("tp1", "soleus")
    assert clinician.needle is None and "needle-depth" not in clinician.detail_html()
    with pytest.raises(AtlasError, match="needle line"):
        clinician.view_needle()


def test_the_side_view_turns_the_camera_to_a_section(clinician) -> None:
    clinician.view_needle()
    assert set(clinician.camera) == {"position", "focal_point", "view_up", "section"}
    assert clinician.to_query()["cam"].count(",") == 8  # a link keeps the camera, not the cut


def test_practice_shows_no_line(real_atlas) -> None:
    state = AtlasState(real_atlas, mode="student", practice_seed=1)
    state.show_pleura = True
    state.start_practice()
    assert state.needle is None


def test_a_depth_question_marks_two_needle_entries_facing_the_same_way(real_atlas) -> None:
    state = AtlasState(real_atlas, mode="student", practice_seed=11)
    for _ in range(6):
        state.start_practice("depth")
        q = state.practice.question
        assert state.practice_kind == "depth" and state.zones == {} and state.needle is None
        assert [m["label"] for m in state.markers] == ["Point A", "Point B"]
        assert [m["selected"] for m in state.markers] == [True, False]  # pink A, navy B
        for marker, (muscle, tp), mm in zip(state.markers, q.points, q.depths_mm,
                                            strict=True):  # fmt: skip
            profile = real_atlas.depths.profile(muscle, tp, q.side)
            assert marker["position"] == pytest.approx(list(profile.line.entry))
            assert mm == pytest.approx(profile.line.pleura_mm)
        faces = {facing(real_atlas, marker["position"]) > 0 for marker in state.markers}
        assert len(faces) == 1  # both on the back or both on the front: one view shows both
        assert abs(q.depths_mm[0] - q.depths_mm[1]) >= 8
        assert "position" in state.camera


def test_a_depth_answer_is_scored_and_shows_both_muscles(real_atlas) -> None:
    state = AtlasState(real_atlas, mode="student", practice_seed=2)
    state.start_practice("depth")
    q = state.practice.question
    wrong = next(c for c in q.choices if c != q.right)
    assert state.answer_practice(wrong) is False
    assert state.practice.score_text == "0 of 1 correct"
    assert sorted(state.highlighted) == sorted(f"{mesh}_{q.side}" for m, _ in q.points
                                               for mesh in real_atlas.record(m).meshes)
    state.next_question()  # the same kind again
    assert state.practice_kind == "depth"
    assert state.answer_practice(state.practice.question.right) is True
    assert state.practice.score_text == "1 of 2 correct"
    state.next_question("zone")
    assert state.practice_kind == "zone" and state.zones


def test_practice_kinds_are_checked(real_atlas) -> None:
    state = AtlasState(real_atlas, mode="student")
    with pytest.raises(AtlasError, match="zone, depth"):
        state.start_practice("anatomy")


def test_a_depth_question_never_pairs_a_point_hidden_from_the_view(real_atlas) -> None:
    state = AtlasState(real_atlas, mode="student", practice_seed=4)
    tracer = real_atlas.depths.tracer
    state.start_practice("depth")
    for _ in range(12):
        eye = state.camera["position"]
        for marker in state.markers:
            assert not tracer.sight_blocked(eye, marker["position"], 0.012), marker["id"]
        state.next_question()


def test_sight_is_blocked_through_the_body(real_atlas) -> None:
    tracer = real_atlas.depths.tracer
    rhomboid = real_atlas.depths.profile("rhomboids", "major", "right").line.entry
    behind = np.asarray(rhomboid) + np.array([0.0, 1.0, 0.0])  # +y: behind the back
    in_front = np.asarray(rhomboid) + np.array([0.0, -1.0, 0.0])
    assert not tracer.sight_blocked(behind, rhomboid, 0.012)
    assert tracer.sight_blocked(in_front, rhomboid, 0.012)


def test_an_atlas_without_depths_says_so_instead_of_failing(atlas) -> None:
    state = AtlasState(atlas, mode="student")  # the mini content on a fake geometry
    with pytest.raises(AtlasError, match="no depth profiles"):
        state.start_practice("depth")
