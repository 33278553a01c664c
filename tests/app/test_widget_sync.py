"""Widgets that follow the state must not act on the state in turn.

The region list shows the selected muscle; when a trigger point of another muscle is chosen
(a "where does it hurt?" result, a Python call), the list follows, and that must not count as
a person choosing the muscle afresh (which clears the trigger point and its zones).
"""

from __future__ import annotations


def test_choosing_a_trigger_point_of_another_muscle_keeps_it_and_its_zones(shipped) -> None:  # type: ignore[no-untyped-def]
    from anatomy.ui.layout import AtlasApp

    atlas, scene = shipped
    app = AtlasApp(atlas, scene, mode="student")
    app.state.select_muscle("pectoralis_major", "left")
    app.state.select_trigger_point("proximal", "rectus_femoris")
    assert (app.state.muscle, app.state.trigger_point) == ("rectus_femoris", "proximal")
    assert len(app.viewer.painted_zones()["essential"]) > 0


def test_a_lookup_result_of_another_muscle_is_shown_with_its_zones(shipped) -> None:  # type: ignore[no-untyped-def]
    from anatomy.ui.layout import AtlasApp

    atlas, scene = shipped
    app = AtlasApp(atlas, scene, mode="clinician")
    app.state.select_muscle("upper_trapezius", "right")
    zone = atlas.zone_vertices("rectus_femoris", "proximal", "left", "essential")
    hits = app.state.where_does_it_hurt(vertex=int(zone[len(zone) // 2]))
    index = next(i for i, h in enumerate(hits) if h["muscle"] != "upper_trapezius")
    app.state.choose_hit(index)
    hit = hits[index]
    assert (app.state.muscle, app.state.trigger_point) == (hit["muscle"], hit["trigger_point"])
    assert len(app.viewer.painted_zones()["essential"]) > 0


def test_a_person_choosing_from_the_list_still_selects(shipped) -> None:  # type: ignore[no-untyped-def]
    from anatomy.ui.layout import AtlasApp

    atlas, scene = shipped
    app = AtlasApp(atlas, scene, mode="student")
    page = app.__panel__()
    chooser = next(iter(page.select(lambda o: "muscle-list" in getattr(o, "css_classes", []))))
    chooser.value = "soleus"
    assert app.state.muscle == "soleus"
    chooser.value = ""
    assert app.state.muscle == ""


def test_every_clicked_widget_is_answered_without_panels_wait(shipped) -> None:  # type: ignore[no-untyped-def]
    """A click on a toggle, radio button, checkbox or list is handled at once, not 50 ms later.

    Panel waits 50 ms after a browser change unless the property is a priority change; only
    sliders and typed text should wait (a drag or a word is a burst of changes).
    """
    import panel as pn

    from anatomy.ui.layout import AtlasApp

    atlas, scene = shipped
    app = AtlasApp(atlas, scene, mode="student")
    _layers_card(app).collapsed = False  # its widgets are made on opening
    clicked = (pn.widgets.Toggle, pn.widgets.Checkbox, pn.widgets.select.SelectBase,
               pn.widgets.AutocompleteInput)  # fmt: skip
    found = [w for w in app._layout.select(pn.widgets.Widget) if isinstance(w, clicked)]
    kinds = {type(w).__name__ for w in found}
    assert {"Toggle", "RadioButtonGroup", "Checkbox", "Select", "AutocompleteInput"} <= kinds
    for widget in found:
        prop = type(widget)._rename.get("value") or "value"
        assert prop in widget._priority_changes, (type(widget).__name__, widget.css_classes)
    sliders = app._layout.select(pn.widgets.FloatSlider)
    assert sliders and all("value" not in s._priority_changes for s in sliders)


def _layers_card(app):  # type: ignore[no-untyped-def]
    import panel as pn

    (card,) = [c for c in app._layout.select(pn.Card) if "layers-card" in c.css_classes]
    return card


def test_the_layers_card_makes_its_widgets_when_first_opened(shipped) -> None:  # type: ignore[no-untyped-def]
    import panel as pn

    from anatomy.ui.layout import AtlasApp

    atlas, scene = shipped
    app = AtlasApp(atlas, scene, mode="clinician", query={"layers": ["skin,muscles"]})
    card = _layers_card(app)
    assert card.collapsed and card.objects == []  # a new page carries none of them
    card.collapsed = False
    boxes = {b.css_classes[0]: b for b in card.select(pn.widgets.Checkbox)}
    assert sorted(boxes) == ["layer-muscles", "layer-pleura", "layer-skeleton", "layer-skin"]
    assert boxes["layer-skin"].value and not boxes["layer-skeleton"].value  # as the link says
    assert not boxes["layer-pleura"].value  # the link's layers, though clinicians start with it
    made = list(card.objects)
    card.collapsed = True
    card.collapsed = False
    assert card.objects == made  # made once
    boxes["layer-skeleton"].value = True
    assert app.state.show_skeleton and app.viewer.show_skeleton
    (posterior,) = [b for b in card.select(pn.widgets.Button) if "cam-posterior" in b.css_classes]
    posterior.clicks += 1
    assert app.state.camera == {"preset": "posterior"}


def test_a_chosen_trigger_point_sends_its_zones_once(shipped) -> None:  # type: ignore[no-untyped-def]
    """Its zones reached the browser with its muscle (marker_zones): the answer only names it."""
    import numpy as np

    from anatomy.ui.layout import AtlasApp

    atlas, scene = shipped
    app = AtlasApp(atlas, scene, mode="student")
    app.state.select_muscle("upper_trapezius", "right")
    assert app.viewer.zone_marker == "" and "upper_trapezius:tp1" in app.viewer.marker_zones
    app.state.select_trigger_point("tp1")
    assert app.viewer.zone_marker == "upper_trapezius:tp1"
    assert app.viewer.zone_essential == b"" and app.viewer.zone_spillover == b""
    for kind, ids in app.state.zones.items():
        np.testing.assert_array_equal(app.viewer.painted_zones()[kind], ids)
    app.state.set_side("left")  # the same marker id on the other side: its own zones
    for kind, ids in app.state.zones.items():
        np.testing.assert_array_equal(app.viewer.painted_zones()[kind], ids)
    app.state.mode = "student"
    app.state.start_practice()  # a practice question's zones belong to no shown marker
    assert app.viewer.zone_marker == "" and len(app.viewer.zone_essential) > 0
    for kind, ids in app.state.zones.items():
        np.testing.assert_array_equal(app.viewer.painted_zones()[kind], ids)
    app.state.clear_selection()
    app.state.stop_practice()
    assert app.viewer.painted_zones()["essential"].size == 0
