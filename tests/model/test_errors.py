"""The project's error types: one problem, or every problem of one validation pass."""

from __future__ import annotations

import pytest

from anatomy.errors import AtlasError, AtlasProblems, did_you_mean


def test_an_atlas_error_names_file_line_and_key() -> None:
    err = AtlasError("must be between 0 and 1", file="a.yaml", line=12, key="muscles[0].id")
    assert isinstance(err, ValueError)
    assert str(err) == "a.yaml:12: muscles[0].id: must be between 0 and 1"
    assert AtlasError("bad", key="points").located() == "points: bad"
    assert AtlasError("bad").check is None


def test_atlas_problems_carries_every_problem_in_order() -> None:
    first = AtlasError("first", file="a.yaml", line=9, key="x", check="rule_a")
    second = AtlasError("second", file="meshes/landmarks.json", line=3, key="landmarks[0]")
    err = AtlasProblems([first, second])
    assert isinstance(err, AtlasError) and isinstance(err, ValueError)
    assert err.problems == [first, second]
    assert (err.file, err.line, err.key, err.message, err.check) == (
        "a.yaml", 9, "x", "first", "rule_a")
    assert str(err).splitlines() == [
        "a.yaml:9: x: first", "meshes/landmarks.json:3: landmarks[0]: second"]


def test_atlas_problems_needs_a_problem() -> None:
    with pytest.raises(ValueError, match="at least one"):
        AtlasProblems([])


def test_did_you_mean() -> None:
    assert did_you_mean("heal", ("heel", "temple")) == "; did you mean 'heel'?"
    assert did_you_mean("zzz", ["heel"]) == ""
