"""Skeleton build helpers: naming of bones, decimation, logo removal (no mujoco needed)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("fast_simplification")

from anatomy.geometry.solid import is_watertight
from anatomy.meshbuild.myosim import BoneGeom
from anatomy.meshbuild.skeleton import (
    bone_id,
    bone_of_geom,
    decimate,
    drop_logo,
    signed_volume,
)


def _geom(geom: str, body: str, mesh: str = "") -> BoneGeom:
    return BoneGeom(geom, mesh or geom, body, np.zeros((0, 3)), np.zeros((0, 3), np.int32))


@pytest.mark.parametrize(
    ("geom", "body", "mesh", "expected"),
    [
        ("hat_skull", "head", "", ("skull", None)),
        ("hat_jaw", "head", "", ("jaw", None)),
        ("torso_geom_13", "torso", "torso_geom_13_ribcage_s", ("thorax", None)),
        ("torso_geom_2", "torso", "torso_geom_2_thoracic11_s", ("thoracic_spine", None)),
        ("lumbar3_geom_1", "lumbar3", "", ("lumbar_spine", None)),
        ("capitate", "capitate_r", "", ("hand", "right")),
        ("5distph_l", "distph5_l", "", ("hand", "left")),
        ("fibula_l", "tibia_l", "", ("fibula", "left")),
        ("bofoot_r", "toes_r", "", ("foot", "right")),
        ("pelvis_l", "pelvis", "l_pelvis", ("hip_bone", "left")),
        ("scapula_r", "scapula_r", "", ("scapula", "right")),
    ],
)
def test_bone_of_geom(geom: str, body: str, mesh: str, expected: tuple) -> None:
    assert bone_of_geom(_geom(geom, body, mesh)) == expected


def test_bone_ids() -> None:
    assert bone_id("femur", "left") == "bone_femur_left"
    assert bone_id("skull", None) == "bone_skull"
    with pytest.raises(ValueError, match="no atlas bone"):
        bone_of_geom(_geom("spleen", "abdomen"))


def _sphere(n: int = 40, centre=(0.0, 0.0, 0.0)) -> tuple[np.ndarray, np.ndarray]:
    import pyvista as pv

    s = pv.Sphere(radius=0.05, center=centre, theta_resolution=n, phi_resolution=n)
    return np.asarray(s.points, float), s.faces.reshape(-1, 4)[:, 1:].astype(np.int64)


def test_decimate_keeps_a_closed_outward_surface() -> None:
    v, f = _sphere()
    dv, df = decimate(v, f[:, ::-1], 300)  # inward-wound input is turned outward
    assert len(df) <= 320
    assert signed_volume(dv, df) > 0
    assert is_watertight(df)
    again = decimate(v, f[:, ::-1], 300)
    assert np.array_equal(again[0], dv) and np.array_equal(again[1], df)


def test_drop_logo_keeps_pieces_outside_the_largest_piece() -> None:
    big_v, big_f = _sphere(60)
    small_v, small_f = _sphere(8, centre=(0.0, 0.0, 0.004))  # inside the big piece's box
    far_v, far_f = _sphere(8, centre=(0.5, 0.0, 0.0))
    v = np.vstack([big_v, small_v, far_v])
    f = np.vstack([big_f, small_f + len(big_v), far_f + len(big_v) + len(small_v)])
    _, kept = drop_logo(v, f)
    assert np.unique(kept).min() >= len(big_v) + len(small_v)
    assert len(kept) == len(far_f)
