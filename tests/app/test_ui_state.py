"""Selection, 3D picks and "where does it hurt?" on the state object, no browser."""

from __future__ import annotations

import numpy as np
import pytest

from anatomy.errors import AtlasError


def test_select_muscle_highlights_it_and_shows_its_markers(state):
    state.select_muscle("upper_trapezius", "left")
    assert state.highlighted == ["upper_trapezius_left"]
    assert [m["id"] for m in state.markers] == ["upper_trapezius:tp1", "upper_trapezius:tp2"]
    assert state.markers[0]["position"][0] > 0  # left is +x
    assert state.zones == {}


def test_select_trigger_point_paints_both_zones(state, atlas):
    state.select_muscle("soleus")
    state.select_trigger_point("tp1")
    assert np.array_equal(
        state.zones["essential"], atlas.zone_vertices("soleus", "tp1", "right", "essential")
    )
    assert len(state.zones["spillover"]) == 5
    state.set_side("left")
    assert np.array_equal(
        state.zones["essential"], atlas.zone_vertices("soleus", "tp1", "left", "essential")
    )
    assert state.highlighted == ["soleus_left"]


def test_unknown_names_raise_atlas_errors_with_suggestions(state):
    with pytest.raises(AtlasError, match="did you mean 'soleus'"):
        state.select_muscle("solues")
    state.select_muscle("soleus")
    with pytest.raises(AtlasError, match="no trigger point 'tp9'"):
        state.select_trigger_point("tp9")
    with pytest.raises(AtlasError):
        state.set_side("middle")


def test_search_by_latin_common_and_patient_names(state):
    assert state.index.search("TRAPEZIUS")[0] == "upper_trapezius"
    assert state.index.search("deep calf") == ["soleus"]
    assert state.index.search("sternocleido") == ["sternocleidomastoid"]
    assert state.select_by_text("front of the neck")
    assert state.muscle == "sternocleidomastoid"
    assert not state.select_by_text("xylophone")
    assert "No muscle matches" in state.notice
    assert state.muscle == "sternocleidomastoid"  # a failed search keeps the selection


def test_suggestion_labels_map_to_ids_and_regions_group_the_list(state):
    labels = state.index.labels
    assert labels["Upper trapezius"] == "upper_trapezius"
    assert labels["Deep calf muscle (soleus)"] == "soleus"
    assert set(state.index.by_region) == {"Head and neck", "Lower leg"}
    assert state.select_by_text("Musculus soleus (soleus)") and state.muscle == "soleus"


def test_clicking_a_muscle_in_3d_selects_it_on_that_side(state):
    state.handle_pick({"kind": "muscle", "id": "sternocleidomastoid_left", "position": [0, 0, 1.5]})
    assert (state.muscle, state.side) == ("sternocleidomastoid", "left")
    state.handle_pick({"kind": "muscle", "id": "bone_femur_left"})  # not a muscle: ignored
    assert state.muscle == "sternocleidomastoid"
    state.handle_pick({"kind": "marker", "id": "sternocleidomastoid:sternal"})
    assert state.trigger_point == "sternal"


def test_skin_clicks_only_look_up_in_where_does_it_hurt_mode(state, atlas):
    vertex = int(atlas.zone_vertices("soleus", "tp1", "left", "essential")[3])
    state.handle_pick({"kind": "skin", "id": "skin", "vertex": vertex, "position": [0.1, 0, 0.05]})
    assert state.lookup_hits == []
    state.pick_mode = "skin"
    state.handle_pick({"kind": "skin", "id": "skin", "vertex": vertex, "position": [0.1, 0, 0.05]})
    assert [(h["muscle"], h["side"], h["zone"]) for h in state.lookup_hits] == [
        ("soleus", "left", "essential")
    ]
    assert "essential" in state.lookup_hits[0]["why"]
    state.choose_hit(0)
    assert (state.muscle, state.side, state.trigger_point) == ("soleus", "left", "tp1")
    assert len(state.zones["essential"]) == 10


def test_lookup_with_nothing_found_says_so(state):
    assert state.where_does_it_hurt(vertex=10_000) == []
    assert "No referral zone" in state.notice
    with pytest.raises(AtlasError):
        state.where_does_it_hurt()


def test_a_zone_facing_the_midline_is_seen_obliquely_past_the_other_limb():
    from anatomy.scene.camera import MAX_ELEVATION, zone_view_direction

    # the inner arch of the right foot (x < 0) faces +x and a little back: seen from behind
    d = zone_view_direction(np.array([[0.8, 0.4, 0.0]]), centre_x=-0.1)
    assert d[1] > 0 and abs(d[1]) >= abs(d[0]) * 0.9, d
    # the right palm in this pose faces the thigh: seen from in front, not through the thigh
    d = zone_view_direction(np.array([[1.0, 0.0, -0.2]]), centre_x=-0.25)
    assert d[1] < 0 and d[0] > 0, d
    # skin facing the side of the body it is on is seen straight on
    d = zone_view_direction(np.array([[-1.0, 0.0, 0.0]]), centre_x=-0.2)
    assert np.allclose(d, [-1.0, 0.0, 0.0])
    # the sole is seen from below, but never from straight below
    d = zone_view_direction(np.array([[0.0, 0.0, -1.0]]), centre_x=-0.1)
    assert d[2] == pytest.approx(-MAX_ELEVATION) and np.linalg.norm(d) == pytest.approx(1.0)


def test_the_camera_turns_to_the_side_of_the_body_where_the_zone_is():
    from anatomy.scene.camera import facing_preset, skin_normals

    # a unit cube's vertices: the top face's corners have normals pointing up and outwards
    vertices = np.array([[x, y, z] for x in (0, 1) for y in (0, 1) for z in (0, 1)], float)
    vertices -= 0.5
    assert facing_preset(np.array([[0.0, 0.9, 0.1], [0.1, 0.8, 0.0]])) == "posterior"
    assert facing_preset(np.array([[0.0, -1.0, 0.0]])) == "anterior"
    assert facing_preset(np.array([[0.9, 0.1, 0.0]])) == "left"  # +x is the character's left
    faces = np.array(
        [
            [0, 1, 3],
            [0, 3, 2],
            [4, 6, 7],
            [4, 7, 5],
            [0, 4, 5],
            [0, 5, 1],
            [2, 3, 7],
            [2, 7, 6],
            [0, 2, 6],
            [0, 6, 4],
            [1, 5, 7],
            [1, 7, 3],
        ]
    )
    normals = skin_normals(vertices, faces)
    assert np.allclose(np.linalg.norm(normals, axis=1), 1.0)
    assert np.all(np.sign(normals) == np.sign(vertices))  # outward at every corner


def test_lookup_lists_each_muscle_once_with_its_best_trigger_point_first(state, atlas):
    tp1 = atlas.zone_vertices("upper_trapezius", "tp1", "right", "essential")[:2]
    tp2 = atlas.zone_vertices("upper_trapezius", "tp2", "right", "essential")[:2]
    soleus = atlas.zone_vertices("soleus", "tp1", "right", "spillover")[:1]
    rows = state.where_does_it_hurt(vertices=[*tp1, *tp2, *soleus])
    assert [(r["muscle"], r["side"]) for r in rows] == [
        ("upper_trapezius", "right"),
        ("soleus", "right"),
    ]
    assert rows[0]["also"] == ["Upper trapezius TrP2"] and rows[1]["zone"] == "spillover"


def test_choosing_a_trigger_point_frames_its_zone_from_the_side_it_faces(state, atlas):
    from types import SimpleNamespace

    from scipy.spatial import ConvexHull

    # A round "body": 300 points on a sphere of radius 0.5 m around (0, 0, 1), faces outward.
    rng = np.random.default_rng(3)
    v = rng.normal(size=(300, 3))
    v = 0.5 * v / np.linalg.norm(v, axis=1, keepdims=True) + [0, 0, 1]
    faces = ConvexHull(v).simplices.copy()
    a, b, c = (v[faces[:, k]] for k in range(3))
    flip = np.einsum("ij,ij->i", np.cross(b - a, c - a), a - [0, 0, 1]) < 0
    faces[flip] = faces[flip][:, ::-1]
    # Renumber the vertices so that the zone's ids are the ones nearest the back (+y).
    ids = atlas.zone_vertices("soleus", "tp1", "right", "essential")
    back = np.argsort(np.linalg.norm(v - [0, 0.5, 1], axis=1))[: len(ids)]
    rest = [i for i in range(len(v)) if i not in set(back)]
    perm = np.empty(len(v), dtype=int)  # new index -> old index
    perm[ids] = back
    perm[[i for i in range(len(v)) if i not in set(ids)]] = rest
    old_to_new = np.argsort(perm)
    skin = SimpleNamespace(vertices=v[perm], faces=old_to_new[faces])
    atlas.meshes = SimpleNamespace(skin=skin)

    state.select_muscle("soleus")
    state.select_trigger_point("tp1")
    cam = state.camera
    assert cam["position"][1] > cam["focal_point"][1] + 0.5  # looking from behind
    assert abs(cam["focal_point"][2] - 1.0) < 0.6
    assert len(state.to_query()["cam"].split(",")) == 9  # the link carries the framed camera
