"""The muscle builders' pieces on small synthetic inputs: closed meshes, volumes, landmarks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from anatomy.errors import AtlasError
from anatomy.frame import MUSCLE_IDS
from anatomy.geometry.solid import is_watertight
from anatomy.meshbuild.muscles.attachments import (
    DATA_FILE,
    load_rules,
    place_attachments,
    region_vertices,
)
from anatomy.meshbuild.muscles.catalogue import RECIPES
from anatomy.meshbuild.muscles.mesh import resample, signed_volume, slab, sweep_tube
from anatomy.meshbuild.muscles.recipe import belly_profile


def _edges_twice(faces: np.ndarray) -> bool:
    e = np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1)
    _, counts = np.unique(e, axis=0, return_counts=True)
    return bool((counts == 2).all())


def test_swept_tube_is_closed_outward_and_has_the_cylinder_volume() -> None:
    centre = np.stack([np.zeros(40), np.zeros(40), np.linspace(0.0, 0.2, 40)], axis=1)
    r = np.full(40, 0.02)
    v, f = sweep_tube(centre, r, r, np.tile([1.0, 0.0, 0.0], (40, 1)), n_around=32)
    assert is_watertight(f) and _edges_twice(f)
    # A 32-gon prism of circumradius r: area 0.5 * 32 * r^2 * sin(2 pi / 32).
    expected = 0.5 * 32 * 0.02**2 * np.sin(2 * np.pi / 32) * 0.2
    assert signed_volume(v, f) == pytest.approx(expected, rel=1e-6)
    np.testing.assert_allclose(v[-2], centre[0])  # the cap centres are the attachment points
    np.testing.assert_allclose(v[-1], centre[-1])


def test_slab_is_closed_with_area_times_thickness_volume() -> None:
    u, w = np.meshgrid(np.linspace(0, 0.1, 6), np.linspace(0, 0.05, 4), indexing="ij")
    mid = np.stack([u, w, np.zeros_like(u)], axis=-1)
    normals = np.zeros_like(mid)
    normals[..., 2] = 1.0
    v, f = slab(mid, normals, np.full(u.shape, 0.004))
    assert is_watertight(f) and _edges_twice(f)
    assert signed_volume(v, f) == pytest.approx(0.1 * 0.05 * 0.004, rel=1e-9)


def test_belly_profile_tapers_to_tendons() -> None:
    s = np.linspace(0, 1, 101)
    p = belly_profile(s, (0.3, 0.7), 0.1, 0.12)
    assert p[0] == pytest.approx(0.12) and p[-1] == pytest.approx(0.12)
    assert np.all(p[30:71] == pytest.approx(1.0))
    assert np.all(np.diff(p[:30]) >= 0)


def test_resample_spaces_points_evenly() -> None:
    pts = resample(np.array([[0.0, 0, 0], [1.0, 0, 0], [1.0, 3.0, 0]]), 5)
    np.testing.assert_allclose(np.linalg.norm(np.diff(pts, axis=0), axis=1), 1.0)


def _box(lo: float, hi: float) -> np.ndarray:
    g = np.linspace(lo, hi, 5)
    return np.stack(np.meshgrid(g, g, g, indexing="ij"), axis=-1).reshape(-1, 3)


def test_rules_pick_extremes_and_interpolate() -> None:
    bones = {"scapula_r": _box(-0.2, -0.1) + np.array([0.0, 0.1, 1.3])}
    rules = [
        {"key": "top", "name": "top", "bone": "scapula", "pick": "superior",
         "region": {"lateral": [0.0, 0.3]}},
        {"key": "low", "name": "low", "bone": "scapula", "pick": ["inferior", "lateral"]},
        {"key": "mid", "name": "mid", "between": ["top", "low"], "at": 0.5},
    ]  # fmt: skip
    out = place_attachments(rules, bones)
    assert out["top"].position[2] == pytest.approx(1.2)
    assert out["top"].position[0] >= -0.13  # medial part (x closest to the midline)
    assert out["low"].position[0] == pytest.approx(-0.2) and out["low"].position[
        2
    ] == pytest.approx(1.1)
    np.testing.assert_allclose(
        out["mid"].position, 0.5 * (out["top"].position + out["low"].position)
    )


def test_region_fractions_for_midline_bones_start_at_the_midline() -> None:
    pts = _box(-0.1, 0.1)
    right = region_vertices(pts, True, {"lateral": [0.5, 1.0]})
    assert len(right) and np.all(right[:, 0] <= -0.05)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ({"key": "a", "name": "a", "bone": "kneecap"}, "unknown bone"),
        ({"key": "a", "name": "a", "bone": "scapula", "pick": "upward"}, "unknown direction"),
        ({"key": "a", "name": "a", "between": ["x", "y"]}, "unknown landmarks"),
        ({"key": "a", "bone": "scapula"}, "needs 'key' and 'name'"),
    ],
)
def test_bad_rules_say_where(rule: dict, words: str) -> None:
    with pytest.raises(AtlasError, match=words) as info:
        place_attachments([rule], {"scapula_r": _box(-0.2, -0.1)}, file="attachments.yaml")
    assert "attachments.yaml" in str(info.value) and "landmarks[0]" in str(info.value)


def test_missing_or_broken_rule_file_is_an_atlas_error(tmp_path: Path) -> None:
    with pytest.raises(AtlasError, match="missing"):
        load_rules(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("landmarks: [unclosed\n", encoding="utf-8")
    with pytest.raises(AtlasError, match="not valid YAML"):
        load_rules(bad)


def test_catalogue_covers_every_muscle_and_names_its_sources() -> None:
    by_muscle = {r.muscle: r for r in RECIPES}
    assert set(by_muscle) == set(MUSCLE_IDS) and len(RECIPES) == len(MUSCLE_IDS)
    keys = {r["key"] for r in load_rules(DATA_FILE)}
    for r in RECIPES:
        assert r.volume_cm3 > 0 and r.source and r.origin_landmark and r.insertion_landmark
        assert r.kind in ("spindle", "sheet", "bundle") and r.shape in (
            "spindle",
            "sheet",
            "landmark",
        )
        for ref in (*r.origin_line, *r.insertion_line, r.extend_origin, r.extend_insertion):
            if ref and "@" not in ref:
                assert ref in keys, f"{r.muscle}: {ref} is not in attachments.yaml"


def test_every_attachment_landmark_has_an_anatomical_name() -> None:
    rules = load_rules(DATA_FILE)
    assert len({r["key"] for r in rules}) == len(rules)
    assert all(len(str(r["name"])) > 5 for r in rules)


def test_rule_errors_in_the_file_name_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "attachments.yaml"
    bad.write_text(
        "landmarks:\n"
        "  - {key: a, name: first, bone: scapula, pick: superior}\n"
        "  - key: b\n"
        "    name: second\n"
        "    between: [a, nowhere]\n",
        encoding="utf-8",
    )
    rules = load_rules(bad)
    with pytest.raises(AtlasError) as info:
        place_attachments(rules, {"scapula_r": _box(-0.2, -0.1)}, file=str(bad))
    assert info.value.line == 3 and "nowhere" in str(info.value)
    assert f"{bad}:3: landmarks[1] (b)" in str(info.value)


def test_malformed_values_are_atlas_errors() -> None:
    rule = {"key": "a", "name": "a", "bone": "scapula", "region": {"superior": [0.5]}}
    with pytest.raises(AtlasError, match="malformed"):
        place_attachments([rule], {"scapula_r": _box(-0.2, -0.1)})


def test_a_recipe_extends_its_path_to_landmarks_at_both_ends() -> None:
    """``extend_origin`` and ``extend_insertion`` add the anatomical attachment before and
    after the model's path (which starts and ends short of them); the path keeps its order."""
    from types import SimpleNamespace

    from anatomy.meshbuild.muscles.attachments import Attachment
    from anatomy.meshbuild.muscles.recipe import Recipe, recipe_fibres

    path = np.array([[0.0, 0.0, 1.0], [0.0, 0.0, 0.9], [0.0, 0.0, 0.8]])
    paths = {"ACT": SimpleNamespace(points=path)}
    marks = {k: Attachment(k, k, np.array(p), "test")
             for k, p in (("up", [0.0, 0.0, 1.1]), ("down", [0.0, 0.0, 0.7]))}  # fmt: skip

    def fibres(**kw: str) -> np.ndarray:
        r = Recipe(
            muscle="m", kind="spindle", shape="spindle", volume_cm3=1.0, source="s",
            origin_landmark="o", insertion_landmark="i", actuators=("ACT",), **kw,
        )  # fmt: skip
        return recipe_fibres(r, paths, marks)[0]

    assert np.allclose(fibres(), path)
    both = fibres(extend_origin="up", extend_insertion="down")
    assert np.allclose(both[:, 2], [1.1, 1.0, 0.9, 0.8, 0.7])
    assert np.allclose(fibres(extend_insertion="down")[:, 2], [1.0, 0.9, 0.8, 0.7])
