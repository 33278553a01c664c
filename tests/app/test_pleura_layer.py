"""The lungs-and-pleura layer follows the mode: on for clinicians, off for students and
patients, a toggle within a mode, and never offered to patients (nor through a link)."""

from __future__ import annotations

import pytest

from anatomy.scene.palette import OPACITY, layer_offered, mode_layers
from anatomy.session import deeplink
from anatomy.session.state import AtlasState


def test_the_rule_in_the_palette() -> None:
    assert "pleura" in mode_layers("clinician")
    assert "pleura" not in mode_layers("student") and "pleura" not in mode_layers("patient")
    assert {"skin", "skeleton", "muscles"} <= set(mode_layers("patient"))
    assert layer_offered("pleura", "student") and layer_offered("pleura", "clinician")
    assert not layer_offered("pleura", "patient")
    assert 0.3 <= OPACITY["pleura"] <= 0.5  # translucent


@pytest.mark.parametrize(("mode", "shown"), [("patient", False), ("student", False),
                                             ("clinician", True)])  # fmt: skip
def test_a_session_starts_with_its_modes_layer(atlas, mode: str, shown: bool) -> None:
    assert AtlasState(atlas, mode=mode).show_pleura is shown


def test_switching_mode_turns_the_layer_on_and_off(state) -> None:
    assert state.mode == "patient" and not state.show_pleura
    state.mode = "clinician"
    assert state.show_pleura
    state.show_pleura = False  # a clinician may hide it...
    state.select_muscle("soleus")
    assert not state.show_pleura  # ...and it stays hidden within the mode
    state.mode = "student"
    assert not state.show_pleura
    state.show_pleura = True  # a student may turn it on
    state.mode = "clinician"
    assert state.show_pleura
    state.mode = "patient"
    assert not state.show_pleura
    state.mode = "clinician"
    assert state.show_pleura


def test_the_layer_and_its_opacity_travel_in_a_link(atlas) -> None:
    clinician = AtlasState(atlas, mode="clinician")
    clinician.opacity_pleura = 0.6
    query = clinician.to_query()
    assert "pleura" in query["layers"].split(",") and "pleura:0.6" in query["opacity"]
    fresh = AtlasState(atlas)
    assert fresh.from_query(query) == []
    assert fresh.show_pleura and fresh.opacity_pleura == pytest.approx(0.6)
    clinician.show_pleura = False
    hidden = AtlasState(atlas)
    assert hidden.from_query(clinician.to_query()) == []
    assert hidden.mode == "clinician" and not hidden.show_pleura  # the link's, not the mode's


def test_a_link_without_layers_opens_with_its_modes(atlas) -> None:
    fresh = AtlasState(atlas)
    fresh.from_query({"mode": "clinician", "muscle": "soleus"})
    assert fresh.show_pleura and fresh.show_skin
    student = AtlasState(atlas, mode="clinician")
    student.from_query({"mode": "student"})
    assert not student.show_pleura


def test_a_patient_link_never_shows_the_layer(atlas) -> None:
    fresh = AtlasState(atlas)
    problems = fresh.from_query({"mode": "patient", "layers": "skin,muscles,pleura"})
    assert not fresh.show_pleura and fresh.show_skin and fresh.show_muscles
    assert len(problems) == 1 and "lungs and pleura" in problems[0]
    assert "pleura" not in fresh.to_query()["layers"]


def test_a_session_locked_to_patient_mode_keeps_the_layer_off(atlas) -> None:
    locked = AtlasState(atlas, mode="patient", mode_locked=True)
    problems = locked.from_query({"mode": "clinician", "layers": "skin,pleura"})
    assert locked.mode == "patient" and not locked.show_pleura
    assert any("locked to patient mode" in p for p in problems)
    locked_clinician = AtlasState(atlas, mode="clinician", mode_locked=True)
    locked_clinician.from_query({"mode": "patient"})
    assert locked_clinician.show_pleura  # the locked mode's layers, not the link's mode's


def test_query_to_view_applies_the_rule_without_a_session() -> None:
    view, problems = deeplink.query_to_view({"mode": "clinician"}, {})
    assert "pleura" in view.layers and problems == []
    view, problems = deeplink.query_to_view({"mode": "patient", "layers": "pleura"}, {})
    assert view.layers == () and len(problems) == 1


def _layers_card(app):  # type: ignore[no-untyped-def]
    import panel as pn

    (card,) = [c for c in app._layout.select(pn.Card) if "layers-card" in c.css_classes]
    card.collapsed = False  # its widgets are made on opening
    return card


def _pleura_controls(card):  # type: ignore[no-untyped-def]
    """The group of the layer's controls, and its toggle and opacity slider."""
    import panel as pn

    groups = [c for c in card.select(pn.Column) if "pleura-controls" in c.css_classes]
    widgets = [w for w in card.select(pn.widgets.Widget)
               if {"layer-pleura", "opacity-pleura"} & set(w.css_classes)]  # fmt: skip
    return groups, widgets


def test_the_toggle_is_offered_outside_patient_mode_and_drives_the_view(shipped) -> None:  # type: ignore[no-untyped-def]
    from anatomy.ui.layout import AtlasApp

    atlas, scene = shipped
    app = AtlasApp(atlas, scene, mode="patient")
    (group,), controls = _pleura_controls(_layers_card(app))
    assert len(controls) == 2 and not group.visible  # no toggle for patients
    assert not app.viewer.show_pleura
    app.state.mode = "clinician"
    assert group.visible
    (box,) = [c for c in controls if "layer-pleura" in c.css_classes]
    assert box.value and box.name == "Lungs and pleura"
    assert app.viewer.show_pleura and app.viewer.pleura_opacity == OPACITY["pleura"]
    box.value = False
    assert not app.state.show_pleura and not app.viewer.show_pleura
    app.state.mode = "patient"
    assert not group.visible


def test_a_session_locked_to_patient_mode_makes_no_toggle(shipped) -> None:  # type: ignore[no-untyped-def]
    from anatomy.ui.layout import AtlasApp

    atlas, scene = shipped
    app = AtlasApp(atlas, scene, mode="patient", lock_mode=True)
    assert _pleura_controls(_layers_card(app)) == ([], [])


def test_the_legend_and_the_view_description_name_the_lungs_when_shown(shipped) -> None:  # type: ignore[no-untyped-def]
    from anatomy.ui import a11y
    from anatomy.ui.layout import AtlasApp

    atlas, scene = shipped
    app = AtlasApp(atlas, scene, mode="clinician")
    assert "lungs and pleura" in a11y.describe_view(app.state)
    assert "Pleura" in a11y.legend_html(False, organs_shown=app.state.show_pleura)
    assert "lungs and pleura" in app.viewer.description
    app.state.show_pleura = False
    assert "lungs and pleura" not in app.viewer.description
