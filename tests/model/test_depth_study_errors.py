"""Broken ``depth_studies`` and ``needle_direction``: each fails naming the file, the line and
the field. A figure's own rules (a number, SD with a mean, a range that runs forwards) are
located at the figure, and the message names the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from model_helpers import MINIMAL, assert_located, line_of, load_error

from anatomy.content.load import load_content

STUDY = """depth_studies:
  - id: trapezius_mri
    source: gattie_2017
    muscle: upper_trapezius
    trigger_point: tp1
    site: Top of the shoulder
    method: MRI of adults
    direction: inferior
    figures:
      - {to: pleura, group: all, n: 30, mean_mm: 56, sd_mm: 9}
      - {to: rib, group: all, range_mm: [20, 40]}
"""
STUDY_AT = "depth_studies[0]"


def write(tmp_path: Path, old: str | None = None, new: str = "") -> tuple[Path, str]:
    """The minimal file with one depth study, ``old`` (once in it) replaced by ``new``."""
    text = MINIMAL.read_text(encoding="utf-8") + STUDY
    if old is not None:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    path = tmp_path / "annotations.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def test_the_study_is_valid(tmp_path: Path) -> None:
    content = load_content(write(tmp_path)[0])
    study = content.depth_studies[0]
    assert (study.muscle, study.trigger_point, study.direction) == ("upper_trapezius", "tp1",
                                                                    "inferior")  # fmt: skip
    assert [f.to for f in study.figures] == ["pleura", "rib"]


def test_unknown_muscle(tmp_path: Path) -> None:
    path, text = write(tmp_path, "    muscle: upper_trapezius\n", "    muscle: upper_trapezus\n")
    assert_located(load_error(path), path, line_of(text, "muscle: upper_trapezus"),
                   f"{STUDY_AT}.muscle", "no muscle record 'upper_trapezus'",
                   "did you mean 'upper_trapezius'")  # fmt: skip


def test_unknown_trigger_point(tmp_path: Path) -> None:
    path, text = write(tmp_path, "    trigger_point: tp1\n", "    trigger_point: tp9\n")
    assert_located(load_error(path), path, line_of(text, "trigger_point: tp9"),
                   f"{STUDY_AT}.trigger_point", "has no trigger point 'tp9'",
                   "it has: tp1")  # fmt: skip


@pytest.mark.parametrize(("old", "new", "figure", "words"), [
    ("{to: rib, group: all, range_mm: [20, 40]}", "{to: rib, group: all, n: 12}", 1,
     ("give at least one figure", "mean_mm", "range_mm")),
    ("{to: pleura, group: all, n: 30, mean_mm: 56, sd_mm: 9}",
     "{to: pleura, group: all, n: 30, median_mm: 56, sd_mm: 9}", 0, ("sd_mm needs mean_mm",)),
    ("range_mm: [20, 40]", "range_mm: [40, 20]", 1, ("range_mm: [40, 20] runs backwards",)),
], ids=["no number", "sd without mean", "backwards range"])  # fmt: skip
def test_a_bad_figure(tmp_path: Path, old: str, new: str, figure: int,
                      words: tuple[str, ...]) -> None:  # fmt: skip
    path, text = write(tmp_path, old, new)
    assert_located(load_error(path), path, line_of(text, new), f"{STUDY_AT}.figures[{figure}]",
                   *words)  # fmt: skip


def test_unknown_direction_in_needle_direction(tmp_path: Path) -> None:
    old = "        risk_class: pneumothorax\n        structures_at_risk:"
    new = ("        risk_class: pneumothorax\n        needle_direction: anterior+sideways\n"
           "        structures_at_risk:")  # fmt: skip
    path, text = write(tmp_path, old, new)
    assert_located(load_error(path), path, line_of(text, "needle_direction:"),
                   "muscles[0].trigger_points[0].needle_direction",
                   "unknown direction 'sideways'", "anterior, posterior")  # fmt: skip


def test_unknown_direction_in_a_study(tmp_path: Path) -> None:
    path, text = write(tmp_path, "    direction: inferior\n", "    direction: downward\n")
    assert_located(load_error(path), path, line_of(text, "direction: downward"),
                   f"{STUDY_AT}.direction", "unknown direction 'downward'")  # fmt: skip


def test_unknown_figure_kind(tmp_path: Path) -> None:
    path, text = write(tmp_path, "{to: rib,", "{to: bone,")
    assert_located(load_error(path), path, line_of(text, "{to: bone,"),
                   f"{STUDY_AT}.figures[1].to", "pleura", "rib")  # fmt: skip
