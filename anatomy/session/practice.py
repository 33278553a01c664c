"""Practice mode for students: "which muscle refers pain here?".

The app paints one trigger point's referral zone and offers a few muscles to choose from;
answers are scored. Pure Python (no Panel): :class:`Practice` only picks questions, checks
answers and counts; :class:`anatomy.session.state.AtlasState` paints the zone.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

CHOICES_PER_QUESTION = 4


@dataclass(frozen=True)
class Question:
    """One question: the trigger point whose zones are shown, and the muscles offered."""

    muscle: str
    trigger_point: str
    side: str
    choices: tuple[str, ...]  # muscle ids, the right one among them


@dataclass
class Practice:
    """Question picker and score keeper.

    Parameters
    ----------
    pool
        ``(muscle id, trigger point id, region)`` for every trigger point that may be asked.
    seed
        Seed of the random generator (tests pass one; the app does not).
    """

    pool: Sequence[tuple[str, str, str]]
    seed: int | None = None
    asked: int = 0
    correct: int = 0
    question: Question | None = None
    answer: str | None = None  # the muscle the student chose for the current question
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if len({m for m, _, _ in self.pool}) < 2:
            raise ValueError("practice needs trigger points of at least two muscles")
        self._rng = random.Random(self.seed)

    def next_question(self) -> Question:
        """Draw a new question (never the same trigger point twice in a row)."""
        previous = self.question
        candidates = [
            item
            for item in self.pool
            if previous is None or (item[0], item[1]) != (previous.muscle, previous.trigger_point)
        ]
        muscle, tp, region = self._rng.choice(candidates)
        # Distractors from the same body region first: a guess by region alone should not work.
        same = sorted({m for m, _, r in self.pool if r == region and m != muscle})
        other = sorted({m for m, _, r in self.pool if r != region and m != muscle})
        self._rng.shuffle(same)
        self._rng.shuffle(other)
        choices = [muscle, *(same + other)[: CHOICES_PER_QUESTION - 1]]
        self._rng.shuffle(choices)
        self.question = Question(muscle, tp, self._rng.choice(("left", "right")), tuple(choices))
        self.answer = None
        return self.question

    def submit(self, muscle: str) -> bool:
        """Score an answer to the current question; a second answer to it is not counted.

        Raises
        ------
        ValueError
            When there is no question, or ``muscle`` is not one of its choices.
        """
        if self.question is None:
            raise ValueError("there is no practice question to answer")
        if muscle not in self.question.choices:
            raise ValueError(f"{muscle!r} is not one of this question's choices")
        right = muscle == self.question.muscle
        if self.answer is None:
            self.answer = muscle
            self.asked += 1
            self.correct += int(right)
        return right

    @property
    def score_text(self) -> str:
        """The score in words, e.g. ``"3 of 4 correct"``."""
        return f"{self.correct} of {self.asked} correct"
