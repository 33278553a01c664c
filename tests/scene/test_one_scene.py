"""The app, the exported pages and the render draw one scene: the same selection shows the
same highlight, markers, zones, camera and colours in each."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from anatomy.errors import AtlasError
from anatomy.scene.describe import Selection, describe

SELECTIONS = [("upper_trapezius", "right", "tp1"), ("gluteus_medius", "left", ""),
              ("infraspinatus", "left", "medial")]  # fmt: skip


def _selection(atlas: Any, muscle: str, side: str, tp: str) -> Selection:
    record = atlas.content.muscle(muscle)
    tp = tp or ""
    if tp:
        record.trigger_point(tp)
    return Selection(muscle, side, tp)


def _app(atlas: Any, selection: Selection) -> Any:
    from anatomy.session.state import AtlasState

    state = AtlasState(atlas)
    state.select_muscle(selection.muscle, selection.side)
    if selection.trigger_point:
        state.select_trigger_point(selection.trigger_point)
    return state


@pytest.mark.parametrize(("muscle", "side", "tp"), SELECTIONS)
def test_the_app_shows_the_scene_description(real_atlas: Any, muscle: str, side: str,
                                             tp: str) -> None:  # fmt: skip
    selection = _selection(real_atlas, muscle, side, tp)
    scene = describe(real_atlas, selection)
    state = _app(real_atlas, selection)
    assert state.highlighted == list(scene.highlight)
    assert state.markers == [m.as_dict() for m in scene.markers]
    assert sorted(state.zones) == sorted(scene.zones)
    for kind, ids in scene.zones.items():
        np.testing.assert_array_equal(state.zones[kind], ids)
    if tp:
        assert scene.camera is not None
        for key in ("position", "focal_point", "view_up"):
            assert state.camera[key] == scene.camera[key], key
    else:
        assert scene.camera is None and state.camera == {"preset": "anterior"}


@pytest.mark.parametrize(("muscle", "side", "tp"), SELECTIONS)
def test_the_exported_pages_show_the_scene_description(real_atlas: Any, muscle: str, side: str,
                                                       tp: str) -> None:  # fmt: skip
    from anatomy.export.scenes import muscle_page_scene
    from anatomy.scene.palette import PALETTE

    selection = _selection(real_atlas, muscle, side, tp)
    page = muscle_page_scene(real_atlas, muscle)
    view = page.view["sides"][side]
    muscle_only = describe(real_atlas, Selection(muscle, side))
    assert view["highlight"] == list(muscle_only.highlight)
    assert [(m["tp"], m["position"]) for m in view["markers"]] == [
        (m.trigger_point, list(m.position)) for m in muscle_only.markers]
    assert view["cameras"]["muscle"] == muscle_only.focus
    assert page.view["colours"] == PALETTE
    if tp:
        scene = describe(real_atlas, selection)
        assert view["cameras"][tp] == scene.camera
        for kind, ids in scene.zones.items():
            np.testing.assert_array_equal(page.arrays[view["zones"][tp][kind]], ids)


def test_the_handout_shows_the_scene_description(real_atlas: Any) -> None:
    """The handout crops the skin, so its zones are the same skin vertices renumbered."""
    from anatomy.export.scenes import handout_scene

    scene = describe(real_atlas, Selection("upper_trapezius", "right", "tp1"))
    page = handout_scene(real_atlas, "upper_trapezius", "right", "tp1")
    view = page.view["sides"]["right"]
    assert view["highlight"] == list(scene.highlight)
    assert view["cameras"]["tp1"] == scene.camera
    skin = next(m for m in page.meshes if m.kind == "skin")
    full = np.asarray(real_atlas.meshes.skin.vertices)
    for kind, ids in scene.zones.items():
        cropped = page.arrays[view["zones"]["tp1"][kind]]
        assert len(cropped) == len(ids)
        kept = {tuple(np.round(p, 6)) for p in np.asarray(skin.vertices)[cropped]}
        assert kept == {tuple(np.round(p, 6)) for p in full[ids]}


@pytest.mark.parametrize(("muscle", "side", "tp"), SELECTIONS)
def test_the_render_draws_the_scene_description(real_atlas: Any, muscle: str, side: str,
                                                tp: str) -> None:  # fmt: skip
    from anatomy.scene.palette import BODY, OPACITY, VIEW, ZONE_OPACITY
    from anatomy.scene.render import scene_actors, scene_camera

    scene = describe(real_atlas, _selection(real_atlas, muscle, side, tp))
    actors = {a.id: a for a in scene_actors(real_atlas.meshes, scene)}
    for mesh_id in scene.highlight:
        assert actors[mesh_id].colour == VIEW["highlight"]
    others = [a for a in actors.values() if a.kind == "muscle" and a.id not in scene.highlight]
    assert others and all(a.colour == VIEW["dimmed"] for a in others)
    assert all(a.colour == BODY["bone"] for a in actors.values() if a.kind == "bone")
    skin = actors[real_atlas.meshes.skin_entry.id]
    assert skin.opacity == OPACITY["skin"]
    if tp:
        assert skin.vertex_colours is not None
        essential = scene.zones["essential"]
        np.testing.assert_allclose(skin.vertex_colours[essential],
                                   np.tile([*VIEW["essential"], ZONE_OPACITY], (len(essential), 1)))
        assert scene_camera(real_atlas.meshes, scene, "selection") == scene.camera
    else:
        assert skin.vertex_colours is None
        assert scene_camera(real_atlas.meshes, scene, "selection") == scene.focus


def test_the_app_and_the_render_frame_the_body_alike(real_atlas: Any) -> None:
    """A named view of the whole body: the app fits the packed scene, the render the meshes."""
    from anatomy.scene.camera import VIEWS, preset_camera
    from anatomy.scene.web import load_web_scene

    web = load_web_scene(real_atlas.meshes.directory)
    for name in VIEWS:
        app = preset_camera(name, web.bounds)
        render = preset_camera(name, real_atlas.meshes.bounds())
        np.testing.assert_allclose(app["position"], render["position"], atol=0.01)
        np.testing.assert_allclose(app["focal_point"], render["focal_point"], atol=0.005)


def test_a_bad_selection_is_refused_with_a_located_message(real_atlas: Any) -> None:
    with pytest.raises(AtlasError, match="side"):
        describe(real_atlas, Selection("upper_trapezius", "middle"))
    with pytest.raises(AtlasError, match="mode"):
        describe(real_atlas, Selection("upper_trapezius", mode="surgeon"))
    with pytest.raises(AtlasError):
        describe(real_atlas, Selection("upper_trapezoid"))
    assert describe(real_atlas, Selection()).highlight == ()
