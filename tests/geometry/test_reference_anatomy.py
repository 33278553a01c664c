"""Our muscles against real anatomy (Z-Anatomy/BodyParts3D), measured, never copied.

After one similarity alignment of the two bodies (Umeyama, fitted on the centroids of every
muscle both have), each muscle's centroid must lie within 3 % of body height of the
reference's (median; none beyond 8 %), and its volume within a factor 1.6 (median; none beyond
a factor 3). Skips when ``../shared/reference/zanatomy-muscles`` is absent.
See ``anatomy.meshbuild.muscles.reference`` for the frame, the name map and the volume estimate.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from anatomy.meshbuild.muscles.reference import (
    compare,
    load_ours,
    load_reference,
    umeyama,
    voxel_volume,
)

REPO = Path(__file__).resolve().parents[2]
GLB = REPO.parent / "shared" / "reference" / "zanatomy-muscles" / "muscles-reference.glb"
MESHES = REPO / "meshes"


def test_umeyama_recovers_a_similarity() -> None:
    rng = np.random.default_rng(7)
    src = rng.normal(size=(20, 3))
    angle = 0.4
    rot = np.array(
        [[np.cos(angle), -np.sin(angle), 0], [np.sin(angle), np.cos(angle), 0], [0, 0, 1]]
    )
    dst = 1.7 * src @ rot.T + [0.1, -0.2, 0.3]
    scale, r, t = umeyama(src, dst)
    assert scale == pytest.approx(1.7)
    np.testing.assert_allclose(r, rot, atol=1e-9)
    np.testing.assert_allclose(t, [0.1, -0.2, 0.3], atol=1e-9)


def test_voxel_volume_closes_small_holes() -> None:
    # A 4 x 3 x 2 cm box, finely triangulated, with a hole of about 6 mm cut in its top.
    import trimesh

    box = trimesh.creation.box(extents=(0.04, 0.03, 0.02)).subdivide_to_size(0.002)
    centres = box.triangles_center
    hole = (centres[:, 2] > 0.0099) & (np.linalg.norm(centres[:, :2], axis=1) < 0.002)
    assert hole.any() and not hole.all()
    tri = box.vertices[box.faces[~hole]]
    assert voxel_volume(tri) == pytest.approx(24e-6, rel=0.12)


def test_voxel_volume_cannot_close_a_missing_face() -> None:
    # The limit of the estimator, stated: an open face much wider than the closing is lost.
    import trimesh

    box = trimesh.creation.box(extents=(0.04, 0.03, 0.02))
    up = box.face_normals[:, 2] > 0.9
    assert voxel_volume(box.vertices[box.faces[~up]]) < 0.5 * 24e-6


@pytest.mark.slow
def test_muscles_match_the_reference_anatomy() -> None:
    if not GLB.exists():
        pytest.skip("../shared/reference/zanatomy-muscles is absent")
    if not (MESHES / "manifest.json").exists():
        pytest.skip("meshes/ has not been built")
    ours, height = load_ours(MESHES)
    ref = load_reference(GLB)
    results, scale = compare(ours, ref, height)
    assert len(results) >= 60, "too few muscles matched the reference"
    offsets = np.array([r.centroid_offset for r in results])
    factors = np.exp(np.abs(np.log([r.volume_ratio for r in results])))
    print(f"\nreference -> ours scale {scale:.3f}; {len(results)} muscle sides compared")
    print("worst centroid offsets (% of body height):")
    for r in sorted(results, key=lambda r: -r.centroid_offset)[:6]:
        print(f"  {r.muscle}_{r.side}: {100 * r.centroid_offset:.2f} %")
    print("worst volume ratios (ours / reference):")
    for r, _f in sorted(zip(results, factors, strict=False), key=lambda rf: -rf[1])[:6]:
        print(f"  {r.muscle}_{r.side}: {r.volume_ratio:.2f}")
    print(
        f"median offset {100 * np.median(offsets):.2f} %, max {100 * offsets.max():.2f} %; "
        f"median volume factor {np.median(factors):.2f}, max {factors.max():.2f}"
    )
    angles = np.array([r.axis_angle_deg for r in results])
    print(f"main axes: median angle {np.median(angles):.0f} deg; widest:")
    for r in sorted(results, key=lambda r: -r.axis_angle_deg)[:4]:
        print(f"  {r.muscle}_{r.side}: {r.axis_angle_deg:.0f} deg")
    assert np.median(offsets) <= 0.03
    assert offsets.max() <= 0.08, [r.muscle for r in results if r.centroid_offset > 0.08]
    assert np.median(factors) <= 1.6
    # A muscle more than three times off the reference's volume must at least hold its own
    # published figure (the reference is an artist's mesh: its longissimus is a thin strip).
    assert [r.muscle for r, f in zip(results, factors, strict=True)
            if f > 3.0 and abs(np.log(_published_ratio(MESHES, r.muscle))) > np.log(1.25)
            ] == []  # fmt: skip


def _published_ratio(meshes: Path, unit: str) -> float:
    """A compared unit's built volume over its published figure (``a+b``: summed)."""
    import json

    manifest = json.loads((meshes / "manifest.json").read_text(encoding="utf-8"))
    rows = [e for e in manifest["meshes"]
            if e["kind"] == "muscle" and e["side"] == "right" and e["muscle"] in unit.split("+")]
    return sum(e["volume_cm3"] for e in rows) / sum(e["reference_volume_cm3"] for e in rows)
