"""The volumetric muscle construction on synthetic input: fibres -> capsules -> closed surface."""

from __future__ import annotations

import numpy as np
import pytest

from anatomy.meshbuild.muscles.body import Body
from anatomy.meshbuild.muscles.mesh import signed_volume
from anatomy.meshbuild.muscles.recipe import Recipe
from anatomy.meshbuild.muscles.volume import (
    MIN_RADIUS_M,
    VolumeBuild,
    across,
    closed,
    fibre_set,
    repaired,
)


def _cube(size: float, centre: tuple[float, float, float]) -> tuple[np.ndarray, np.ndarray]:
    import trimesh

    box = trimesh.creation.box(extents=(size, size, size))
    return np.asarray(box.vertices + np.asarray(centre), float), np.asarray(box.faces)


def _body() -> Body:
    # a skin far around the muscle, a small bone well away from it
    return Body({"bone": _cube(0.02, (0.3, 0.3, 0.3))}, _cube(1.0, (0.0, 0.0, 0.5)))


def _recipe(**kw) -> Recipe:  # type: ignore[no-untyped-def]
    base = {"muscle": "test_muscle", "kind": "spindle", "shape": "spindle", "volume_cm3": 60.0,
            "source": "test", "origin_landmark": "top", "insertion_landmark": "bottom",
            "aspect": 1.0, "belly": (0.2, 0.8)}  # fmt: skip
    base.update(kw)
    return Recipe(**base)


def _fibre(x: float = 0.0) -> np.ndarray:
    return np.array([[x, 0.0, 0.7], [x, 0.0, 0.3]])


def test_a_spindle_is_closed_outward_and_grows_with_its_radius():
    recipe = _recipe()
    fibres = [_fibre()]
    build = VolumeBuild(recipe, fibres, _body())
    small, big = build.make(0.01), build.make(0.015)
    for verts, faces, _ in (small, big):
        assert closed(faces) and signed_volume(verts, faces) > 0
    ratio = signed_volume(*big[:2]) / signed_volume(*small[:2])
    assert 1.8 < ratio < 2.6  # about (1.5)^2: a tube's volume goes with its area
    # the belly is about as thick as asked: a 1 cm radius in the middle third
    import trimesh

    cut = trimesh.intersections.mesh_plane(trimesh.Trimesh(small[0], small[1], process=False),
                                           [0, 0, 1], [0, 0, 0.5]).reshape(-1, 3)  # fmt: skip
    assert np.hypot(cut[:, 0], cut[:, 1]).mean() == pytest.approx(0.01, abs=0.0025)
    # the centreline runs from origin to insertion through the belly
    line = build.centreline
    assert line[0][2] == pytest.approx(0.7) and line[-1][2] == pytest.approx(0.3)


def test_tendons_keep_a_minimum_radius_so_the_ends_reach_the_attachments():
    recipe = _recipe(belly=(0.4, 0.6))
    build = VolumeBuild(recipe, [_fibre()], _body())
    verts, faces, _ = build.make(0.01)
    assert closed(faces)
    assert verts[:, 2].max() > 0.7 - 0.004 and verts[:, 2].min() < 0.3 + 0.004
    near_end = verts[verts[:, 2] > 0.68]
    assert np.hypot(near_end[:, 0], near_end[:, 1]).max() < MIN_RADIUS_M + 0.003


def test_the_volume_stays_out_of_bone():
    bone = _cube(0.03, (0.0, 0.0, 0.5))  # a bone through the belly's middle
    body = Body({"bone": bone}, _cube(1.0, (0.0, 0.0, 0.5)))
    build = VolumeBuild(_recipe(), [_fibre(0.012)], body)
    verts, faces, _ = build.make(0.012)
    inside_bone = (np.abs(verts - [0.0, 0.0, 0.5]) < 0.015 - 0.001).all(axis=1)
    assert closed(faces) and not inside_bone.any()


def test_the_volume_stays_out_of_a_cavity():
    from anatomy.geometry.solid import inside_mask

    # a cavity (the chest inside the pleura) over half the belly
    cavity = _cube(0.04, (0.02, 0.0, 0.5))
    body = Body({"bone": _cube(0.02, (0.3, 0.3, 0.3))}, _cube(1.0, (0.0, 0.0, 0.5)), [cavity])
    axis = np.linspace(-0.019, 0.019, 9)
    centre = np.array([0.02, 0.0, 0.5])
    grid = np.stack(np.meshgrid(axis, axis, axis), axis=-1).reshape(-1, 3) + centre
    verts, faces, _ = VolumeBuild(_recipe(), [_fibre()], body).make(0.014)
    assert closed(faces) and not inside_mask(grid, verts, faces).any()
    free, free_faces, _ = VolumeBuild(_recipe(), [_fibre()], _body()).make(0.014)
    assert inside_mask(grid, free, free_faces).sum() > 20  # without the cavity it is filled


def test_a_sheet_is_filled_across_its_fibres_and_thins_at_its_edges():
    # 400 cm3 over 12 x 40 cm: a first guess of about 6 mm for the half thickness
    recipe = _recipe(kind="sheet", shape="sheet", volume_cm3=400.0, widen=(0.0, 0.0))
    fibres = [_fibre(x) for x in (-0.06, 0.0, 0.06)]
    fs = fibre_set(recipe, fibres)
    assert fs.spread and len(fs.fibres) >= 0.12 / 0.004
    assert fs.edge[0] < fs.edge[len(fs.edge) // 2]
    verts, faces, _ = VolumeBuild(recipe, fibres, _body()).make(0.006)
    assert closed(faces)
    assert np.ptp(verts[:, 0]) > 0.11 and np.ptp(verts[:, 1]) < 0.02  # wide and thin


def test_across_interpolates_and_extends_the_fibres():
    base = np.stack([np.stack([np.full(5, x), np.zeros(5), np.linspace(0, 1, 5)], 1)
                     for x in (0.0, 0.1)])  # fmt: skip
    out = across(base, (0.5, 0.0))
    assert out[0, 0, 0] == pytest.approx(-0.05) and out[-1, 0, 0] == pytest.approx(0.1)
    assert np.all(np.diff(out[:, 0, 0]) <= 0.004 + 1e-9)


def test_a_decimation_defect_is_cut_out_and_closed():
    import trimesh

    sphere = trimesh.creation.icosphere(subdivisions=3)
    verts, faces = np.asarray(sphere.vertices, float), np.asarray(sphere.faces)
    assert closed(faces)
    broken = np.concatenate([faces, faces[:1, ::-1][:, [0, 2, 1]]])  # one edge now has 3
    assert not closed(broken)
    fixed = repaired(verts, broken.astype(np.int32))
    assert fixed is not None and closed(fixed[1])
    assert signed_volume(*fixed) == pytest.approx(signed_volume(verts, faces), rel=0.02)


def test_the_euler_number_counts_pieces_tunnels_and_voids():
    from anatomy.meshbuild.muscles.volume import euler_number

    n = np.arange(-10, 11)
    x, y, z = np.meshgrid(n, n, n, indexing="ij")
    r = np.sqrt(x**2 + y**2 + z**2)
    ball = r <= 6
    assert euler_number(ball) == 1
    assert euler_number(ball & (r >= 3)) == 2  # a hollow ball: one piece around one void
    assert euler_number(ball & ~((np.abs(x) <= 1) & (np.abs(y) <= 1))) == 0  # bored through
    two = (np.sqrt((x - 5) ** 2 + y**2 + z**2) <= 3) | (np.sqrt((x + 5) ** 2 + y**2 + z**2) <= 3)
    assert euler_number(two) == 2


def _genus_and_pieces(verts: np.ndarray, faces: np.ndarray) -> tuple[int, int]:
    import trimesh

    mesh = trimesh.Trimesh(verts, faces, process=True)
    return mesh.euler_number, len(mesh.split(only_watertight=False))


def test_a_bone_through_a_sheet_leaves_no_hole_in_it(monkeypatch):
    import anatomy.meshbuild.muscles.volume as volume

    # a thin rod of bone standing through the middle of a broad, thin sheet
    recipe = _recipe(kind="sheet", shape="sheet", volume_cm3=200.0, widen=(0.0, 0.0))
    fibres = [_fibre(x) for x in (-0.05, 0.0, 0.05)]
    rod = _cube(0.008, (0.0, 0.0, 0.5))
    body = Body({"bone": rod}, _cube(1.0, (0.0, 0.0, 0.5)))
    verts, faces, _ = VolumeBuild(recipe, fibres, body).make(0.004)
    assert closed(faces) and _genus_and_pieces(verts, faces) == (2, 1)
    monkeypatch.setattr(volume, "MEND_ROUNDS", 0)  # the clip alone opens a hole round the rod
    verts, faces, _ = VolumeBuild(recipe, fibres, body).make(0.004)
    assert _genus_and_pieces(verts, faces)[0] < 2


def test_flaws_count_extra_pieces_and_tunnels():
    import trimesh

    from anatomy.meshbuild.muscles.volume import flaws

    ball = trimesh.creation.icosphere(subdivisions=2)
    ring = trimesh.creation.torus(major_radius=1.0, minor_radius=0.3)
    pair = trimesh.util.concatenate([ball, ball.copy().apply_translation([3, 0, 0])])
    assert flaws(np.asarray(ball.faces)) == 0
    assert flaws(np.asarray(ring.faces)) == 1
    assert flaws(np.asarray(pair.faces)) == 1
    both = trimesh.util.concatenate([ring, ball.copy().apply_translation([4, 0, 0])])
    assert flaws(np.asarray(both.faces)) == 2


def test_a_surface_holds_a_line_only_if_it_reaches_along_it():
    from anatomy.meshbuild.muscles.volume import holds

    verts, faces = _cube(0.1, (0.0, 0.0, 0.0))
    through = np.array([[0.0, 0.0, -0.04], [0.0, 0.0, 0.04]])
    assert holds(verts, faces, through)
    beyond = np.array([[0.0, 0.0, -0.04], [0.0, 0.0, 0.2]])  # a tendon end the surface lost
    assert not holds(verts, faces, beyond)
