"""Surface queries against answers known in closed form (cube, flat grid, cylinder)."""

from __future__ import annotations

import numpy as np
import pytest
from synthetic_atlas import cylinder

from anatomy.geometry.surface import (
    SkinSurface,
    closest_point,
    closest_points_on_triangles,
    contains,
    polyline_point,
    ray_hits,
    surface_distance,
)


def unit_cube() -> tuple[np.ndarray, np.ndarray]:
    v = np.array([[x, y, z] for x in (0, 1) for y in (0, 1) for z in (0, 1)], dtype=float)
    quads = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]
    f = [t for a, b, c, d in quads for t in ((a, b, c), (a, c, d))]
    return v, np.array(f)


def flat_grid(n: int = 41, size: float = 0.4) -> tuple[np.ndarray, np.ndarray]:
    xs = np.linspace(0, size, n)
    v = np.array([[x, y, 0.0] for y in xs for x in xs])
    f = []
    for j in range(n - 1):
        for i in range(n - 1):
            a = j * n + i
            f += [(a, a + 1, a + n + 1), (a, a + n + 1, a + n)]
    return v, np.array(f)


def test_ray_from_inside_a_cube_hits_each_wall_once() -> None:
    v, f = unit_cube()
    # (0.5, 0.5) lies on the diagonal shared by the two triangles of the top face
    hits = ray_hits(v, f, np.array([0.5, 0.5, 0.25]), np.array([0.0, 0.0, 1.0]))
    assert hits == pytest.approx([0.75])
    hits = ray_hits(v, f, np.array([-1.0, 0.3, 0.6]), np.array([1.0, 0.0, 0.0]))
    assert hits == pytest.approx([1.0, 2.0])


def test_ray_that_misses_returns_nothing() -> None:
    v, f = unit_cube()
    assert len(ray_hits(v, f, np.array([2.0, 2.0, 2.0]), np.array([1.0, 0.0, 0.0]))) == 0
    # pointing away from the cube
    assert len(ray_hits(v, f, np.array([-1.0, 0.5, 0.5]), np.array([-1.0, 0.0, 0.0]))) == 0


@pytest.mark.parametrize(
    ("point", "expected"),
    [
        ([0.5, 0.5, 2.0], [0.5, 0.5, 1.0]),  # above a face
        ([2.0, 2.0, 2.0], [1.0, 1.0, 1.0]),  # beyond a corner
        ([0.5, -1.0, -1.0], [0.5, 0.0, 0.0]),  # beyond an edge
        ([0.5, 0.5, 0.4], [0.5, 0.5, 0.0]),  # inside: nearest wall
    ],
)
def test_closest_point_on_a_cube(point: list[float], expected: list[float]) -> None:
    v, f = unit_cube()
    got = closest_point(v, f, np.array(point))
    if point == [0.5, 0.5, 0.4]:
        assert surface_distance(v, f, np.array(point)) == pytest.approx(0.4)
    else:
        assert got == pytest.approx(expected)


def test_closest_points_match_dense_sampling_of_random_triangles() -> None:
    rng = np.random.default_rng(3)
    tri = rng.normal(size=(50, 3, 3))
    p = rng.normal(size=3) * 2
    got = closest_points_on_triangles(p, tri)
    uv = rng.random((20000, 2))
    uv[uv.sum(1) > 1] = 1 - uv[uv.sum(1) > 1]
    for k in range(len(tri)):
        a, b, c = tri[k]
        samples = a + np.outer(uv[:, 0], b - a) + np.outer(uv[:, 1], c - a)
        best = np.min(np.linalg.norm(samples - p, axis=1))
        mine = np.linalg.norm(got[k] - p)
        assert mine <= best + 1e-9
        assert mine == pytest.approx(best, abs=0.02)


def test_contains_on_a_closed_cylinder() -> None:
    v, f = cylinder(0.05, 0.0, 0.3, 24, 6)
    assert contains(v, f, np.array([0.0, 0.0, 0.15]))
    assert contains(v, f, np.array([0.04, 0.0, 0.01]))
    assert not contains(v, f, np.array([0.06, 0.0, 0.15]))
    assert not contains(v, f, np.array([0.0, 0.0, 0.31]))


def test_polyline_point_follows_arc_length() -> None:
    line = np.array([[0, 0, 0], [1, 0, 0], [1, 3, 0]], dtype=float)
    p, t = polyline_point(line, 0.5)  # total length 4, halfway = 2 -> (1, 1, 0)
    assert p == pytest.approx([1.0, 1.0, 0.0])
    assert t == pytest.approx([0.0, 1.0, 0.0])
    assert polyline_point(line, 0.0)[0] == pytest.approx([0, 0, 0])
    assert polyline_point(line, 1.0)[0] == pytest.approx([1, 3, 0])
    with pytest.raises(ValueError):
        polyline_point(np.zeros((2, 3)), 0.5)


def test_skin_distance_on_a_flat_grid_is_close_to_straight_line() -> None:
    v, f = flat_grid()
    skin = SkinSurface(v, f)
    centre = int(np.argmin(np.linalg.norm(v - [0.2, 0.2, 0.0], axis=1)))
    dist = skin.distances_from(np.array([centre]), limit=1.0)[0]
    euclid = np.linalg.norm(v - v[centre], axis=1)
    near = (euclid > 0.05) & (euclid < 0.18)
    ratio = dist[near] / euclid[near]
    assert ratio.min() >= 1.0 - 1e-9  # never shorter than the straight line on a plane
    assert ratio.max() < 1.09  # the edge+diagonal graph stays within 9 %


def test_skin_distance_goes_around_not_through_a_cylinder() -> None:
    v, f = cylinder(0.15, 0.0, 1.0, 96, 101)
    skin = SkinSurface(v, f)
    a = int(np.argmin(np.linalg.norm(v - [0.15, 0.0, 0.5], axis=1)))
    b = int(np.argmin(np.linalg.norm(v - [-0.15, 0.0, 0.5], axis=1)))
    dist = skin.distances_from(np.array([a]), limit=2.0)[0]
    assert dist[b] == pytest.approx(np.pi * 0.15, rel=0.02)  # half way round, not 0.30 across
    limited = skin.distances_from(np.array([a]), limit=0.1)[0]
    assert np.isinf(limited[b])
    assert np.isfinite(limited[a]) and limited[a] == 0.0


def test_nearest_vertex_and_superficial_direction() -> None:
    v, f = cylinder(0.15, 0.0, 1.0, 96, 101)
    skin = SkinSurface(v, f)
    idx, dist = skin.nearest_vertex(np.array([[0.2, 0.0, 0.5], [0.0, 0.149, 0.5]]))
    assert v[idx[0]] == pytest.approx([0.15, 0.0, 0.5], abs=1e-6)
    assert dist[0] == pytest.approx(0.05, abs=1e-6)
    d = skin.nearest_to_direction(np.array([0.1, 0.0, 0.5]))
    assert d == pytest.approx([1.0, 0.0, 0.0], abs=1e-6)


def test_inside_test_agrees_for_a_mesh_and_its_mirror_image() -> None:
    from anatomy.geometry.surface import MeshQuery

    # an open tube (no caps): ray parity depends on the ray, as on an imperfect muscle mesh
    v, f = cylinder(0.05, 0.0, 0.1, 24, 4, centre=(0.2, 0.0))
    side = f[np.all(f < 24 * 4, axis=1)]
    flip = np.array([-1.0, 1.0, 1.0])
    left, right = MeshQuery(v, side), MeshQuery(v * flip, side[:, ::-1])
    rng = np.random.default_rng(5)
    points = np.array([0.2, 0.0, 0.05]) + rng.uniform(-0.06, 0.06, size=(200, 3))
    answers = [left.contains(p) for p in points]
    assert answers == [right.contains(p * flip, mirrored=True) for p in points]
    # without mirroring the rays the two sides would disagree somewhere
    assert answers != [right.contains(p * flip) for p in points]
