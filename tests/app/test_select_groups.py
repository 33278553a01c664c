"""What the browser shows at a click on a muscle equals what the server then selects.

``AtlasViewer.select_groups`` lets the 3D view highlight a clicked muscle and show its
trigger-point markers before Python answers; Python's answer (``AtlasState.handle_pick``)
must be the very same values, or the view would flicker to something else.
"""

from __future__ import annotations


def test_every_muscle_mesh_click_selects_what_the_browser_showed(shipped) -> None:  # type: ignore[no-untyped-def]
    from anatomy.session.state import AtlasState
    from anatomy.ui.layout import select_groups

    atlas, scene = shipped
    groups = select_groups(atlas, scene)
    muscles = [a for a in scene.actors if a["kind"] == "muscle"]
    assert len(groups) == len(muscles)  # every muscle mesh is annotated
    # a session with a trigger point already chosen: a click must still match
    state = AtlasState(atlas, mode="clinician")
    state.select_muscle("upper_trapezius", "left")
    state.select_trigger_point(atlas.content.muscle("upper_trapezius").trigger_points[0].id)
    for actor in muscles:
        state.handle_pick({"kind": "muscle", "id": actor["id"], "muscle": actor["muscle"],
                           "side": actor["side"]})
        expected = groups[actor["id"]]
        assert state.highlighted == expected["highlight"], actor["id"]
        assert state.markers == expected["markers"], actor["id"]
        assert actor["id"] in state.highlighted


def test_groups_are_built_once_and_shared(shipped) -> None:  # type: ignore[no-untyped-def]
    import json

    from anatomy.ui.layout import AtlasApp, select_groups, select_groups_json

    atlas, scene = shipped
    assert select_groups(atlas, scene) is select_groups(atlas, scene)
    encoded = select_groups_json(atlas, scene)
    assert json.loads(encoded) == select_groups(atlas, scene)
    one, two = AtlasApp(atlas, scene), AtlasApp(atlas, scene)
    assert one.viewer.select_groups is two.viewer.select_groups is encoded  # not one per session


def test_marker_zones_are_what_a_marker_click_paints(shipped) -> None:  # type: ignore[no-untyped-def]

    from anatomy.ui.layout import AtlasApp

    atlas, scene = shipped
    app = AtlasApp(atlas, scene, mode="student")
    app.state.select_muscle("upper_trapezius", "left")
    zones = dict(app.viewer.marker_zones)
    markers = [m["id"] for m in app.viewer.markers]
    assert markers and sorted(zones) == sorted(markers)
    for marker in markers:
        app.state.handle_pick({"kind": "marker", "id": marker})
        assert app.viewer.zone_marker == marker  # named, not sent again
        painted = {k: ids.tolist() for k, ids in app.viewer.painted_zones().items()}
        assert painted == zones[marker], marker
        assert painted["essential"], marker  # a real zone, not an empty one
        app.state.select_muscle("upper_trapezius", "left")
    app.state.clear_selection()
    assert app.viewer.marker_zones == {}
