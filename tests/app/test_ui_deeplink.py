"""Deep links: a view survives the round trip; broken links give a message and a working view."""

from __future__ import annotations

import pytest

from anatomy.session.state import AtlasState


def test_round_trip_restores_the_same_view(state, atlas):
    state.mode = "clinician"
    state.select_muscle("upper_trapezius", "left")
    state.select_trigger_point("tp2")
    state.param.update(show_skeleton=False, opacity_skin=0.6)
    state.camera = {
        "position": [0.3, -2.0, 1.4],
        "focal_point": [0.0, 0.0, 1.2],
        "view_up": [0, 0, 1],
    }
    query = state.to_query()
    assert query["muscle"] == "upper_trapezius" and query["tp"] == "tp2" and query["side"] == "left"
    assert query["layers"] == "skin,muscles,pleura"  # clinician mode shows the lungs

    fresh = AtlasState(atlas)
    assert fresh.from_query(query) == []
    for name in (
        "mode",
        "muscle",
        "side",
        "trigger_point",
        "show_skeleton",
        "opacity_skin",
        "camera",
    ):
        assert getattr(fresh, name) == getattr(state, name), name
    assert fresh.to_query() == query
    assert list(fresh.zones["essential"]) == list(state.zones["essential"])


def test_query_values_as_tornado_gives_them(atlas):
    fresh = AtlasState(atlas)
    fresh.from_query({"mode": [b"student"], "muscle": [b"soleus"], "cam": [b"posterior"]})
    assert (fresh.mode, fresh.muscle, fresh.camera) == (
        "student",
        "soleus",
        {"preset": "posterior"},
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"muscle": "not_a_muscle"}, "Unknown muscle"),
        ({"muscle": "<script>"}, "Unknown muscle"),
        ({"mode": "surgeon"}, "Unknown mode"),
        ({"side": "middle"}, "Side must be left or right"),
        ({"muscle": "soleus", "tp": "tp7"}, "has no trigger point"),
        ({"cam": "1,2,3"}, "9 numbers"),
        ({"cam": "1e9,0,0,0,0,0,0,0,1"}, "m from the body"),
        ({"cam": "nan,0,0,0,0,0,0,0,1"}, "finite"),
        ({"cam": "0,0,1,0,0,1,0,0,1"}, "coincide"),
        ({"cam": "0,-2,1,0,0,1,0,0,0"}, "view-up"),
        ({"cam": "a,b,c,d,e,f,g,h,i"}, "must be numbers"),
        ({"layers": "skin,organs"}, "unknown layer"),
        ({"opacity": "skin:7"}, "between 0 and 1"),
        ({"opacity": "skin=0.3"}, "look like"),
        ({"muscle": "x" * 5000}, "too long"),
    ],
)
def test_invalid_parameters_give_a_message_and_a_working_default(atlas, query, message):
    fresh = AtlasState(atlas)
    problems = fresh.from_query(query)
    assert len(problems) == 1 and message in problems[0]
    assert message in fresh.notice
    # the view still works: defaults where the value was refused
    assert fresh.mode in ("patient", "student", "clinician")
    assert fresh.camera["preset"] == "anterior" or "position" in fresh.camera
    if "muscle" in query and "tp" not in query:
        assert fresh.muscle == "" and fresh.highlighted == []
    fresh.select_muscle("soleus")  # and is usable
    assert fresh.highlighted == ["soleus_right"]


def test_a_bad_value_does_not_discard_the_good_ones(atlas):
    fresh = AtlasState(atlas)
    problems = fresh.from_query(
        {"mode": "clinician", "muscle": "soleus", "tp": "nope", "cam": "zz"}
    )
    assert len(problems) == 2
    assert (fresh.mode, fresh.muscle, fresh.trigger_point) == ("clinician", "soleus", "")


def test_a_link_to_a_trigger_point_without_a_camera_opens_on_its_zone(shipped):
    atlas, _scene = shipped
    clicked = AtlasState(atlas)
    clicked.select_muscle("upper_trapezius", "left")
    clicked.select_trigger_point("tp1")
    assert "position" in clicked.camera  # a click turns the view to the zone

    linked = AtlasState(atlas)
    assert linked.from_query({"muscle": "upper_trapezius", "side": "left", "tp": "tp1"}) == []
    assert linked.camera == clicked.camera

    with_camera = AtlasState(atlas)
    with_camera.from_query({"muscle": "upper_trapezius", "tp": "tp1", "cam": "posterior"})
    assert with_camera.camera == {"preset": "posterior"}  # the link's own camera wins
    muscle_only = AtlasState(atlas)
    muscle_only.from_query({"muscle": "upper_trapezius"})
    assert muscle_only.camera == {"preset": "anterior"}  # nothing painted: the whole body
