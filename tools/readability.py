"""Reading level of the atlas's patient-mode texts: Flesch reading ease and Flesch-Kincaid grade.

Measures every trigger point's ``patient_text`` and the patient part of every general section
in ``annotations.yaml`` and prints per-record and overall figures (lowest first)::

    python tools/readability.py [annotations.yaml] [--below 60] [--json]

Formulas (Flesch 1948; Kincaid et al. 1975)::

    reading ease = 206.835 - 1.015 * words/sentences - 84.6 * syllables/words
    grade        = 0.39 * words/sentences + 11.8 * syllables/words - 15.59

Public patient leaflets aim for a reading ease of about 60-70 ("plain English", roughly the
reading level of a 12-14 year old). Syllables are counted with the usual English heuristic
(vowel groups, silent final e, -le, -es/-ed endings), which is within a syllable or so on most
words; the figures are for comparing texts, not a verdict on one sentence.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere in the repo

_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n\s*\n|\n\s*[-*]\s")
_VOWELS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """Estimated syllables of one English word (at least 1)."""
    w = word.lower().replace("\u2019", "'").split("'")[0]
    if len(w) <= 3:
        return 1
    if not re.search(r"[^aeiouy]le$", w):
        w = re.sub(r"e$", "", w)  # silent final e ("make"), but "ta-ble", "mus-cle"
    w = re.sub(r"(?<![td])ed$", "d", w)  # "walked", but "want-ed"
    w = re.sub(r"(?<![sxz])(?<!ch)(?<!sh)es$", "s", w)  # "makes", but "stretch-es"
    w = re.sub(r"^y", "", w)
    return max(1, len(_VOWELS.findall(w)))


def plain(text: str) -> str:
    """Text without Markdown markup (emphasis, links, list bullets, headings)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`#>]+", " ", text)
    return text


@dataclass(frozen=True)
class Score:
    """Readability figures of one text."""

    name: str
    words: int
    sentences: int
    syllables: int

    @property
    def reading_ease(self) -> float:
        return (206.835 - 1.015 * self.words / self.sentences
                - 84.6 * self.syllables / self.words)  # fmt: skip

    @property
    def grade(self) -> float:
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59


def score(name: str, text: str) -> Score:
    """Count words, sentences and syllables of ``text`` (list items count as sentences)."""
    body = plain(text)
    words = _WORD.findall(body)
    pieces = [p for p in _SENTENCE_END.split(body) if _WORD.search(p)]
    return Score(name, max(1, len(words)), max(1, len(pieces)), sum(syllables(w) for w in words))


def patient_texts(content: object) -> list[tuple[str, str]]:
    """``(name, text)`` of every patient-mode text: trigger points, then general sections."""
    from anatomy.content.general import Section

    out = [(f"{m.id}/{tp.id}", tp.patient_text) for m, tp in content.trigger_points()]  # type: ignore[attr-defined]
    general = content.general  # type: ignore[attr-defined]
    for field in type(general).model_fields:
        section = getattr(general, field)
        if isinstance(section, Section):
            out.append((f"general/{field}", section.patient))
    return out


def overall(scores: list[Score]) -> Score:
    """All texts pooled as one."""
    return Score("overall", sum(s.words for s in scores), sum(s.sentences for s in scores),
                 sum(s.syllables for s in scores))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("annotations", nargs="?", type=Path, help="default: the shipped file")
    parser.add_argument("--below", type=float, default=None,
                        help="list only records with a reading ease below this")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    from anatomy.content.load import load_content
    from anatomy.errors import AtlasError

    try:
        content = load_content(args.annotations)
    except AtlasError as exc:
        print(f"readability: {exc}", file=sys.stderr)
        return 2
    scores = sorted((score(n, t) for n, t in patient_texts(content)), key=lambda s: s.reading_ease)
    shown = [s for s in scores if args.below is None or s.reading_ease < args.below]
    pooled = overall(scores)
    eases = [s.reading_ease for s in scores]
    if args.json:
        rows = [{**asdict(s), "reading_ease": round(s.reading_ease, 1), "grade": round(s.grade, 1)}
                for s in [*shown, pooled]]  # fmt: skip
        print(json.dumps(rows, indent=1))
        return 0
    print(f"{'record':48s} {'words':>5s} {'ease':>6s} {'grade':>6s}")
    for s in shown:
        print(f"{s.name:48s} {s.words:5d} {s.reading_ease:6.1f} {s.grade:6.1f}")
    print(f"{len(scores)} texts; pooled: reading ease {pooled.reading_ease:.1f}, grade "
          f"{pooled.grade:.1f}; median ease {statistics.median(eases):.1f}, lowest "
          f"{min(eases):.1f}; {sum(e < 60 for e in eases)} below 60")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
