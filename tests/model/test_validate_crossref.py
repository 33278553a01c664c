"""``myoatlas validate`` on broken variants of the synthetic atlas: cross-reference problems.

Schema-level variants (wrong type, missing field, YAML syntax, alias bombs...) are tested with
the content loader; these are the problems only visible with content and geometry together.
Each variant must exit with status 2 and a message naming the file, the line and the key (or,
for a mesh file, the file and the manifest line that lists it) — never a traceback.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from synthetic_atlas import line_of, write_atlas

from anatomy.cli import main


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template")
    write_atlas(root)
    return root


@pytest.fixture
def atlas_files(template: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A fresh copy of the synthetic atlas for one test to break."""
    shutil.copytree(template, tmp_path, dirs_exist_ok=True)
    return tmp_path / "annotations.yaml", tmp_path / "meshes"


def validate(ann: Path, meshes: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["validate", str(ann), "--meshes", str(meshes)])
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    return code, out.err


def edit_json(path: Path, edit: Callable[[dict], None]) -> None:
    doc = json.loads(path.read_text())
    edit(doc)
    path.write_text(json.dumps(doc, indent=1))


def manifest_entry(doc: dict, mesh_id: str) -> dict:
    return next(e for e in doc["meshes"] if e["id"] == mesh_id)


def shift_centreline(meshes: Path, mesh_id: str, dy: float) -> None:
    """Move a muscle's centreline in the manifest by ``dy`` metres along +y (posterior)."""
    def edit(doc: dict) -> None:
        entry = manifest_entry(doc, mesh_id)
        entry["centreline"] = np.add(entry["centreline"], [0.0, dy, 0.0]).tolist()

    edit_json(meshes / "manifest.json", edit)


def assert_located(err: str, file: Path, line: int, key: str, *words: str) -> None:
    pattern = rf"{re.escape(str(file))}:{line}: {re.escape(key)}: "
    assert re.search(pattern, err), f"expected {file}:{line}: {key}: in\n{err}"
    for word in words:
        assert word in err, f"{word!r} not in\n{err}"


SOLEUS_TP = "muscles[1].trigger_points[0]"


def soleus_line(ann: Path, needle: str) -> int:
    return line_of(ann, needle, start=line_of(ann, "- id: soleus"))


def test_the_unbroken_synthetic_atlas_validates(atlas_files, capsys) -> None:  # type: ignore[no-untyped-def]
    ann, meshes = atlas_files
    assert main(["validate", str(ann), "--meshes", str(meshes)]) == 0
    out = capsys.readouterr().out
    assert "OK" in out and "2 muscle records" in out and "4 muscle meshes" in out


def test_record_maps_a_muscle_the_geometry_lacks(atlas_files, capsys) -> None:  # type: ignore[no-untyped-def]
    ann, meshes = atlas_files
    ann.write_text(ann.read_text().replace("meshes: [soleus]", "meshes: [soleus, gastrocnemius]"))
    code, err = validate(ann, meshes, capsys)
    assert code == 2
    assert_located(err, ann, soleus_line(ann, "meshes: [soleus"), "muscles[1].meshes[1]",
                   "no left or right mesh for 'gastrocnemius'")


def test_record_missing_one_mesh_side(atlas_files, capsys) -> None:  # type: ignore[no-untyped-def]
    ann, meshes = atlas_files
    edit_json(meshes / "manifest.json",
              lambda d: d["meshes"].remove(manifest_entry(d, "soleus_right")))
    code, err = validate(ann, meshes, capsys)
    assert code == 2
    assert_located(err, ann, soleus_line(ann, "meshes: [soleus]"), "muscles[1].meshes[0]",
                   "no right mesh for 'soleus'")


def test_geometry_muscle_without_content(atlas_files, capsys) -> None:  # type: ignore[no-untyped-def]
    ann, meshes = atlas_files
    text = ann.read_text()
    start, end = text.index("  - id: soleus"), text.index("general:")
    ann.write_text(text[:start] + text[end:])
    code, err = validate(ann, meshes, capsys)
    assert code == 2
    assert_located(err, ann, line_of(ann, "muscles:"), "muscles",
                   "no muscle record maps the geometry muscle 'soleus'")


def test_trigger_point_centreline_far_from_its_muscle(atlas_files, capsys) -> None:  # type: ignore[no-untyped-def]
    ann, meshes = atlas_files
    # the build's centreline for left soleus now runs 4 cm behind the muscle
    shift_centreline(meshes, "soleus_left", 0.07)
    ann.write_text(ann.read_text().replace("along: 0.6, toward: posterior",
                                           "along: 0.6, toward: anterior"))
    code, err = validate(ann, meshes, capsys)
    assert code == 2
    assert_located(err, ann, soleus_line(ann, "position:"), f"{SOLEUS_TP}.position.along",
                   "left side", "mm outside the muscle")
    assert re.search(r"lies 40\.\d mm outside the muscle", err)


def test_trigger_point_just_off_its_muscle_is_accepted(atlas_files, capsys) -> None:  # type: ignore[no-untyped-def]
    ann, meshes = atlas_files
    # 2 mm outside the 3 cm tube, pushing away from it: the point snaps onto the surface
    shift_centreline(meshes, "soleus_right", 0.032)
    shift_centreline(meshes, "soleus_left", 0.032)
    code, err = validate(ann, meshes, capsys)
    assert code == 0, err


def test_trigger_point_pushed_from_far_outside_its_muscle(atlas_files, capsys) -> None:  # type: ignore[no-untyped-def]
    ann, meshes = atlas_files
    shift_centreline(meshes, "soleus_right", 0.07)  # 4 cm behind the muscle, pushing posterior
    code, err = validate(ann, meshes, capsys)
    assert code == 2
    assert_located(err, ann, soleus_line(ann, "position:"), f"{SOLEUS_TP}.position.along",
                   "right side", "mm outside the muscle", "would not sit on the muscle")
    assert re.search(r"lies 40\.\d mm outside the muscle", err)


def test_trigger_point_on_another_records_mesh(atlas_files, capsys) -> None:  # type: ignore[no-untyped-def]
    ann, meshes = atlas_files
    ann.write_text(ann.read_text().replace("{mesh: soleus,", "{mesh: upper_trapezius,"))
    code, err = validate(ann, meshes, capsys)
    assert code == 2
    assert_located(err, ann, soleus_line(ann, "position:"), f"{SOLEUS_TP}.position.mesh",
                   "not one of this record's meshes")


def test_zone_that_resolves_to_no_skin(atlas_files, capsys) -> None:  # type: ignore[no-untyped-def]
    ann, meshes = atlas_files
    # the build put right_heel on a vertex of the left leg: the right zone has no skin left
    def move(doc: dict) -> None:
        lms = {lm["name"]: lm for lm in doc["landmarks"]}
        lms["right_heel"]["vertex"] = lms["left_heel"]["vertex"]
    edit_json(meshes / "landmarks.json", move)
    code, err = validate(ann, meshes, capsys)
    assert code == 2
    assert_located(err, ann, soleus_line(ann, "landmark: heel"), f"{SOLEUS_TP}.essential[0]",
                   "right side", "covers no skin")


def test_zone_landmark_missing_from_landmarks_json(atlas_files, capsys) -> None:  # type: ignore[no-untyped-def]
    ann, meshes = atlas_files
    edit_json(meshes / "landmarks.json", lambda d: d.update(
        landmarks=[lm for lm in d["landmarks"] if lm["name"] != "left_calf"]))
    code, err = validate(ann, meshes, capsys)
    assert code == 2
    assert_located(err, ann, soleus_line(ann, "landmark: calf"),
                   f"{SOLEUS_TP}.spillover[0].landmark", "'left_calf' is not in",
                   "landmarks.json")


def test_missing_mesh_file(atlas_files, capsys) -> None:  # type: ignore[no-untyped-def]
    ann, meshes = atlas_files
    (meshes / "muscles/upper_trapezius_left.npz").unlink()
    code, err = validate(ann, meshes, capsys)
    assert code == 2
    line = line_of(meshes / "manifest.json", '"id": "upper_trapezius_left"')
    assert f"{meshes / 'muscles/upper_trapezius_left.npz'}: mesh file is missing" in err
    assert f"manifest.json:{line}" in err


def test_corrupt_mesh_file(atlas_files, capsys) -> None:  # type: ignore[no-untyped-def]
    ann, meshes = atlas_files
    path = meshes / "muscles/soleus_left.npz"
    data = bytearray(path.read_bytes())
    data[40:80] = b"\x00" * 40  # damage the compressed stream
    path.write_bytes(bytes(data))
    import hashlib

    digest = hashlib.sha256(bytes(data)).hexdigest()  # a manifest rebuilt over a broken file
    edit_json(meshes / "manifest.json",
              lambda d: manifest_entry(d, "soleus_left").update(sha256=digest))
    code, err = validate(ann, meshes, capsys)
    assert code == 2
    line = line_of(meshes / "manifest.json", '"id": "soleus_left"')
    assert f"{path}: mesh file is corrupt" in err and f"manifest.json:{line}" in err


def test_mesh_file_sha256_mismatch(atlas_files, capsys) -> None:  # type: ignore[no-untyped-def]
    ann, meshes = atlas_files
    a, b = meshes / "muscles/soleus_left.npz", meshes / "muscles/soleus_right.npz"
    a.write_bytes(b.read_bytes())  # a valid mesh, but not this one
    code, err = validate(ann, meshes, capsys)
    assert code == 2
    assert f"{a}: file content does not match the manifest: sha256" in err
    assert "'soleus_left'" in err


def test_manifest_counts_mismatch(atlas_files, capsys) -> None:  # type: ignore[no-untyped-def]
    ann, meshes = atlas_files
    edit_json(meshes / "manifest.json",
              lambda d: manifest_entry(d, "upper_trapezius_right").update(triangles=12))
    code, err = validate(ann, meshes, capsys)
    assert code == 2
    assert f"{meshes / 'muscles/upper_trapezius_right.npz'}: mesh has " in err
    assert "manifest says" in err and "12" in err


def test_manifest_with_an_unknown_kind(atlas_files, capsys) -> None:  # type: ignore[no-untyped-def]
    ann, meshes = atlas_files
    edit_json(meshes / "manifest.json", lambda d: d["meshes"][1].update(kind="cartilage"))
    code, err = validate(ann, meshes, capsys)
    assert code == 2
    line = line_of(meshes / "manifest.json", '"id": "bone_femur_left"')
    assert f"{meshes / 'manifest.json'}:{line}: meshes[1].kind: unknown kind 'cartilage'" in err


def test_manifest_with_a_duplicate_id(atlas_files, capsys) -> None:  # type: ignore[no-untyped-def]
    ann, meshes = atlas_files
    edit_json(meshes / "manifest.json", lambda d: d["meshes"].append(dict(d["meshes"][1])))
    code, err = validate(ann, meshes, capsys)
    assert code == 2
    n = len(json.loads((meshes / "manifest.json").read_text())["meshes"]) - 1
    assert re.search(rf"manifest\.json:\d+: meshes\[{n}\]\.id: duplicate mesh id "
                     r"'bone_femur_left'", err)


def test_landmark_on_a_vertex_the_skin_lacks(atlas_files, capsys) -> None:  # type: ignore[no-untyped-def]
    ann, meshes = atlas_files
    edit_json(meshes / "landmarks.json", lambda d: d["landmarks"][0].update(vertex=-4))
    code, err = validate(ann, meshes, capsys)
    assert code == 2
    name = json.loads((meshes / "landmarks.json").read_text())["landmarks"][0]["name"]
    line = line_of(meshes / "landmarks.json", f'"{name}"')
    assert f"landmarks.json:{line}: landmarks[0].vertex: landmark {name!r}" in err


def test_missing_manifest(atlas_files, capsys) -> None:  # type: ignore[no-untyped-def]
    ann, meshes = atlas_files
    (meshes / "manifest.json").unlink()
    code, err = validate(ann, meshes, capsys)
    assert code == 2 and f"{meshes / 'manifest.json'}: manifest is missing" in err


def test_every_problem_is_reported_not_just_the_first(atlas_files, capsys) -> None:  # type: ignore[no-untyped-def]
    ann, meshes = atlas_files
    ann.write_text(ann.read_text().replace("meshes: [soleus]", "meshes: [soleus, gastrocnemius]"))
    edit_json(meshes / "landmarks.json", lambda d: d.update(
        landmarks=[lm for lm in d["landmarks"] if lm["name"] != "right_occiput"]))
    code, err = validate(ann, meshes, capsys)
    assert code == 2
    assert "gastrocnemius" in err and "'right_occiput' is not in" in err
    assert "2 problems" in err
    assert "[check: muscle_meshes_exist]" in err and "[check: landmarks_exist]" in err


def test_validate_runs_as_a_process_without_traceback(atlas_files) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    ann, meshes = atlas_files
    (meshes / "muscles/soleus_left.npz").write_bytes(b"junk")
    proc = subprocess.run([sys.executable, "-m", "anatomy.cli", "validate", str(ann),
                           "--meshes", str(meshes)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "soleus_left.npz" in proc.stderr


def test_load_atlas_raises_every_problem_located(atlas_files) -> None:  # type: ignore[no-untyped-def]
    from anatomy.atlas.checks import CHECKS
    from anatomy.atlas.model import load_atlas
    from anatomy.errors import AtlasProblems

    ann, meshes = atlas_files
    ann.write_text(ann.read_text().replace("meshes: [soleus]", "meshes: [soleus, gastrocnemius]"))
    shift_centreline(meshes, "upper_trapezius_left", 0.2)
    with pytest.raises(AtlasProblems) as err:
        load_atlas(ann, meshes)
    keys = [p.key for p in err.value.problems]
    assert keys == ["muscles[1].meshes[1]", "muscles[0].trigger_points[0].position.along"]
    assert "mm outside the muscle" in err.value.problems[1].message
    assert err.value.file == str(ann) and err.value.line == soleus_line(ann, "meshes: [soleus")
    assert len(CHECKS) == 9 and all(check.__doc__ for check in CHECKS)
    load_atlas(ann, meshes, check=False)  # loading without the checks still works


def test_landmark_on_the_wrong_side_of_the_body(atlas_files, capsys) -> None:  # type: ignore[no-untyped-def]
    ann, meshes = atlas_files
    path = meshes / "landmarks.json"

    def swap(doc: dict) -> None:  # the build mixed up left and right for one landmark
        lms = {lm["name"]: lm for lm in doc["landmarks"]}
        for key in ("position", "vertex"):
            lms["left_calf"][key], lms["right_calf"][key] = (lms["right_calf"][key],
                                                             lms["left_calf"][key])
    edit_json(path, swap)
    code, err = validate(ann, meshes, capsys)
    assert code == 2
    names = [lm["name"] for lm in json.loads(path.read_text())["landmarks"]]
    i = names.index("left_calf")
    assert f"{path}:{line_of(path, 'left_calf')}: landmarks[{i}].position: 'left_calf' lies " \
           "at x = -" in err and "on the other side of the body" in err


def test_landmark_away_from_its_skin_vertex(atlas_files, capsys) -> None:  # type: ignore[no-untyped-def]
    ann, meshes = atlas_files
    path = meshes / "landmarks.json"
    edit_json(path, lambda d: d["landmarks"][0].update(vertex=d["landmarks"][1]["vertex"]))
    code, err = validate(ann, meshes, capsys)
    assert code == 2
    name = json.loads(path.read_text())["landmarks"][0]["name"]
    assert f"{path}:{line_of(path, name)}: landmarks[0].vertex: {name!r} lies " in err
    assert "mm from its skin vertex" in err


def test_a_bad_record_is_reported_once_by_load_atlas_and_validate(atlas_files, capsys) -> None:  # type: ignore[no-untyped-def]
    from anatomy.atlas.model import load_atlas
    from anatomy.errors import AtlasProblems

    ann, meshes = atlas_files
    ann.write_text(ann.read_text().replace("{mesh: soleus,", "{mesh: upper_trapezius,"))
    with pytest.raises(AtlasProblems) as err:
        load_atlas(ann, meshes)
    [problem] = err.value.problems
    assert problem.key == f"{SOLEUS_TP}.position.mesh"
    assert problem.line == soleus_line(ann, "position:")
    code, out = validate(ann, meshes, capsys)
    assert code == 2 and out.count("not one of this record's meshes") == 1
    assert "[check: positions_on_own_meshes]" in out and "problems" not in out


def test_each_content_rule_runs_once_per_load(atlas_files, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from collections import Counter

    from anatomy.atlas.model import load_atlas
    from anatomy.content import checks

    calls: Counter[str] = Counter()

    def counted(rule):  # type: ignore[no-untyped-def]
        def run(content):  # type: ignore[no-untyped-def]
            calls[rule.__name__] += 1
            return rule(content)

        run.__name__ = rule.__name__
        return run

    names = [rule.__name__ for rule in checks.RULES]
    monkeypatch.setattr(checks, "RULES", tuple(counted(rule) for rule in checks.RULES))
    ann, meshes = atlas_files
    load_atlas(ann, meshes)
    assert calls == dict.fromkeys(names, 1)
    calls.clear()
    code, _ = validate(ann, meshes, capsys)
    assert code == 0 and calls == dict.fromkeys(names, 1)
