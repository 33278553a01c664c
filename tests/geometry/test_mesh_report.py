"""The committed meshes/ against the geometry issue's thresholds (``myoatlas mesh-report``)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from anatomy.cli import main
from anatomy.frame import MUSCLE_IDS, SIDES
from anatomy.geometry.report import measure
from anatomy.geometry.solid import inside_mask, is_watertight, winding_numbers


@pytest.fixture(scope="module")
def report() -> dict:
    return measure()


def _muscles(report: dict) -> list[dict]:
    return [r for r in report["meshes"] if r["kind"] == "muscle"]


def _failures(rows: list[dict], key: str, ok) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{r['id']}: {r[key]}" for r in rows if not ok(r[key])]


def test_every_muscle_on_both_sides(report: dict) -> None:
    have = {(r["muscle"], r["side"]) for r in _muscles(report)}
    missing = [f"{m}_{s}" for m in MUSCLE_IDS for s in SIDES if (m, s) not in have]
    assert not missing


def test_every_mesh_closed(report: dict) -> None:
    assert not [r["id"] for r in _muscles(report) if not r["watertight"]]
    assert [r["watertight"] for r in report["meshes"] if r["kind"] == "skin"] == [True]


def test_muscles_inside_skin(report: dict) -> None:
    assert not _failures(_muscles(report), "inside_skin_fraction", lambda v: v >= 0.98)


def test_muscle_surfaces_inside_skin(report: dict) -> None:
    """Stricter than the vertex count: long triangles must not cut through the skin either."""
    low = [s for s in report["surface_inside_skin"] if s["fraction"] < 0.95]
    assert not low


def test_muscles_do_not_sink_into_bone(report: dict) -> None:
    assert not _failures(_muscles(report), "bone_penetration_p95_mm", lambda v: v <= 3.0)


def test_muscles_reach_their_attachments(report: dict) -> None:
    rows = _muscles(report)
    bad = _failures(rows, "origin_error_mm", lambda v: v <= 15.0)
    bad += _failures(rows, "insertion_error_mm", lambda v: v <= 15.0)
    assert not bad


def test_left_and_right_mirror(report: dict) -> None:
    assert len(report["mirror"]) == len(MUSCLE_IDS)
    assert not [m for m in report["mirror"] if m["mirror_gap_mm"] > 5.0]


def test_skeleton_inside_skin(report: dict) -> None:
    assert report["totals"]["bone_vertices_inside_skin_fraction"] >= 0.995


def test_budgets(report: dict) -> None:
    totals = report["totals"]
    assert totals["triangles"] <= 400_000
    assert totals["bytes"] <= 15_000_000
    assert totals["max_muscle_triangles"] <= 8_000


def test_json_output_shape(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, report: dict
) -> None:
    import anatomy.geometry.report as module

    monkeypatch.setattr(module, "measure", lambda meshes=None: report)
    assert main(["mesh-report", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps(report))
    assert main(["mesh-report"]) == 0
    assert "bone vertices inside the skin" in capsys.readouterr().out
    keys = {"id", "kind", "muscle", "side", "path", "triangles", "watertight",
            "inside_skin_fraction", "bone_penetration_p95_mm", "origin_error_mm",
            "insertion_error_mm"}  # fmt: skip
    assert all(set(r) == keys for r in printed["meshes"])
    assert all(r["path"].startswith("meshes/") for r in printed["meshes"])


def test_pleura_section(report: dict, capsys: pytest.CaptureFixture[str],
                        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """The report measures each side's pleura and lung (thresholds: test_pleura_report.py)."""
    import anatomy.geometry.report as module

    assert [r["id"] for r in report["pleura"]] == [
        "pleura_left", "pleura_right", "lung_left", "lung_right"]  # fmt: skip
    organs = [r for r in report["meshes"] if r["kind"] == "organ"]
    assert report["totals"]["counts"]["organ"] == len(organs) >= 4
    monkeypatch.setattr(module, "measure", lambda meshes=None: report)
    assert main(["mesh-report"]) == 0
    table = capsys.readouterr().out
    assert "pleura and lungs" in table and "apex" in table and "pleura_right" in table


def _cube(lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
    v = np.array([[x, y, z] for x in (lo, hi) for y in (lo, hi) for z in (lo, hi)], float)
    f = np.array([[0, 1, 3], [0, 3, 2], [4, 6, 7], [4, 7, 5], [0, 4, 5], [0, 5, 1],
                  [2, 3, 7], [2, 7, 6], [0, 2, 6], [0, 6, 4], [1, 5, 7], [1, 7, 3]])  # fmt: skip
    return v, f


def test_winding_counts_overlaps_once_inside() -> None:
    a_v, a_f = _cube(0.0, 1.0)
    b_v, b_f = _cube(0.5, 1.5)
    v = np.vstack([a_v, b_v])
    f = np.vstack([a_f, b_f + 8])
    pts = np.array([[0.25, 0.25, 0.25], [0.75, 0.75, 0.75], [1.25, 1.25, 1.25], [2.0, 2, 2]])
    assert winding_numbers(pts, v, f).tolist() == [1, 2, 1, 0]
    assert inside_mask(pts, v, f).tolist() == [True, True, True, False]
    assert is_watertight(a_f)
    assert not is_watertight(a_f[:-1])
    assert not is_watertight(np.vstack([a_f[:-1], a_f[-1:, ::-1]]))


def test_missing_meshes_directory_is_reported(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert main(["mesh-report", "--meshes", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "manifest.json" in err and "Traceback" not in err
