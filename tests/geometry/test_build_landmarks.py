"""The committed skin landmarks: complete, on the skin, on the right side, mirrored, and in
anatomically sensible places relative to each other."""

from __future__ import annotations

import json

import numpy as np
import pytest

from anatomy.frame import landmark_names
from anatomy.geometry.meshio import read_mesh
from anatomy.meshbuild.landmarks import mirror_errors, ray_hit


@pytest.fixture(scope="module")
def landmarks(repo_root) -> list[dict]:  # type: ignore[no-untyped-def]
    doc = json.loads((repo_root / "meshes" / "landmarks.json").read_text(encoding="utf-8"))
    return doc["landmarks"]


@pytest.fixture(scope="module")
def pos(landmarks: list[dict]) -> dict[str, np.ndarray]:
    return {lm["name"]: np.asarray(lm["position"]) for lm in landmarks}


def test_every_name_once_sorted(landmarks: list[dict]) -> None:
    assert [lm["name"] for lm in landmarks] == landmark_names()
    starts = ("skin point nearest", "first skin point")
    assert all(lm["rule"].startswith(starts) for lm in landmarks)


def test_positions_are_skin_vertices(repo_root, landmarks: list[dict]) -> None:  # type: ignore[no-untyped-def]
    skin = read_mesh(repo_root / "meshes" / "skin" / "skin.npz")
    for lm in landmarks:
        assert np.allclose(skin.vertices[lm["vertex"]], lm["position"], atol=2e-6), lm["name"]


def test_sides_and_midline(pos: dict[str, np.ndarray]) -> None:
    """+x is the character's left."""
    for name, p in pos.items():
        if name.startswith("left_"):
            assert p[0] > 0.005, name
        elif name.startswith("right_"):
            assert p[0] < -0.005, name
        else:
            assert abs(p[0]) < 0.01, name


def test_left_and_right_mirror(landmarks: list[dict]) -> None:
    worst = max(mirror_errors(landmarks).items(), key=lambda kv: kv[1])
    assert worst[1] < 0.004, worst


def test_anatomical_order(pos: dict[str, np.ndarray]) -> None:
    """Relations a clinician would check: the body faces -y, +z is up."""
    z = {n: p[2] for n, p in pos.items()}
    y = {n: p[1] for n, p in pos.items()}
    assert z["vertex"] == max(z.values())
    assert z["forehead"] > z["left_eye"] > z["left_cheek"] > z["chin"] > z["sternal_notch"]
    assert z["sternal_notch"] > z["sternum"] > z["xiphoid"] > z["navel"] > z["lower_abdomen"]
    assert z["upper_thoracic_spine"] > z["mid_thoracic_spine"] > z["lumbar_spine"] > z["sacrum"]
    assert y["forehead"] < y["left_temple"] < y["left_ear"] < y["left_occiput"]
    for s in ("left", "right"):
        assert y[f"{s}_heel"] > y[f"{s}_lateral_ankle"] > y[f"{s}_dorsum_big_toe"]
        assert z[f"{s}_heel"] < 0.08 and z[f"{s}_sole"] < 0.02
        for part in ("shoulder", "arm", "thigh", "knee"):
            assert y[f"{s}_anterior_{part}"] < y[f"{s}_posterior_{part}"], part
        assert abs(pos[f"{s}_lateral_knee"][0]) > abs(pos[f"{s}_medial_knee"][0])
        assert abs(pos[f"{s}_lateral_epicondyle"][0]) > abs(pos[f"{s}_medial_epicondyle"][0])
        assert z[f"{s}_neck_shoulder_angle"] > z[f"{s}_lateral_shoulder"]
        assert z[f"{s}_lateral_shoulder"] > z[f"{s}_lateral_epicondyle"]
        assert z[f"{s}_lateral_epicondyle"] > z[f"{s}_dorsal_wrist"] > z[f"{s}_middle_finger"]
        assert z[f"{s}_iliac_crest"] > z[f"{s}_lateral_hip"] > z[f"{s}_anterior_knee"]


def test_ray_hit_finds_the_exit() -> None:
    v = np.array([[0, -1, -1], [0, 1, -1], [0, 0, 1.0]])
    f = np.array([[0, 1, 2]])  # normal +x
    hit = ray_hit(np.array([-1.0, 0, 0]), np.array([1.0, 0, 0]), v, f)
    assert hit is not None and hit[0] == 0 and np.allclose(hit[1], [0, 0, 0])
    assert ray_hit(np.array([1.0, 0, 0]), np.array([-1.0, 0, 0]), v, f) is None  # entering


def test_the_scapula_sits_at_its_vertebral_levels(pos: dict[str, np.ndarray]) -> None:
    """Standing, the inferior angle of the scapula is level with the T7 spinous process and the
    blade's middle (the medial border's midpoint) lies below the T3 spinous process."""
    for s in ("left", "right"):
        angle = pos[f"{s}_inferior_scapular_angle"][2]
        assert abs(angle - pos["mid_thoracic_spine"][2]) < 0.012, s
        assert pos[f"{s}_medial_scapular_border"][2] < pos["upper_thoracic_spine"][2], s
