"""What the browser shows at a click on a muscle equals what the server then selects.

``AtlasViewer.select_groups`` lets the 3D view highlight a clicked muscle and show its
trigger-point markers before Python answers; Python's answer (``AtlasState.handle_pick``)
must be the very same values, or the view would flicker to something else.
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def shipped() -> tuple:
    from anatomy.commands.serve import prepare

    atlas, scene, _document = prepare(None, None, None)
    return atlas, scene


def test_every_muscle_mesh_click_selects_what_the_browser_showed(shipped) -> None:  # type: ignore[no-untyped-def]
    from anatomy.ui.layout import select_groups
    from anatomy.ui.state import AtlasState

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
    from anatomy.ui.layout import select_groups

    atlas, scene = shipped
    assert select_groups(atlas, scene) is select_groups(atlas, scene)
