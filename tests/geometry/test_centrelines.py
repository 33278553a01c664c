"""Every muscle's centreline runs through its mesh, so any `along` a clinician writes resolves."""

from __future__ import annotations

import json

import numpy as np
import pytest

from anatomy.geometry.meshio import read_mesh
from anatomy.geometry.surface import MeshQuery, polyline_point
from anatomy.meshbuild.muscles import through_belly
from anatomy.paths import default_meshes_dir

FRACTIONS = np.round(np.arange(0.05, 0.96, 0.05), 2)


def _muscles() -> list[dict]:
    manifest = json.loads((default_meshes_dir() / "manifest.json").read_text())
    return [m for m in manifest["meshes"] if m["kind"] == "muscle"]


@pytest.mark.parametrize("record", _muscles(), ids=lambda r: r["id"])
def test_centreline_points_lie_in_the_muscle(record: dict) -> None:
    mesh = read_mesh(default_meshes_dir() / record["path"])
    query = MeshQuery(mesh.vertices.astype(float), mesh.faces)
    line = np.asarray(record["centreline"], dtype=float)
    far = []
    for along in FRACTIONS:
        point, _ = polyline_point(line, float(along))
        if not query.contains(point, mirrored=record["side"] == "right"):
            gap_mm = float(np.linalg.norm(query.closest_point(point) - point)) * 1000
            if gap_mm > 3.0:
                far.append((float(along), round(gap_mm, 1)))
    assert not far, f"{record['id']}: centreline leaves the mesh at {far}"


def test_through_belly_pulls_an_outside_centreline_into_a_box() -> None:
    # a closed unit box and a centreline bowing 0.5 outside it through the middle
    v = np.array([[x, y, z] for x in (0, 1) for y in (0, 1) for z in (0, 1)], dtype=float)
    f = np.array([[0, 1, 3], [0, 3, 2], [4, 6, 7], [4, 7, 5], [0, 4, 5], [0, 5, 1],
                  [2, 3, 7], [2, 7, 6], [0, 2, 6], [0, 6, 4], [1, 5, 7], [1, 7, 3]])
    line = np.array([[0.5, 0.5, 0.0], [1.5, 0.5, 0.5], [0.5, 0.5, 1.0]])
    out = through_belly(line, v, f)
    assert np.allclose(out[0], line[0]) and np.allclose(out[-1], line[-1])
    assert (out[1:-1, 0] <= 1.0 + 1e-9).all()
