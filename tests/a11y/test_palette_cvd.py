"""The palette stays distinguishable under simulated colour-vision deficiencies."""

from __future__ import annotations

import itertools

import pytest

from anatomy.scene import palette
from anatomy.scene.colourvision import VISIONS, ciede2000, delta_e, hex_to_rgb, simulate


def test_ciede2000_matches_sharmas_published_test_pairs() -> None:
    # Sharma, Wu & Dalal (2005), table 1, pairs 1, 2, 4 and 7.
    cases = [
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 3.1571, -77.2803), (50.0, 0.0, -82.7485), 2.8615),
        ((50.0, -1.3802, -84.2814), (50.0, 0.0, -82.7485), 1.0000),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ]
    for lab1, lab2, expected in cases:
        assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def test_the_simulation_confuses_what_each_deficiency_confuses() -> None:
    # Red and green collapse for protan/deutan viewers, blue and green for tritan viewers:
    # a simulation that failed to do this would make the palette test below meaningless.
    red, green, blue = (0.8, 0.2, 0.2), (0.3, 0.55, 0.1), (0.2, 0.5, 0.6)
    assert delta_e(red, green) > 40
    assert delta_e(red, green, "deuteranopia") < 15
    assert delta_e(red, green, "protanopia") < 20
    assert delta_e(green, blue) > 20
    assert delta_e(green, blue, "tritanopia") < delta_e(green, blue) / 2
    assert simulate((1.0, 1.0, 1.0), "protanopia") == pytest.approx([1.0, 1.0, 1.0], abs=0.01)


@pytest.mark.parametrize("vision", VISIONS)
def test_every_pair_that_carries_meaning_stays_apart(vision: str) -> None:
    too_close = []
    for (a, b), minimum in palette.DISTINCT_PAIRS.items():
        de = delta_e(palette.colour(a), palette.colour(b), vision)
        if de < minimum:
            too_close.append(f"{a}/{b}: ΔE2000 {de:.1f} < {minimum}")
    assert not too_close, f"{vision}: {too_close}"


@pytest.mark.parametrize("vision", VISIONS)
def test_risk_tiers_stay_apart(vision: str) -> None:
    for (_, t1), (_, t2) in itertools.combinations(palette.RISK_TIERS.items(), 2):
        de = delta_e(hex_to_rgb(t1["background"]), hex_to_rgb(t2["background"]), vision)
        assert de >= 20, (t1, t2, vision, de)


def test_every_meaningful_colour_has_words_and_every_risk_class_a_symbol() -> None:
    for name in ("highlight", "essential", "spillover", "marker", "marker_selected"):
        assert palette.COLOUR_WORDS[name]
    tiers = {b.tier for b in palette.RISK_BADGES.values()}
    assert tiers == set(palette.RISK_TIERS)
    assert len({palette.RISK_TIERS[t]["symbol"] for t in tiers}) == len(tiers)


def test_the_viewer_and_the_exports_use_the_palette() -> None:
    from anatomy.export.scenes import PALETTE as EXPORT_PALETTE
    from anatomy.scene.render import COLOURS
    from anatomy.text.selection import RISK_LABELS
    from anatomy.ui.viewer import PALETTE as VIEWER_PALETTE

    for name, rgb in palette.VIEW.items():
        assert list(VIEWER_PALETTE[name]) == list(rgb), name
        assert list(EXPORT_PALETTE[name]) == list(rgb), name
    for kind, rgb in palette.BODY.items():
        assert tuple(COLOURS[kind]) == rgb, kind
    for name, badge in palette.RISK_BADGES.items():
        assert RISK_LABELS[name][0] == badge.label
