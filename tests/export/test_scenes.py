"""What exported pages show: the handout's region, the site's per-muscle views."""

from __future__ import annotations

import numpy as np
import pytest

from anatomy.errors import AtlasError
from anatomy.export.scenes import crop_to_box, handout_scene, muscle_page_scene


def test_crop_keeps_whole_triangles_inside_the_box() -> None:
    v = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [5, 5, 5]], dtype=float)
    f = np.array([[0, 1, 2], [1, 2, 3]])
    verts, faces, remap = crop_to_box(v, f, np.array([-1, -1, -1]), np.array([2, 2, 2]))
    np.testing.assert_array_equal(verts, v[:3])
    np.testing.assert_array_equal(faces, [[0, 1, 2]])
    np.testing.assert_array_equal(remap, [0, 1, 2, -1])


def test_handout_region_has_the_muscle_its_zones_and_nothing_far(tiny_atlas) -> None:  # type: ignore[no-untyped-def]
    scene = handout_scene(tiny_atlas, "upper_trapezius", "right")
    ids = [m.id for m in scene.meshes]
    assert "upper_trapezius_right" in ids
    assert "soleus_right" not in ids and "bone_femur_left" not in ids  # far below the neck
    skin = next(m for m in scene.meshes if m.kind == "skin")
    full = tiny_atlas.meshes.skin
    assert 0 < len(skin.vertices) < len(full.vertices)  # cropped to the region
    for kind in ("essential", "spillover"):
        key = scene.view["sides"]["right"]["zones"]["tp1"][kind]
        cropped = skin.vertices[scene.arrays[key]]
        original = full.vertices[tiny_atlas.zone_vertices("upper_trapezius", "tp1", "right", kind)]
        assert len(cropped) == len(original) > 0  # every zone vertex survives the crop
        np.testing.assert_allclose(np.sort(cropped, axis=0), np.sort(original, axis=0))
    view = scene.view["sides"]["right"]
    assert view["highlight"] == ["upper_trapezius_right"]
    marker = view["markers"][0]
    np.testing.assert_allclose(marker["position"],
                               tiny_atlas.trigger_point_position("upper_trapezius", "tp1", "right"))
    for camera in view["cameras"].values():  # the right side is -x: looked at from the right
        assert camera["position"][0] < camera["focal_point"][0]
    assert "focus" not in view  # the region's boxes are the crop's, not the page's
    presets = scene.view["presets"]
    assert presets["anterior"]["position"][1] < presets["anterior"]["focal_point"][1]


def test_muscle_page_has_both_sides_and_full_skin_zone_ids(tiny_atlas) -> None:  # type: ignore[no-untyped-def]
    scene = muscle_page_scene(tiny_atlas, "soleus")
    assert set(scene.view["sides"]) == {"left", "right"}
    for side in ("left", "right"):
        key = scene.view["sides"][side]["zones"]["tp1"]["essential"]
        np.testing.assert_array_equal(scene.arrays[key],
                                      tiny_atlas.zone_vertices("soleus", "tp1", side, "essential"))


def test_exported_pages_draw_no_organs(real_atlas) -> None:  # type: ignore[no-untyped-def]
    """The lungs, pleura and kidneys lie inside the chest and abdomen: the pages leave them out."""
    from anatomy.export.scenes import body_meshes

    assert {m.kind for m in body_meshes(real_atlas)} == {"skin", "bone", "muscle"}
    chest = handout_scene(real_atlas, "pectoralis_major", "left")
    assert "organ" not in {m.kind for m in chest.meshes}
    assert any(m.kind == "bone" for m in chest.meshes)  # the ribs around the lungs stay


def test_unknown_names_are_atlas_errors(tiny_atlas) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AtlasError, match="did you mean 'soleus'"):
        handout_scene(tiny_atlas, "solleus", "right")
    with pytest.raises(AtlasError, match="side"):
        handout_scene(tiny_atlas, "soleus", "middle")
    with pytest.raises(AtlasError, match="no trigger point"):
        handout_scene(tiny_atlas, "soleus", "left", "tp7")


def test_exports_need_no_panel_at_import() -> None:
    import subprocess
    import sys

    code = ("import sys, anatomy.export.handout, anatomy.export.site, "
            "anatomy.commands.handout, anatomy.commands.export_site\n"
            "assert 'panel' not in sys.modules and 'bokeh' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
