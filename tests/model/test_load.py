"""The one content loader: validated content plus its line map, problems located and raised once."""

from __future__ import annotations

from pathlib import Path

import pytest
from model_helpers import MINIMAL, line_of, write_variant

from anatomy.content.load import LoadedContent, load_annotations, load_content
from anatomy.errors import AtlasProblems

TP = "muscles[0].trigger_points[0]"


def test_load_annotations_keeps_the_line_of_every_key() -> None:
    loaded = load_annotations(MINIMAL)
    text = MINIMAL.read_text(encoding="utf-8")
    assert isinstance(loaded, LoadedContent) and loaded.path == str(MINIMAL)
    assert loaded.content == load_content(MINIMAL)
    assert loaded.line(("muscles", 0, "id")) == line_of(text, "- id: upper_trapezius")
    # a key path below what the file holds falls back to its deepest written part
    assert loaded.line(("muscles", 0, "trigger_points", 0, "position", "along", 9)) == (
        line_of(text, "position: {mesh"))
    with pytest.raises(AttributeError):
        loaded.path = "other.yaml"  # type: ignore[misc]


def test_a_problem_is_located_by_file_line_and_key() -> None:
    loaded = load_annotations(MINIMAL)
    text = MINIMAL.read_text(encoding="utf-8")
    err = loaded.problem(("muscles", 0, "meshes", 0), "no such mesh", check="a_check")
    assert (err.file, err.line, err.key, err.check) == (
        str(MINIMAL), line_of(text, "meshes: [upper_trapezius]"), "muscles[0].meshes[0]",
        "a_check")
    assert loaded.problem((), "empty").key is None


def test_a_cross_record_problem_comes_once_with_its_rule(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "{mesh: upper_trapezius,", "{mesh: soleus,")
    with pytest.raises(AtlasProblems) as info:
        load_annotations(path)
    [problem] = info.value.problems
    assert problem.key == f"{TP}.position.mesh" and problem.check == "positions_on_own_meshes"
    assert problem.line == line_of(text, "position: {mesh: soleus")


def test_problems_of_one_pass_come_sorted_by_line(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "contested: false",
                               "contested: true")
    text = text.replace("risk_class: pneumothorax\n        structures",
                        "risk_class: cns\n        structures")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AtlasProblems) as info:
        load_annotations(path)
    lines = [p.line for p in info.value.problems]
    assert lines == sorted(lines) and len(lines) == 2
    assert [p.check for p in info.value.problems] == [
        "risk_class_matches_structures", "contested_have_notes"]
