"""The lungs and pleura as the scene draws them: packed for the browser with their layer, colour,
relative opacity and drawing order; drawn off-screen when the layer is on; other organs (the
kidneys) in no layer."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from anatomy.scene.describe import Selection, describe
from anatomy.scene.palette import BODY, OPACITY, RELATIVE_OPACITY, draw_rank, layer_of
from anatomy.scene.web import SceneMesh, build_web_scene, scene_meshes


def _octahedron(r: float) -> tuple[np.ndarray, np.ndarray]:
    v = np.array([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]],
                 dtype=np.float32) * r
    f = np.array([[0, 2, 4], [2, 1, 4], [1, 3, 4], [3, 0, 4],
                  [2, 0, 5], [1, 2, 5], [3, 1, 5], [0, 3, 5]], dtype=np.int32)
    return v, f  # fmt: skip


def test_organs_are_packed_with_their_layer_colour_opacity_and_order() -> None:
    skin = SceneMesh("skin", "skin", *_octahedron(1.0))
    pleura = SceneMesh("pleura_left", "organ", *_octahedron(0.5), side="left", organ="pleura")
    lung = SceneMesh("lung_left", "organ", *_octahedron(0.4), side="left", organ="lung")
    scene = build_web_scene([skin, pleura, lung])
    rec = {a["id"]: a for a in scene.actors}
    assert rec["pleura_left"]["layer"] == rec["lung_left"]["layer"] == "pleura"
    assert rec["pleura_left"]["organ"] == "pleura" and rec["skin"]["organ"] is None
    assert rec["pleura_left"]["colour"] == list(BODY["pleura"])
    assert rec["lung_left"]["colour"] == list(BODY["lung"])
    assert rec["lung_left"]["opacity"] == RELATIVE_OPACITY["lung"] > rec["pleura_left"]["opacity"]
    # innermost first: the lung, its pleura, the skin around both
    assert rec["lung_left"]["draw"] < rec["pleura_left"]["draw"] < rec["skin"]["draw"]
    assert scene.actor_ids("organ") == ["pleura_left", "lung_left"]


def test_the_kidneys_are_in_no_layer() -> None:
    assert layer_of("organ", "kidney") is None
    assert layer_of("organ", "lung") == layer_of("organ", "pleura") == "pleura"
    assert draw_rank("organ", "lung") < draw_rank("organ", "pleura") < draw_rank("skin")


def test_the_shipped_lungs_and_pleura_reach_the_browser_whole(real_atlas: Any) -> None:
    from anatomy.scene.web import load_web_scene

    meshes = real_atlas.meshes
    organs = {e.id: e for e in meshes.entries.values() if layer_of(e.kind, e.organ) == "pleura"}
    assert {e.organ for e in organs.values()} == {"lung", "pleura"}
    assert {e.side for e in organs.values()} == {"left", "right"}
    web = load_web_scene(meshes=meshes)
    assert sorted(web.actor_ids("organ")) == sorted(organs)  # no kidney
    for mesh_id, entry in organs.items():
        rec = web.actor(mesh_id)
        assert rec["layer"] == "pleura"
        # not simplified: as many vertices as the mesh file (none dropped), its triangles kept
        assert rec["counts"]["points"] == entry.n_vertices
        assert rec["counts"]["triangles"] >= 0.99 * entry.n_triangles
    kidneys = [e.id for e in meshes.entries.values() if e.organ == "kidney"]
    assert not {m.id for m in scene_meshes(meshes)} & set(kidneys)


def test_the_render_draws_the_lungs_and_pleura_only_with_their_layer(real_atlas: Any) -> None:
    from anatomy.scene.render import scene_actors

    meshes = real_atlas.meshes
    patient = {a.id: a for a in scene_actors(meshes, describe(real_atlas, Selection()))}
    assert not [a for a in patient.values() if a.kind == "organ"]
    view = describe(real_atlas, Selection("upper_trapezius", "right", "tp1", "clinician"))
    actors = scene_actors(meshes, view)
    organs = {a.id: a for a in actors if a.kind == "organ"}
    assert sorted(organs) == ["lung_left", "lung_right", "pleura_left", "pleura_right"]
    assert organs["pleura_left"].colour == BODY["pleura"]
    assert organs["lung_left"].colour == BODY["lung"]
    assert organs["pleura_left"].opacity == pytest.approx(OPACITY["pleura"])
    assert OPACITY["pleura"] < organs["lung_left"].opacity < 1
    order = [a.id for a in actors]
    assert order.index("lung_left") < order.index("pleura_left") < order.index(meshes.skin_entry.id)
    assert order[-1] == meshes.skin_entry.id  # the skin is drawn last, over everything
