"""A session's needle line and depth words: a clinician's trigger point over the trunk shows
them, a switch of mode or a practice question takes them away, and the side view needs one."""

from __future__ import annotations

import pytest

from anatomy.errors import AtlasError
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
