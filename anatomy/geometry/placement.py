"""Placement rules: where the literature puts a trigger point, measured against the skeleton.

A rule names a reference point, a direction and a distance range:

- ``from``: a skin landmark (``lateral_knee``: the skin over the femur's lateral epicondyle) or a
  bone end, ``"<bone> <direction>"`` (``"fibula superior"``: the fibula's highest point, its
  head; ``"scapula inferior"``: the inferior angle). A bone end is the bone's vertex furthest
  that way, on the trigger point's own side of the body.
- ``toward``: a direction (``inferior``, ``medial+posterior``...) or ``any``;
- ``mm``: the range the marker's offset from the reference, measured along ``toward``, must
  lie in (for ``any``, the straight distance);
- ``across_mm`` (optional): how far the marker may lie from the line through the reference
  along ``toward``.

Directions are the body's: ``anterior`` -y, ``posterior`` +y, ``superior`` +z, ``inferior``
-z, ``medial`` toward x = 0, ``lateral`` away from it; ``a+b`` is the normalised sum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anatomy.frame import BODY_DIRECTIONS as DIRECTIONS
from anatomy.frame import FIXED_DIRECTIONS

# A bone end is ambiguous when vertices this far apart (m) reach within TIE_M of as far.
TIE_M = 0.002
TIE_SPREAD_M = 0.04

_FIXED = FIXED_DIRECTIONS


def parse_direction(text: str) -> tuple[str, ...]:
    """The words of a direction such as ``inferior+lateral``; ``ValueError`` if unknown."""
    words = tuple(w.strip() for w in text.split("+"))
    bad = [w for w in words if w not in DIRECTIONS]
    if bad or not words:
        raise ValueError(f"unknown direction {text!r} (use {', '.join(DIRECTIONS)}, "
                         "joined with '+', or 'any')")  # fmt: skip
    return words


def direction_vector(text: str, side: str) -> np.ndarray:
    """The unit vector of a direction on ``side`` (``left`` is +x) of the body."""
    total = np.zeros(3)
    for word in parse_direction(text):
        if word in _FIXED:
            total += _FIXED[word]
        else:
            outward = 1.0 if side == "left" else -1.0
            total += (outward if word == "lateral" else -outward, 0.0, 0.0)
    norm = float(np.linalg.norm(total))
    if norm == 0.0:
        raise ValueError(f"direction {text!r} cancels out")
    return total / norm


def parse_bone_end(text: str) -> tuple[str, str] | None:
    """``("fibula", "superior")`` for ``"fibula superior"``; None for anything else."""
    parts = text.split()
    if len(parts) != 2:
        return None
    return parts[0], parts[1]


def bone_end(vertices: np.ndarray, direction: str, side: str) -> np.ndarray:
    """The vertex of a bone furthest along ``direction`` on ``side`` of the body.

    A midline bone (the spine, the skull) is first cut to that side's half, so
    ``"thoracic_spine lateral"`` is the tip of a transverse process on that side.
    """
    outward = 1.0 if side == "left" else -1.0
    half = vertices[vertices[:, 0] * outward >= 0.0]
    pool = half if len(half) else vertices
    reach = pool @ direction_vector(direction, side)
    best = pool[int(np.argmax(reach))]
    # Two far-apart parts of a bone that reach equally far make the end meaningless
    # (the hip bone's "anterior" is both the ASIS and the pubic symphysis).
    near_best = pool[reach >= reach.max() - TIE_M]
    spread = float(np.linalg.norm(near_best - best, axis=1).max())
    if spread > TIE_SPREAD_M:
        raise ValueError(f"the bone end {direction!r} is ambiguous: points "
                         f"{spread * 1000:.0f} mm apart reach within {TIE_M * 1000:g} mm of "
                         "as far; add a second direction (e.g. anterior+lateral)")  # fmt: skip
    return best.copy()


@dataclass(frozen=True)
class PlacementMeasure:
    """How a marker lies against one rule.

    Attributes
    ----------
    along_mm
        The offset from the reference along the rule's direction (for ``any``, the straight
        distance).
    across_mm
        The distance from the line through the reference along the direction (0 for ``any``).
    """

    along_mm: float
    across_mm: float


def measure(marker: np.ndarray, reference: np.ndarray, toward: str, side: str) -> PlacementMeasure:
    """Measure ``marker`` against ``reference`` along ``toward`` (metres in, millimetres out)."""
    offset = (np.asarray(marker, float) - np.asarray(reference, float)) * 1000.0
    if toward == "any":
        return PlacementMeasure(float(np.linalg.norm(offset)), 0.0)
    unit = direction_vector(toward, side)
    along = float(offset @ unit)
    across = float(np.linalg.norm(offset - along * unit))
    return PlacementMeasure(along, across)


def judge(mm: list[float], across_mm: float | None, toward: str,
          got: PlacementMeasure) -> str:  # fmt: skip
    """Why ``got`` breaks a rule, in words; empty when it meets it."""
    lo, hi = mm
    what = "lies" if toward == "any" else f"lies {toward} by"
    if not lo <= got.along_mm <= hi:
        return f"{what} {got.along_mm:.0f} mm (the rule asks {lo:g} to {hi:g} mm)"
    if across_mm is not None and got.across_mm > across_mm:
        return (f"lies {got.across_mm:.0f} mm off the line {toward} (the rule allows "
                f"{across_mm:g} mm)")
    return ""
