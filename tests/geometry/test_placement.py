"""Placement rules: every marker sits where its location text says, measured on the skeleton."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from anatomy.atlas.checks import landmarks_where_their_rules_put_them, trigger_points_placed
from anatomy.cli import main
from anatomy.content.schema import Placement
from anatomy.errors import AtlasError
from anatomy.geometry import placement
from anatomy.geometry.meshio import TriMesh
from anatomy.geometry.resolve import resolve_trigger_point
from anatomy.geometry.surface import SkinSurface
from anatomy.paths import default_annotations_path, default_meshes_dir


def _bone(atlas, bone: str, side: str) -> np.ndarray:  # type: ignore[no-untyped-def]
    return np.asarray(atlas.meshes.mesh(f"bone_{bone}_{side}").vertices, float)


# -- the rule language ---------------------------------------------------------------------
def test_directions_are_sided_and_combine():
    assert np.allclose(placement.direction_vector("lateral", "left"), [1, 0, 0])
    assert np.allclose(placement.direction_vector("lateral", "right"), [-1, 0, 0])
    assert np.allclose(placement.direction_vector("inferior+medial", "right"),
                       [2 ** -0.5, 0, -(2 ** -0.5)])
    with pytest.raises(ValueError, match="unknown direction"):
        placement.direction_vector("upward", "left")


def test_measure_splits_the_offset_along_and_across_the_direction():
    got = placement.measure(np.array([0.0, 0.01, -0.03]), np.zeros(3), "inferior", "right")
    assert got.along_mm == pytest.approx(30.0) and got.across_mm == pytest.approx(10.0)
    assert placement.measure(np.array([0.03, 0.04, 0.0]), np.zeros(3), "any",
                             "left").along_mm == pytest.approx(50.0)


def test_judge_names_the_measure_and_the_range():
    ok = placement.PlacementMeasure(30.0, 10.0)
    assert placement.judge([20, 40], 40, "inferior", ok) == ""
    assert "70 mm" in placement.judge([20, 40], None, "inferior",
                                      placement.PlacementMeasure(70.0, 0.0))
    assert "off the line" in placement.judge([20, 40], 5, "inferior", ok)


def test_a_bone_end_two_parts_of_the_bone_reach_equally_is_refused():
    # two blobs 10 cm apart reach equally far forward
    vertices = np.array([[-0.1, -0.05, 0.9], [-0.1, -0.05, 1.0], [-0.1, 0.0, 0.95]])
    with pytest.raises(ValueError, match="ambiguous"):
        placement.bone_end(vertices, "anterior", "right")
    assert np.allclose(placement.bone_end(vertices, "anterior+superior", "right"),
                       [-0.1, -0.05, 1.0])


def test_the_hip_bone_anterior_end_is_refused_with_a_located_error(real_atlas):
    with pytest.raises(AtlasError, match="ambiguous"):
        real_atlas.placement_reference("hip_bone anterior", "right")


@pytest.mark.parametrize(("rule", "message"), [
    ({"from": "fibula upward", "toward": "inferior", "mm": [1, 2]}, "unknown direction"),
    ({"from": "kneebone superior", "toward": "inferior", "mm": [1, 2]}, "neither a skin"),
    ({"from": "templ", "toward": "inferior", "mm": [1, 2]}, "did you mean 'temple'"),
    ({"from": "temple", "toward": "down", "mm": [1, 2]}, "unknown direction"),
    ({"from": "temple", "toward": "any", "mm": [5, 2]}, "runs backwards"),
    ({"from": "temple", "toward": "any", "mm": [1]}, "at least 2"),
])
def test_bad_rules_are_refused_by_the_schema(rule, message):
    with pytest.raises(ValueError, match=message):
        Placement.model_validate(rule)


# -- the shipped atlas -----------------------------------------------------------------------
def test_every_marker_meets_its_placement_rules(real_atlas):
    assert [p.located() for p in trigger_points_placed(real_atlas)] == []


def test_every_rule_is_a_real_constraint(real_atlas):
    # a rule wide enough to accept anywhere on the limb would check nothing
    for m in real_atlas.content.muscles:
        for tp in m.trigger_points:
            for rule in tp.placement:
                assert rule.mm[1] - rule.mm[0] <= 160, (m.id, tp.id, rule)


@pytest.mark.parametrize("side", ["left", "right"])
def test_fibularis_longus_point_is_2_to_4_cm_below_the_fibular_head(real_atlas, side):
    head_z = _bone(real_atlas, "fibula", side)[:, 2].max()
    marker = real_atlas.trigger_point_position("fibularis_longus", "tp1", side)
    assert 0.02 <= head_z - marker[2] <= 0.04
    # and the muscle itself starts at the fibular head, not 9 cm below it
    assert head_z - real_atlas.meshes.muscle("fibularis_longus", side).vertices[:, 2].max() < 0.03


@pytest.mark.parametrize("side", ["left", "right"])
def test_tibialis_anterior_point_is_in_the_upper_third_of_the_leg(real_atlas, side):
    tibia = _bone(real_atlas, "tibia", side)
    top, bottom = tibia[:, 2].max(), tibia[:, 2].min()
    marker = real_atlas.trigger_point_position("tibialis_anterior", "tp1", side)
    assert top - (top - bottom) / 3 <= marker[2] <= top


@pytest.mark.parametrize("side", ["left", "right"])
def test_middle_trapezius_medial_point_is_beside_the_inner_border(real_atlas, side):
    scapula = _bone(real_atlas, "scapula", side)
    inner_border_x = np.abs(scapula[:, 0]).min()
    marker = real_atlas.trigger_point_position("middle_trapezius", "medial", side)
    assert 0.0 <= inner_border_x - abs(marker[0]) <= 0.035  # just medial of the border


@pytest.mark.parametrize("side", ["left", "right"])
def test_lower_trapezius_mid_fibres_point_is_not_by_the_spine(real_atlas, side):
    marker = real_atlas.trigger_point_position("lower_trapezius", "mid_fibres", side)
    assert abs(marker[0]) > 0.04  # more than 4 cm from the midline


@pytest.mark.parametrize("side", ["left", "right"])
def test_pectoralis_major_parasternal_point_is_low_by_the_sternum(real_atlas, side):
    xiphoid = real_atlas.landmarks["xiphoid"].position
    marker = real_atlas.trigger_point_position("pectoralis_major", "parasternal", side)
    assert 0.0 <= marker[2] - xiphoid[2] <= 0.06  # 5th-6th ribs, above the xiphoid
    assert abs(marker[0]) <= 0.05


def test_a_marker_off_its_rule_fails_validate_naming_the_rule(tmp_path, capsys):
    text = default_annotations_path().read_text(encoding="utf-8")
    old = "- {from: fibula superior, toward: inferior, mm: [20, 40], across_mm: 40}"
    assert text.count(old) == 1
    broken = tmp_path / "annotations.yaml"
    broken.write_text(text.replace(old, old.replace("[20, 40]", "[60, 80]")), encoding="utf-8")
    assert main(["validate", str(broken)]) == 2
    err = capsys.readouterr().err
    line = text[: text.index(old)].count("\n") + 1
    assert f"annotations.yaml:{line}: muscles[" in err
    assert "fibularis_longus/tp1 lies inferior by" in err and "60 to 80 mm" in err
    assert "trigger_points_placed" in err


# -- landmarks where their rules put them ------------------------------------------------------
def test_every_landmark_lies_where_its_rule_reaches_the_skin(real_atlas):
    assert [p.located() for p in landmarks_where_their_rules_put_them(real_atlas)] == []


def _copy_meshes(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    meshes = tmp_path / "meshes"
    shutil.copytree(default_meshes_dir(), meshes)
    path = meshes / "landmarks.json"
    data = json.loads(path.read_text())
    edit({lm["name"]: lm for lm in data["landmarks"]})
    path.write_text(json.dumps(data))
    return meshes


def test_a_landmark_off_its_rule_fails_validate(tmp_path, capsys):
    # the old infrascapular: the inner border's vertex instead of the skin over the fossa
    def move(by_name):  # type: ignore[no-untyped-def]
        by_name["right_infrascapular"].update(
            {"vertex": by_name["right_medial_scapular_border"]["vertex"] + 0,
             "position": by_name["right_medial_scapular_border"]["position"]})
    meshes = _copy_meshes(tmp_path, move)
    assert main(["validate", str(default_annotations_path()), "--meshes", str(meshes)]) == 2
    err = capsys.readouterr().err
    assert "landmarks_where_their_rules_put_them" in err
    assert "'right_infrascapular' lies" in err and "off the line its rule follows" in err


def test_a_landmark_without_its_bone_feature_is_reported(tmp_path, capsys):
    meshes = _copy_meshes(tmp_path, lambda by_name: by_name["left_temple"].pop("feature"))
    assert main(["validate", str(default_annotations_path()), "--meshes", str(meshes)]) == 2
    assert "'left_temple' has no bone feature" in capsys.readouterr().err


# -- sheet borders ---------------------------------------------------------------------------
def test_an_edge_position_is_the_sheet_border_in_a_slice_across_the_centreline():
    # a flat vertical sheet 1 cm thick, 20 cm wide along x, 10 cm tall, centreline along x
    xs, zs = np.linspace(-0.1, 0.1, 21), np.linspace(0.0, 0.1, 11)
    grid = np.array([[x, y, z] for y in (0.0, 0.01) for x in xs for z in zs])
    from scipy.spatial import ConvexHull
    hull = ConvexHull(grid)
    mesh = TriMesh(vertices=hull.points.astype(np.float32), faces=hull.simplices.astype(np.int32))
    info = type("Info", (), {"centreline": np.array([[-0.1, 0.005, 0.05], [0.1, 0.005, 0.05]]),
                             "side": "right"})()
    skin = SkinSurface(mesh.vertices, mesh.faces)
    r = resolve_trigger_point(mesh, info, 0.25, "inferior_edge", skin)  # type: ignore[arg-type]
    assert r.point[2] == pytest.approx(0.0) and r.point[0] == pytest.approx(-0.05, abs=0.011)
