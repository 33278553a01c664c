"""The accessibility layer's words: canvas description, announcements, trigger-point stepping."""

from __future__ import annotations

import param
import pytest

from anatomy.errors import AtlasError
from anatomy.scene.palette import COLOUR_WORDS
from anatomy.ui import a11y


def test_the_description_names_muscle_side_trigger_point_and_zones_as_places(state) -> None:
    assert "No muscle is selected" in a11y.describe_view(state)
    state.select_muscle("upper_trapezius", "left")
    text = a11y.describe_view(state)
    assert "top of the shoulder muscle" in text.lower() and "left side" in text
    assert "2 trigger points" in text and "Essential zone" not in text
    state.select_trigger_point("tp1")
    text = a11y.describe_view(state)
    assert "Upper trapezius TrP1" in text
    assert f"Essential zone, painted {COLOUR_WORDS['essential']}: around the left temple" in text
    assert "Spillover zone" in text and "the angle of the jaw (left)" in text
    state.select_trigger_point("tp2")
    assert "the back of the neck (left)" in a11y.describe_view(state)
    assert "Spillover zone" not in a11y.describe_view(state)  # tp2 has none


def test_the_description_follows_layers_and_where_does_it_hurt(state) -> None:
    state.show_skeleton = False
    state.pick_mode = "skin"
    text = a11y.describe_view(state)
    assert "Layers shown: skin, muscles." in text and "tap or click the skin" in text


def test_practice_is_described_without_giving_the_answer_away(state) -> None:
    state.mode = "student"
    state.start_practice()
    q = state.practice.question
    name = state.content.muscle(q.muscle).common_name
    text = a11y.describe_view(state)
    assert "Practice question" in text and f"{q.side} side" in text
    assert name not in text.lower()
    state.answer_practice(q.muscle)
    assert name in a11y.describe_view(state).lower()


def test_announcements(state) -> None:
    state.select_muscle("soleus")
    assert a11y.announcement(state, "muscle") == "Deep calf muscle (soleus), right side, selected."
    state.select_trigger_point("tp1")
    said = a11y.announcement(state, "trigger_point")
    assert said.startswith("Soleus TrP1, right side, selected.") and "right heel" in said
    state.mode = "clinician"
    assert "Clinician view" in a11y.announcement(state, "mode")
    assert a11y.announcement(state, "show_skin") == ""


def test_stepping_through_trigger_points_wraps(state) -> None:
    with pytest.raises(AtlasError):
        a11y.step_trigger_point(state, 1)
    state.select_muscle("upper_trapezius")
    assert a11y.step_trigger_point(state, 1) == "tp1"
    assert a11y.step_trigger_point(state, 1) == "tp2"
    assert a11y.step_trigger_point(state, 1) == "tp1"  # wraps
    assert a11y.step_trigger_point(state, -1) == "tp2"
    state.select_muscle("soleus")
    assert a11y.step_trigger_point(state, -1) == "tp1"
    assert state.trigger_point == "tp1" and state.zones


def test_the_live_region_and_the_viewer_follow_the_state(state) -> None:
    class Viewer(param.Parameterized):  # the viewer's description parameter only
        description = param.String(default="")

    viewer, live = Viewer(), a11y.LiveRegion()
    a11y.wire(state, viewer, live)
    assert "No muscle is selected" in viewer.description
    state.select_muscle("soleus", "left")
    assert live.message == "Deep calf muscle (soleus), left side, selected."
    assert "left side" in viewer.description
    state.mode = "student"
    assert live.message.startswith("Student view")


def test_place_words() -> None:
    assert a11y.place("temple", "right") == "the right temple"
    assert a11y.place("posterior_neck", "left") == "the back of the neck (left)"
    assert a11y.place("sacrum", "left") == "the base of the spine"


def test_legend_has_words_and_shapes() -> None:
    html = a11y.legend_html(True, organs_shown=True)
    for word in COLOUR_WORDS.values():
        if word != COLOUR_WORDS["dimmed"]:
            assert word in html
    assert "Essential zone" in html and "swatch-big-dot" in html
    assert "Essential zone" not in a11y.legend_html(False)
    assert "Pleura" not in a11y.legend_html(True)  # only with the lungs and pleura shown


def test_larger_text_in_the_deep_link() -> None:
    assert a11y.large_text_requested({"text": [b"large"]})
    assert a11y.large_text_requested({"text": "large"})
    assert not a11y.large_text_requested({"text": [b"huge"]})
    assert not a11y.large_text_requested(None)
    assert a11y.text_size_query(True) == {"text": "large"} and a11y.text_size_query(False) == {}


def test_the_toggle_scales_its_page() -> None:
    import panel as pn

    column = pn.Column(css_classes=["text-column"])
    toggle = a11y.text_size_toggle(column, large=True)
    assert a11y.LARGE_TEXT_CLASS in column.css_classes
    toggle.value = False
    assert column.css_classes == ["text-column"]
