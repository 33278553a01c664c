"""Patient-mode texts stay at a plain reading level (tools/readability.py)."""

from __future__ import annotations

import pytest
from support.scripts import load_script

readability = load_script("tools/readability.py")

# Public patient leaflets aim for a Flesch reading ease of about 60-70 or more.
POOLED_MIN = 70.0
RECORD_MIN = 55.0


@pytest.mark.parametrize(
    ("word", "count"),
    [("cat", 1), ("muscle", 2), ("table", 2), ("shoulder", 2), ("walked", 1),
     ("wanted", 2), ("stretches", 2), ("makes", 1), ("alternating", 4), ("people", 2)],
)  # fmt: skip
def test_syllable_counts(word: str, count: int) -> None:
    assert readability.syllables(word) == count


def test_the_flesch_formulas() -> None:
    s = readability.score("x", "The cat sat on the mat.")  # 6 words, 1 sentence, 6 syllables
    assert (s.words, s.sentences, s.syllables) == (6, 1, 6)
    assert s.reading_ease == pytest.approx(206.835 - 1.015 * 6 - 84.6)
    assert s.grade == pytest.approx(0.39 * 6 + 11.8 - 15.59)
    hard = readability.score("y", "Musculoskeletal manifestations necessitate comprehensive "
                                  "multidisciplinary evaluation.")  # fmt: skip
    assert hard.reading_ease < 0 < s.reading_ease


def test_markdown_lists_count_as_sentences() -> None:
    s = readability.score("x", "Try this:\n\n- rest the arm\n- use heat")
    assert s.sentences == 3


def test_shipped_patient_texts_are_plain() -> None:
    from anatomy.content.load import load_content

    scores = [readability.score(n, t) for n, t in readability.patient_texts(load_content())]
    assert len(scores) > 50
    assert any(s.name.startswith("general/") for s in scores)
    pooled = readability.overall(scores)
    assert pooled.reading_ease >= POOLED_MIN, pooled.reading_ease
    hard = [(s.name, round(s.reading_ease, 1)) for s in scores if s.reading_ease < RECORD_MIN]
    assert not hard, hard


def test_the_tool_prints_per_record_and_overall(capsys: pytest.CaptureFixture[str]) -> None:
    assert readability.main([]) == 0
    out = capsys.readouterr().out
    assert "general/evidence" in out and "pooled: reading ease" in out
