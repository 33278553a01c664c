"""Practice mode for students: "which muscle refers pain here?" and "which is deeper here?".

The app paints one trigger point's referral zone and offers a few muscles to choose from; or
it marks two trigger points over the chest and back and asks under which one the pleura
lies closer to the skin, in this atlas's body. Answers are scored together. Pure Python (no
Panel): :class:`Practice` only picks questions, checks answers and counts;
:class:`anatomy.session.state.AtlasState` paints the zone or places the markers.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

CHOICES_PER_QUESTION = 4


@dataclass(frozen=True)
class Question:
    """One question: the trigger point whose zones are shown, and the muscles offered."""

    muscle: str
    trigger_point: str
    side: str
    choices: tuple[str, ...]  # muscle ids, the right one among them


# Two points whose pleura depths differ by less than this are not asked about: the model's
# millimetres are not that exact.
MIN_DEPTH_GAP_MM = 8.0


@dataclass(frozen=True)
class DepthQuestion:
    """Under which of two trigger points does the pleura lie closer to the skin?

    ``points`` are ``(muscle id, trigger point id)``; ``depths_mm`` the model's skin-to-pleura
    depth straight in at each. Choices are the points' keys, ``"muscle/trigger point"``.
    """

    points: tuple[tuple[str, str], tuple[str, str]]
    side: str
    depths_mm: tuple[float, float]

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(f"{m}/{tp}" for m, tp in self.points)

    @property
    def right(self) -> str:
        """The key of the point with the shallower pleura."""
        return self.choices[0 if self.depths_mm[0] < self.depths_mm[1] else 1]


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
    question: Question | DepthQuestion | None = None
    answer: str | None = None  # the muscle the student chose for the current question
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if len({m for m, _, _ in self.pool}) < 2:
            raise ValueError("practice needs trigger points of at least two muscles")
        self._rng = random.Random(self.seed)

    def next_question(self) -> Question:
        """Draw a new question (never the same trigger point twice in a row)."""
        previous = self.question
        last = ((previous.muscle, previous.trigger_point)
                if isinstance(previous, Question) else None)  # fmt: skip
        candidates = [item for item in self.pool if (item[0], item[1]) != last]
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

    def next_depth_question(self, depths: Sequence[tuple[Any, ...]], side: str | None = None,
                            can_pair: Callable[[tuple[Any, ...], tuple[Any, ...]], bool]
                            | None = None) -> DepthQuestion:  # fmt: skip
        """Draw two points from ``depths`` (``(muscle, trigger point, pleura depth mm)``, or
        with a fourth item, the side of the body the point faces: then only points that face
        the same way are paired, so one view shows both) whose pleura depths differ by at
        least ``MIN_DEPTH_GAP_MM``, and that ``can_pair`` accepts (e.g. both seen in one
        view).

        Raises
        ------
        ValueError
            When no such pair exists.
        """
        pairs = [(a, b) for i, a in enumerate(depths) for b in depths[i + 1 :]
                 if a[0] != b[0] and a[3:] == b[3:]
                 and abs(a[2] - b[2]) >= MIN_DEPTH_GAP_MM]  # fmt: skip
        self._rng.shuffle(pairs)
        chosen = next((p for p in pairs if can_pair is None or can_pair(*p)), None)
        if chosen is None:
            raise ValueError("no two points differ enough in depth to ask about")
        a, b = chosen
        if self._rng.random() < 0.5:
            a, b = b, a
        self.question = DepthQuestion(((a[0], a[1]), (b[0], b[1])),
                                      side or self._rng.choice(("left", "right")),
                                      (a[2], b[2]))  # fmt: skip
        self.answer = None
        return self.question

    def pick_side(self) -> str:
        """A side for the next question, from the practice's own random generator."""
        return self._rng.choice(("left", "right"))

    def submit(self, choice: str) -> bool:
        """Score an answer to the current question (a muscle id, or for a depth question a
        point's key); a second answer to the same question is not counted.

        Raises
        ------
        ValueError
            When there is no question, or ``choice`` is not one of its choices.
        """
        if self.question is None:
            raise ValueError("there is no practice question to answer")
        if choice not in self.question.choices:
            raise ValueError(f"{choice!r} is not one of this question's choices")
        muscle = choice
        right = muscle == (self.question.right if isinstance(self.question, DepthQuestion)
                           else self.question.muscle)  # fmt: skip
        if self.answer is None:
            self.answer = muscle
            self.asked += 1
            self.correct += int(right)
        return right

    @property
    def score_text(self) -> str:
        """The score in words, e.g. ``"3 of 4 correct"``."""
        return f"{self.correct} of {self.asked} correct"
