"""The shape report: surface distance, axis, length and volume against a reference anatomy."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from anatomy.cli import main
from anatomy.meshbuild.muscles.reference import Part, surface_centroid
from anatomy.meshbuild.muscles.shape import (
    TARGETS,
    ShapeRow,
    extent_along_axis,
    format_shape_report,
    mean_surface_distance,
    measure_shapes,
    random_surface_points,
    target_check,
)

REPO = Path(__file__).resolve().parents[2]
GLB = REPO.parent / "shared" / "reference" / "zanatomy-muscles" / "muscles-reference.glb"


def _box(size: tuple[float, float, float], centre: tuple[float, float, float]) -> np.ndarray:
    import trimesh

    box = trimesh.creation.box(extents=size)
    return np.asarray(box.vertices[box.faces] + np.asarray(centre), float)


def test_surface_points_are_spread_by_area_and_reproducible():
    tri = _box((0.1, 0.01, 0.01), (0, 0, 0))
    pts = random_surface_points(tri, 2000)
    assert np.array_equal(pts, random_surface_points(tri, 2000))
    # the two 10 x 10 mm end faces hold about 2 % of a 4,200 mm2 surface
    ends = np.abs(np.abs(pts[:, 0]) - 0.05) < 1e-9
    assert 0.005 < ends.mean() < 0.05


def test_a_shifted_copy_is_as_far_as_the_shift_and_its_length_is_kept():
    a = _box((0.2, 0.04, 0.04), (0, 0, 0))
    b = a + np.array([0.0, 0.0, 0.005])
    # two of the four long faces are 5 mm apart, the other two slide within their planes
    assert 1000 * mean_surface_distance(a, b) == pytest.approx(2.5, rel=0.1)
    assert mean_surface_distance(a, a) < 0.001
    assert extent_along_axis(a) == pytest.approx(0.2, rel=0.01)


def _parts(scale: float = 1.0, long_m2: bool = False) -> dict:  # type: ignore[type-arg]
    parts = {}
    for k, (x, y, z) in enumerate(((0, 0, 0), (0.3, 0.1, 0), (0.6, 0, 0.2), (0, 0.4, 0.5),
                                   (0.5, 0.3, 0.9))):  # fmt: skip
        length = 0.4 if (long_m2 and k == 2) else 0.2
        tri = _box((length, 0.04, 0.04), (x, y, z)) * scale
        parts[(f"m{k}", "right")] = Part(tri, surface_centroid(tri), length * 0.04 * 0.04)
    return parts


def test_a_reference_of_another_size_and_place_is_aligned_away():
    ours = _parts()
    ref = {k: Part(p.triangles * 1.3 + [0.1, -0.2, 0.05], p.centroid * 1.3 + [0.1, -0.2, 0.05],
                   p.volume * 1.3**3) for k, p in ours.items()}  # fmt: skip
    rows = measure_shapes(ours, ref, {"m2": 320.0})
    for r in rows:
        assert r.surface_mm < 1.0 and r.shape_mm < 1.0 and r.axis_deg < 1.0
        assert r.length_ratio == pytest.approx(1.0, rel=0.01)
    by_unit = {r.unit: r for r in rows}
    assert by_unit["m2"].volume_ratio == pytest.approx(1.0)  # 0.2 x 0.04 x 0.04 m = 320 cm3
    assert by_unit["m0"].volume_ratio is None


def test_a_muscle_twice_as_long_as_the_reference_shows_in_length_and_shape():
    rows = {r.unit: r for r in measure_shapes(_parts(), _parts(long_m2=True), {})}
    assert rows["m2"].length_ratio == pytest.approx(0.5, rel=0.05)
    assert rows["m2"].shape_mm > 10 and rows["m1"].shape_mm < rows["m2"].shape_mm


@pytest.mark.slow
@pytest.mark.skipif(not GLB.is_file(), reason="needs ../shared/reference (not in the repo)")
def test_the_report_measures_the_shipped_muscles_against_the_reference(capsys):
    # one run of the command (about a minute), read back from its JSON
    assert main(["mesh-report", "--json", "--reference", str(GLB)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert len(report["rows"]) >= 60
    for field in ("surface_mm", "shape_mm", "axis_deg", "length_ratio", "volume_ratio"):
        assert field in report["summary"]
    s = report["summary"]
    assert 0 < s["shape_mm"]["median"] <= s["surface_mm"]["median"] < 30
    for field in ("axis_deg", "length_ratio", "volume_ratio"):
        assert s[field]["met"] is not bool(s[field]["outside"])
    text = format_shape_report(report)
    assert "median" in text and "surface_mm" in text
    assert "target axis_deg" in text


def test_a_missing_reference_file_is_a_clear_error(tmp_path, capsys):
    assert main(["mesh-report", "--reference", str(tmp_path / "none.glb")]) == 2
    assert "no such reference file" in capsys.readouterr().err


def test_the_targets_name_the_muscles_outside_them_worst_first():
    rows = [ShapeRow("a", "left", 4.0, 3.0, 10.0, 1.0, 1.0),
            ShapeRow("b", "left", 12.0, 9.0, 45.0, 0.5, 1.3),
            ShapeRow("c", "right", 8.0, 4.0, 31.0, 1.45, 0.9)]
    values = {f: np.array([getattr(r, f) for r in rows]) for f in TARGETS}
    assert target_check("surface_mm", rows, values["surface_mm"]) == {
        "target": "median <= 9", "met": True, "outside": []}
    axis = target_check("axis_deg", rows, values["axis_deg"])
    assert axis["target"] == "every muscle <= 30" and not axis["met"]
    assert axis["outside"] == ["b left", "c right"]  # 45 degrees before 31
    length = target_check("length_ratio", rows, values["length_ratio"])
    assert length["outside"] == ["b left", "c right"]  # 0.5 is further from 1 than 1.45
    volume = target_check("volume_ratio", rows, values["volume_ratio"])
    assert volume["target"] == "every muscle >= 0.75 and <= 1.25"
    assert volume["outside"] == ["b left"]
    assert target_check("other", rows, values["axis_deg"]) == {}
