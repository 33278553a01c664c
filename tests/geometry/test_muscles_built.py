"""The built muscles (``meshes/``) and a fresh build of a few of them (needs [build])."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from anatomy.frame import MUSCLE_IDS
from anatomy.geometry.meshio import read_mesh
from anatomy.geometry.solid import is_watertight

MESHES = Path(__file__).resolve().parents[2] / "meshes"


def _muscle_entries() -> dict[str, dict]:
    manifest = MESHES / "manifest.json"
    if not manifest.exists():
        pytest.skip("meshes/ has not been built")
    entries = json.loads(manifest.read_text(encoding="utf-8"))["meshes"]
    return {e["id"]: e for e in entries if e["kind"] == "muscle"}


def test_every_muscle_is_there_closed_and_within_budget() -> None:
    entries = _muscle_entries()
    assert set(entries) == {f"{m}_{s}" for m in MUSCLE_IDS for s in ("left", "right")}
    for mesh_id, e in entries.items():
        mesh = read_mesh(MESHES / e["path"])
        assert is_watertight(mesh.faces), mesh_id
        assert len(mesh.faces) <= 8000, mesh_id
        assert e["shape"] in ("spindle", "sheet", "landmark")
        assert np.asarray(e["centreline"]).shape[1] == 3 and len(e["centreline"]) >= 2
        assert e["origin_landmark"] and e["insertion_landmark"] and e["reference_volume_source"]


def test_the_muscles_built_as_volumes_are_each_one_piece_without_holes() -> None:
    import trimesh

    from anatomy.meshbuild.muscles.catalogue import VOLUME_BUILT

    entries = _muscle_entries()
    for muscle in sorted(VOLUME_BUILT):
        for side in ("left", "right"):
            mesh = read_mesh(MESHES / entries[f"{muscle}_{side}"]["path"])
            t = trimesh.Trimesh(np.asarray(mesh.vertices, float), mesh.faces, process=False)
            assert len(t.split(only_watertight=False)) == 1, f"{muscle}_{side}: in pieces"
            assert t.euler_number == 2, f"{muscle}_{side}: has holes through it"


def test_left_is_the_mirror_of_right() -> None:
    entries = _muscle_entries()
    for muscle in MUSCLE_IDS:
        left = read_mesh(MESHES / entries[f"{muscle}_left"]["path"])
        right = read_mesh(MESHES / entries[f"{muscle}_right"]["path"])
        np.testing.assert_allclose(left.vertices * [-1, 1, 1], right.vertices, atol=1e-6)
        np.testing.assert_array_equal(left.faces[:, ::-1], right.faces)


def test_volumes_are_near_their_published_figures() -> None:
    entries = _muscle_entries()
    ratios = {i: e["volume_cm3"] / e["reference_volume_cm3"] for i, e in entries.items()}
    # Thin muscles squeezed between bone and skin may stay short of the figure.
    assert all(1 / 3 <= r <= 1.5 for r in ratios.values()), ratios
    assert np.median(list(ratios.values())) == pytest.approx(1.0, abs=0.05)


def _model_and_skin() -> tuple:
    if importlib.util.find_spec("mujoco") is None or importlib.util.find_spec("myo_sim") is None:
        pytest.skip("needs the [build] extra")
    if not (MESHES / "skin" / "skin.npz").exists():
        pytest.skip("meshes/ has not been built")
    from anatomy.meshbuild.myosim import load_standing

    return load_standing(), read_mesh(MESHES / "skin" / "skin.npz")


@pytest.mark.build
@pytest.mark.slow
def test_build_is_deterministic_and_mirrored() -> None:
    from anatomy.meshbuild.muscles import build_muscles

    standing, skin = _model_and_skin()
    pick = ("biceps_brachii", "gluteus_maximus", "quadratus_lumborum", "levator_scapulae")
    a = build_muscles(standing, None, skin, muscles=pick)
    b = build_muscles(standing, None, skin, muscles=pick)
    assert [m.id for m in a] == sorted(f"{m}_{s}" for m in pick for s in ("left", "right"))
    for x, y in zip(a, b, strict=False):
        assert (
            x.vertices.tobytes() == y.vertices.tobytes() and x.faces.tobytes() == y.faces.tobytes()
        )
        assert is_watertight(x.faces)
        assert x.vertices.dtype == np.float32 and x.faces.dtype == np.int32
        assert abs(x.volume_cm3 / x.reference_volume_cm3 - 1) < 0.1, x.id


@pytest.mark.build
@pytest.mark.slow
def test_a_volumetric_build_is_closed_calibrated_deterministic_and_mirrored() -> None:
    from anatomy.meshbuild.muscles import build_muscles

    standing, skin = _model_and_skin()
    # a fan on bone, a two-headed spindle, a fascicle bundle and a sheet under the skin
    pick = ("subscapularis", "gastrocnemius", "quadratus_lumborum", "latissimus_dorsi")
    a = build_muscles(standing, None, skin, muscles=pick, volumetric=True)
    b = build_muscles(standing, None, skin, muscles=pick, volumetric=True)
    for x, y in zip(a, b, strict=True):
        assert x.vertices.tobytes() == y.vertices.tobytes(), x.id
        assert is_watertight(x.faces), x.id
        assert abs(x.volume_cm3 / x.reference_volume_cm3 - 1) < 0.25, x.id
    by_id = {m.id: m for m in a}
    for muscle in pick:
        left, right = by_id[f"{muscle}_left"], by_id[f"{muscle}_right"]
        np.testing.assert_allclose(left.vertices * [-1, 1, 1], right.vertices, atol=1e-6)
