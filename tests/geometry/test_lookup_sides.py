"""On the shipped atlas, the side of a spot decides the side of the muscles it ranks."""

from __future__ import annotations

from anatomy.atlas.model import Atlas
from anatomy.frame import BILATERAL_LANDMARKS, MIDLINE_LANDMARKS, SIDES


def test_every_bilateral_landmark_ranks_only_its_own_side(real_atlas: Atlas) -> None:
    for name in BILATERAL_LANDMARKS:
        for side in SIDES:
            hits = real_atlas.lookup(landmark=f"{side}_{name}", top=50)
            assert {h.side for h in hits} <= {side}, (name, side, hits)


def test_mirrored_landmarks_rank_the_same_muscles(real_atlas: Atlas) -> None:
    # the geometry and the zones are left/right mirror images, so are the answers (compared
    # as sets: the order of exact ties may depend on rounding)
    for name in BILATERAL_LANDMARKS:
        left = {(h.muscle, h.trigger_point, h.zone)
                for h in real_atlas.lookup(landmark=f"left_{name}", top=100)}
        right = {(h.muscle, h.trigger_point, h.zone)
                 for h in real_atlas.lookup(landmark=f"right_{name}", top=100)}
        assert left == right, name


def test_midline_landmarks_rank_both_sides_alike(real_atlas: Atlas) -> None:
    for name in MIDLINE_LANDMARKS:
        hits = real_atlas.lookup(landmark=name, top=100)
        per_side = {s: sorted((h.muscle, h.trigger_point) for h in hits if h.side == s)
                    for s in SIDES}
        assert per_side["left"] == per_side["right"], name
