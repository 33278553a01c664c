"""Student practice: a zone is painted, a few muscles offered, answers scored."""

from __future__ import annotations

import pytest

from anatomy.errors import AtlasError
from anatomy.session.practice import Practice


def test_practice_paints_a_zone_hides_the_answer_and_scores(state, atlas):
    with pytest.raises(AtlasError, match="student mode"):
        state.start_practice()
    state.mode = "student"
    state.start_practice()
    q = state.practice.question
    assert q.muscle in q.choices and len(q.choices) == 3  # only three muscles in the mini content
    assert list(state.zones["essential"]) == list(
        atlas.zone_vertices(q.muscle, q.trigger_point, q.side, "essential")
    )
    assert state.highlighted == [] and state.markers == []  # nothing gives the answer away

    wrong = next(c for c in q.choices if c != q.muscle)
    assert state.answer_practice(wrong) is False
    assert state.highlighted == [f"{q.muscle}_{q.side}"]  # the answer is revealed
    assert state.answer_practice(q.muscle) is True  # a second answer to the same question ...
    assert state.practice.score_text == "0 of 1 correct"  # ... is not counted

    state.next_question()
    q2 = state.practice.question
    assert (q2.muscle, q2.trigger_point) != (q.muscle, q.trigger_point)
    assert state.answer_practice(q2.muscle) is True
    assert state.practice.score_text == "1 of 2 correct"


def test_leaving_student_mode_or_selecting_ends_practice(state):
    state.mode = "student"
    state.start_practice()
    state.mode = "clinician"
    assert not state.practice_active
    state.mode = "student"
    state.start_practice()
    state.select_muscle("soleus")
    assert not state.practice_active and state.highlighted == ["soleus_right"]


def test_choices_prefer_the_same_region_and_answers_must_be_offered():
    pool = [(f"m{i}", "tp1", "leg" if i < 5 else "trunk") for i in range(10)]
    practice = Practice(pool, seed=1)
    for _ in range(20):
        q = practice.next_question()
        region = "leg" if int(q.muscle[1:]) < 5 else "trunk"
        assert len(set(q.choices)) == 4
        assert all((("leg" if int(c[1:]) < 5 else "trunk") == region) for c in q.choices)
    with pytest.raises(ValueError, match="not one of"):
        practice.submit("m99")
    with pytest.raises(ValueError, match="at least two muscles"):
        Practice([("a", "tp1", "leg")])


def test_depth_questions_pick_points_far_enough_apart_and_score_the_shallower():
    practice = Practice([("a", "tp1", "trunk"), ("b", "tp1", "trunk")], seed=3)
    depths = [("rhomboids", "major", 45.0), ("serratus_anterior", "mid_axillary", 19.0),
              ("lower_trapezius", "mid_fibres", 49.0)]  # fmt: skip
    for _ in range(20):
        q = practice.next_depth_question(depths, side="left")
        a, b = q.depths_mm
        assert abs(a - b) >= 8.0  # rhomboid and lower trapezius (4 mm apart) never meet
        assert q.right == q.choices[0 if a < b else 1]
        assert q.side == "left"
    assert practice.submit(q.right) is True
    wrong = next(c for c in q.choices if c != q.right)
    assert practice.submit(wrong) is False  # a second answer is not counted
    assert practice.score_text == "1 of 1 correct"
    with pytest.raises(ValueError, match="not one of"):
        practice.submit("rhomboids")
    with pytest.raises(ValueError, match="differ enough"):
        practice.next_depth_question([("a", "tp1", 20.0), ("b", "tp1", 24.0)])


def test_depth_questions_pair_only_points_that_face_the_same_way():
    practice = Practice([("a", "tp1", "trunk"), ("b", "tp1", "trunk")], seed=5)
    depths = [("rhomboids", "major", 45.0, "back"), ("serratus_anterior", "mid_axillary", 19.0,
              "front"), ("pectoralis_major", "costal", 11.0, "front"),
              ("latissimus_dorsi", "lower", 24.0, "back")]  # fmt: skip
    seen = set()
    for _ in range(30):
        q = practice.next_depth_question(depths, side="right")
        seen.add(frozenset(m for m, _ in q.points))
    assert seen == {frozenset({"rhomboids", "latissimus_dorsi"}),
                    frozenset({"serratus_anterior", "pectoralis_major"})}  # fmt: skip
