"""Compact geometry: round trip, sizes, arrays, bad input."""

from __future__ import annotations

import base64
import zlib

import numpy as np
import pytest
from synthetic_atlas import cylinder

from anatomy.errors import AtlasError
from anatomy.export.packing import pack_geometry, unpack_geometry
from anatomy.scene.web import SceneMesh, build_web_scene


def _meshes() -> list[SceneMesh]:
    skin = cylinder(0.15, 0.0, 1.8, 96, 181, cap_rings=15)
    tube = cylinder(0.02, 1.4, 1.6, 24, 12, centre=(-0.09, 0.05))
    return [SceneMesh("skin", "skin", *skin),
            SceneMesh("upper_trapezius_right", "muscle", *tube, muscle="upper_trapezius",
                      side="right")]


def test_round_trip_is_within_the_quantisation_step() -> None:
    meshes = _meshes()
    packed = pack_geometry(meshes, {"zone/a": [3, 1, 70000], "zone/b": np.arange(10)})
    out = unpack_geometry(packed)
    step = np.asarray(packed.manifest["quant"]["step"])
    assert step.max() < 5e-5  # metres: 1.8 m over 65535 steps
    reference = build_web_scene(meshes)  # the app's packing: same cleaned, oriented faces
    for mesh, rec in zip(meshes, reference.actors, strict=True):
        points, normals, faces = out["meshes"][mesh.id]
        assert np.all(np.abs(points - mesh.vertices) <= step / 2 + 1e-6)
        n = rec["counts"]["triangles"]
        dtype = "<u2" if rec["index_type"] == "uint16" else "<u4"
        ref = np.frombuffer(reference.buffer, dtype, n * 3, rec["offsets"]["indices"])
        np.testing.assert_array_equal(faces.ravel(), ref)
        lengths = np.linalg.norm(normals, axis=1)
        assert np.all(np.abs(lengths - 1) < 0.02)
    np.testing.assert_array_equal(out["arrays"]["zone/a"], [3, 1, 70000])
    assert packed.manifest["arrays"]["zone/a"]["type"] == "uint32"
    assert packed.manifest["arrays"]["zone/b"]["type"] == "uint16"


def test_packed_is_far_smaller_than_float_json_and_than_the_app_buffer() -> None:
    meshes = _meshes()
    packed = pack_geometry(meshes)
    app = build_web_scene(meshes).buffer
    as_json = sum(len(str(m.vertices.tolist())) + len(str(m.faces.tolist())) for m in meshes)
    assert len(packed.base64()) < 0.6 * len(app)
    assert len(packed.base64()) < 0.2 * as_json
    assert zlib.decompress(base64.b64decode(packed.base64())) is not None
    assert packed.raw_size == len(zlib.decompress(packed.data))


def test_offsets_are_aligned_and_arrays_alone_are_allowed() -> None:
    packed = pack_geometry(_meshes(), {"z": [1, 2, 3]})
    for rec in packed.manifest["actors"]:
        assert all(offset % 4 == 0 for offset in rec["offsets"].values())
    only = pack_geometry([], {"z": [5, 6]})
    assert only.manifest["actors"] == []
    np.testing.assert_array_equal(unpack_geometry(only)["arrays"]["z"], [5, 6])


def test_bad_input_is_an_atlas_error() -> None:
    with pytest.raises(AtlasError, match="negative"):
        pack_geometry([], {"zone/x": [-1, 2]})
    flat = SceneMesh("flat", "bone", np.zeros((3, 3), np.float32), np.array([[0, 1, 2]]))
    with pytest.raises(AtlasError, match="non-degenerate"):
        pack_geometry([flat])
