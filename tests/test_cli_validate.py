"""``myoatlas validate``: the shipped atlas validates whole; arguments and output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from anatomy.cli import main

Files = tuple[Path, Path]


def test_the_shipped_atlas_validates_whole(
        real_files: Files, capsys: pytest.CaptureFixture[str]) -> None:
    ann, _ = real_files
    code = main(["validate"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert f"{ann}: OK" in out.out
    assert "checks:  9 passed" in out.out


def test_the_shipped_atlas_covers_every_geometry_muscle(real_atlas) -> None:  # type: ignore[no-untyped-def]
    from anatomy.frame import MUSCLE_IDS, SIDES

    mapped = {mesh for m in real_atlas.content.muscles for mesh in m.meshes}
    assert set(MUSCLE_IDS) <= mapped
    for muscle in MUSCLE_IDS:
        for side in SIDES:
            assert real_atlas.meshes.has_muscle(muscle, side), (muscle, side)
    for record, tp in real_atlas.content.trigger_points():
        for side in SIDES:
            assert len(real_atlas.zone_vertices(record.id, tp.id, side, "essential")) > 0


def test_a_broken_copy_of_the_shipped_atlas_fails_located(
        real_files: Files, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ann, meshes = real_files
    shutil.copytree(meshes, tmp_path / "meshes")
    victim = next((tmp_path / "meshes" / "muscles").glob("*.npz"))
    victim.write_bytes(victim.read_bytes()[:100])  # truncated
    code = main(["validate", str(ann), "--meshes", str(tmp_path / "meshes")])
    err = capsys.readouterr().err
    assert code == 2 and str(victim) in err and "manifest.json:" in err


def test_validate_summary_counts(tiny_files: Files, capsys: pytest.CaptureFixture[str]) -> None:
    ann, meshes = tiny_files
    assert main(["validate", str(ann), "--meshes", str(meshes)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{ann}: OK"
    assert "2 muscle records, 2 trigger points" in out[1] and "4 referral zones" in out[1]
    assert "1 skin, 1 bones, 4 muscle meshes (2 muscles), 13 landmarks" in out[2]


def test_validate_a_missing_annotations_file(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", str(tmp_path / "nope.yaml")])
    err = capsys.readouterr().err
    assert code == 2 and f"{tmp_path / 'nope.yaml'}: cannot read the file" in err


def test_validate_a_missing_meshes_directory(tiny_files: Files, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    ann, _ = tiny_files
    code = main(["validate", str(ann), "--meshes", str(tmp_path / "elsewhere")])
    err = capsys.readouterr().err
    assert code == 2 and "manifest is missing" in err
