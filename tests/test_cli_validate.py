"""``myoatlas validate``: the shipped atlas validates whole; arguments and output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from synthetic_atlas import write_atlas

from anatomy.cli import main
from anatomy.paths import default_annotations_path, default_meshes_dir


def _shipped() -> tuple[Path, Path]:
    ann, meshes = default_annotations_path(), default_meshes_dir()
    if not ann.is_file() or not (meshes / "manifest.json").is_file():
        pytest.skip("annotations.yaml or meshes/ not built yet")
    return ann, meshes


def test_the_shipped_atlas_validates_whole(capsys: pytest.CaptureFixture[str]) -> None:
    ann, _ = _shipped()
    code = main(["validate"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert f"{ann}: OK" in out.out
    assert "checks:  9 passed" in out.out


def test_the_shipped_atlas_covers_every_geometry_muscle() -> None:
    from anatomy.atlas.model import load_atlas
    from anatomy.frame import MUSCLE_IDS, SIDES

    _shipped()
    atlas = load_atlas(check=False)  # coverage only; the checks are the test above
    mapped = {mesh for m in atlas.content.muscles for mesh in m.meshes}
    assert set(MUSCLE_IDS) <= mapped
    for muscle in MUSCLE_IDS:
        for side in SIDES:
            assert atlas.meshes.has_muscle(muscle, side), (muscle, side)
    for record, tp in atlas.content.trigger_points():
        for side in SIDES:
            assert len(atlas.zone_vertices(record.id, tp.id, side, "essential")) > 0


def test_a_broken_copy_of_the_shipped_atlas_fails_located(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ann, meshes = _shipped()
    shutil.copytree(meshes, tmp_path / "meshes")
    victim = next((tmp_path / "meshes" / "muscles").glob("*.npz"))
    victim.write_bytes(victim.read_bytes()[:100])  # truncated
    code = main(["validate", str(ann), "--meshes", str(tmp_path / "meshes")])
    err = capsys.readouterr().err
    assert code == 2 and str(victim) in err and "manifest.json:" in err


def test_validate_summary_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ann, meshes = write_atlas(tmp_path)
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


def test_validate_a_missing_meshes_directory(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    ann, _ = write_atlas(tmp_path)
    code = main(["validate", str(ann), "--meshes", str(tmp_path / "elsewhere")])
    err = capsys.readouterr().err
    assert code == 2 and "manifest is missing" in err
