"""Trigger-point and zone resolution on the synthetic tube muscles and cylinder skin."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from synthetic_atlas import MUSCLES, write_meshes

from anatomy.geometry.meshset import MeshSet
from anatomy.geometry.resolve import MIDLINE_BAND_M, DiscResolver, resolve_trigger_point


@pytest.fixture(scope="module")
def ms(tiny_files: tuple[Path, Path]) -> MeshSet:
    return MeshSet.load(tiny_files[1])


DX, Y, Z0, Z1, R = MUSCLES["soleus"]
MID_Z = (Z0 + Z1) / 2


@pytest.mark.parametrize(
    ("side", "toward", "expected"),
    [
        ("left", "lateral", (DX + R, Y, MID_Z)),
        ("left", "medial", (DX - R, Y, MID_Z)),
        ("right", "lateral", (-DX - R, Y, MID_Z)),  # lateral on the right is -x
        ("right", "medial", (-DX + R, Y, MID_Z)),
        ("left", "anterior", (DX, Y - R, MID_Z)),  # anterior is -y
        ("left", "posterior", (DX, Y + R, MID_Z)),
    ],
)
def test_directions_push_onto_the_tube_wall(ms: MeshSet, side: str, toward: str,
                                            expected: tuple[float, float, float]) -> None:
    r = resolve_trigger_point(ms.muscle("soleus", side), ms.muscle_info("soleus", side), 0.5,
                              toward, ms.skin_surface)
    assert r.inside and r.start_outside_mm == 0.0
    # the tube is a 24-gon: the wall lies between the inscribed and circumscribed circle
    assert r.point == pytest.approx(expected, abs=R * (1 - np.cos(np.pi / 24)) + 1e-6)
    assert r.start == pytest.approx((expected[0] - (r.point[0] - r.start[0]), Y, MID_Z))


def test_superficial_and_deep_follow_the_nearest_skin(ms: MeshSet) -> None:
    info, mesh = ms.muscle_info("soleus", "left"), ms.muscle("soleus", "left")
    sup = resolve_trigger_point(mesh, info, 0.5, "superficial", ms.skin_surface)
    deep = resolve_trigger_point(mesh, info, 0.5, "deep", ms.skin_surface)
    # the nearest skin to (0.08, 0.06) on a radius-0.15 cylinder lies outward along that ray
    outward = np.array([DX, Y, 0.0]) / np.hypot(DX, Y)
    assert np.dot(sup.point - sup.start, outward) == pytest.approx(R, abs=1e-3)
    assert np.dot(deep.point - deep.start, outward) == pytest.approx(-R, abs=1e-3)


def test_along_walks_the_centreline_from_origin_to_insertion(ms: MeshSet) -> None:
    info, mesh = ms.muscle_info("soleus", "left"), ms.muscle("soleus", "left")
    top = resolve_trigger_point(mesh, info, 0.1, "lateral", ms.skin_surface)
    low = resolve_trigger_point(mesh, info, 0.9, "lateral", ms.skin_surface)
    assert top.start[2] == pytest.approx(Z1 - 0.1 * (Z1 - Z0))  # origin is at the top
    assert low.start[2] == pytest.approx(Z1 - 0.9 * (Z1 - Z0))


def test_a_push_along_the_muscle_exits_through_its_end(ms: MeshSet) -> None:
    info, mesh = ms.muscle_info("soleus", "left"), ms.muscle("soleus", "left")
    r = resolve_trigger_point(mesh, info, 0.5, "superior", ms.skin_surface)
    assert r.inside and r.point[2] == pytest.approx(Z1)


def test_centreline_outside_the_muscle_is_measured(ms: MeshSet) -> None:
    info, mesh = ms.muscle_info("soleus", "left"), ms.muscle("soleus", "left")
    moved = replace(info, centreline=info.centreline + np.array([0.0, -0.05, 0.0]))
    r = resolve_trigger_point(mesh, moved, 0.5, "anterior", ms.skin_surface)
    assert not r.inside
    assert r.start_outside_mm == pytest.approx((0.05 - R) * 1000, abs=1.0)
    # the trigger point is then the surface point nearest the centreline point, whatever the
    # push direction (the atlas check refuses it when that is more than 3 mm away)
    assert r.point == pytest.approx([DX, Y - R, MID_Z], abs=1e-3)


def test_a_centreline_point_just_outside_snaps_onto_the_surface(ms: MeshSet) -> None:
    info, mesh = ms.muscle_info("soleus", "left"), ms.muscle("soleus", "left")
    moved = replace(info, centreline=info.centreline + np.array([R + 0.001, 0.0, 0.0]))
    r = resolve_trigger_point(mesh, moved, 0.5, "lateral", ms.skin_surface)  # pushes away
    assert not r.inside and r.start_outside_mm == pytest.approx(1.0, abs=0.3)
    assert np.linalg.norm(r.point - r.start) * 1000 == pytest.approx(r.start_outside_mm)


def test_discs_stay_on_their_side_of_the_body(ms: MeshSet) -> None:
    resolver = DiscResolver(ms.skin_surface)
    vertex = ms.landmarks["vertex"].vertex  # top of the head, on the midline
    both = resolver.disc("vertex", vertex, 60.0, None)
    left = resolver.disc("vertex", vertex, 60.0, "left")
    right = resolver.disc("vertex", vertex, 60.0, "right")
    x = ms.skin_surface.vertices[:, 0]
    assert (x[left.vertices] >= -MIDLINE_BAND_M).all()
    assert (x[right.vertices] <= MIDLINE_BAND_M).all()
    assert set(left.vertices) | set(right.vertices) == set(both.vertices)
    assert 0 < len(left.vertices) < len(both.vertices)
    # the disc centre has closeness 1 and closeness falls to ~0 at the rim
    centre = np.flatnonzero(both.vertices == vertex)[0]
    assert both.closeness[centre] == pytest.approx(1.0)
    assert both.closeness.min() < 0.2


def test_disc_radius_is_measured_along_the_skin(ms: MeshSet) -> None:
    resolver = DiscResolver(ms.skin_surface)
    lm = ms.landmarks["left_calf"]
    disc = resolver.disc("left_calf", lm.vertex, 40.0, "left")
    pts = ms.skin_surface.vertices[disc.vertices]
    euclid = np.linalg.norm(pts - ms.skin_surface.vertices[lm.vertex], axis=1)
    assert euclid.max() <= 0.040 + 1e-9
    assert euclid.max() > 0.035
    # asking a bigger radius first, then a smaller one, reuses the cached search
    big = resolver.disc("left_calf", lm.vertex, 80.0, "left")
    again = resolver.disc("left_calf", lm.vertex, 40.0, "left")
    assert len(big.vertices) > len(disc.vertices)
    assert np.array_equal(np.sort(again.vertices), np.sort(disc.vertices))


def test_landmark_side_names() -> None:
    from anatomy.geometry.landmarks import is_midline, side_of_name, sided_name

    assert sided_name("temple", "right") == "right_temple"
    assert sided_name("vertex", "left") == "vertex"
    assert side_of_name("left_heel") == "left" and side_of_name("sacrum") is None
    assert is_midline("sacrum") and not is_midline("heel")


def test_meshes_fixture_is_reusable(tmp_path: Path) -> None:
    # two independent writes give identical manifests (the fixture is deterministic)
    a = write_meshes(tmp_path / "a") / "manifest.json"
    b = write_meshes(tmp_path / "b") / "manifest.json"
    assert a.read_text() == b.read_text()
