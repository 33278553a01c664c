"""The 3D viewer's Python side (no browser): cameras, zone packing, pick callbacks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from anatomy.errors import AtlasError
from anatomy.scene.camera import fit_camera
from anatomy.scene.web import SceneMesh, build_web_scene
from anatomy.ui.viewer import PALETTE, AtlasViewer


def box(centre, half) -> tuple[np.ndarray, np.ndarray]:
    c, h = np.asarray(centre, np.float32), np.asarray(half, np.float32)
    corners = np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)],
                       np.float32) * h + c
    faces = np.array([[0, 1, 3], [0, 3, 2], [4, 6, 7], [4, 7, 5], [0, 4, 5], [0, 5, 1],
                      [2, 3, 7], [2, 7, 6], [0, 2, 6], [0, 6, 4], [1, 5, 7], [1, 7, 3]])
    return corners, faces


@pytest.fixture
def viewer() -> AtlasViewer:
    scene = build_web_scene([
        SceneMesh("skin", "skin", *box((0, 0, 0.9), (0.2, 0.12, 0.9))),
        SceneMesh("soleus_left", "muscle", *box((0.1, 0.05, 0.3), (0.04, 0.04, 0.1)),
                  muscle="soleus", side="left"),
        SceneMesh("soleus_right", "muscle", *box((-0.1, 0.05, 0.3), (0.04, 0.04, 0.1)),
                  muscle="soleus", side="right"),
    ])  # fmt: skip
    return AtlasViewer.from_scene(scene)


def test_fit_camera_frames_the_bounding_sphere() -> None:
    cam = fit_camera((-1, 1, -1, 1, 0, 2), (0, -2, 0), (0, 0, 1), margin=1.0)
    assert cam["focal_point"] == [0, 0, 1]
    distance = math.dist(cam["position"], cam["focal_point"])
    assert distance == pytest.approx(math.sqrt(3) / math.sin(math.radians(15)), rel=1e-4)
    assert cam["position"][1] < 0  # looking from -y: the anterior side


def test_initial_camera_is_anterior_and_presets_face_the_right_way(viewer) -> None:
    assert viewer.camera == viewer.preset_camera("anterior")
    directions = {"anterior": (1, -1), "posterior": (1, 1), "left": (0, 1), "right": (0, -1)}
    for preset, (axis, sign) in directions.items():
        cam = viewer.preset_camera(preset)
        offset = np.subtract(cam["position"], cam["focal_point"])
        assert np.sign(offset[axis]) == sign, preset
        assert cam["view_up"] == [0, 0, 1]


def test_focus_fits_the_highlighted_muscle(viewer) -> None:
    with pytest.raises(AtlasError, match="nothing is selected"):
        viewer.preset_camera("focus")
    viewer.highlight = ["soleus_left"]
    viewer.view("focus", direction="posterior")
    assert viewer.camera["focal_point"] == pytest.approx([0.1, 0.05, 0.3], abs=1e-4)
    assert viewer.camera["position"][1] > 0.05
    whole = math.dist(viewer.preset_camera("anterior")["position"], [0, 0, 0.9])
    assert math.dist(viewer.camera["position"], viewer.camera["focal_point"]) < whole / 3


def test_unknown_preset_is_an_atlas_error(viewer) -> None:
    with pytest.raises(AtlasError, match="unknown camera preset 'top'"):
        viewer.view("top")


def test_view_resends_an_unchanged_camera(viewer) -> None:
    seen = []
    viewer.param.watch(lambda e: seen.append(e.new), "camera")
    viewer.view("anterior")  # already anterior: still sent, so the browser snaps back
    assert len(seen) == 1


def test_paint_zone_packs_uint32_and_checks_ids(viewer) -> None:
    viewer.paint_zone([0, 3, 5], np.array([1, 2]))
    assert np.frombuffer(viewer.zone_essential, "<u4").tolist() == [0, 3, 5]
    assert np.frombuffer(viewer.zone_spillover, "<u4").tolist() == [1, 2]
    with pytest.raises(AtlasError, match="outside the skin"):
        viewer.paint_zone([8])
    viewer.clear_zone()
    assert viewer.zone_essential == b"" and viewer.zone_spillover == b""


def test_on_pick_receives_each_click(viewer) -> None:
    got = []
    viewer.on_pick(got.append)
    viewer.pick = {"kind": "muscle", "id": "soleus_left", "n": 1}
    viewer.pick = {"kind": "muscle", "id": "soleus_left", "n": 2}
    assert [p["n"] for p in got] == [1, 2]


def test_zone_colours_differ_in_lightness() -> None:
    # Colour-blind safe: the two zone colours must differ in lightness, not only in hue.
    def luminance(rgb):
        return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]

    assert luminance(PALETTE["spillover"]) - luminance(PALETTE["essential"]) > 0.35
