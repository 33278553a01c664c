"""The palette stays distinguishable under simulated colour-vision deficiencies."""

from __future__ import annotations

import itertools
import json
from typing import Any

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


def test_every_painted_colour_has_words_and_every_checked_pair_is_a_colour() -> None:
    # a colour added to the view without words, or a pair naming no colour, fails here
    assert set(palette.VIEW) - {"background"} <= set(palette.COLOUR_WORDS)
    assert set(palette.COLOUR_WORDS) <= set(palette.VIEW) | set(palette.BODY)
    named = {name for pair in palette.DISTINCT_PAIRS for name in pair}
    assert named <= set(palette.VIEW) | set(palette.BODY)


def test_the_lungs_and_pleura_have_words_and_stay_apart_from_what_carries_meaning() -> None:
    # the recess (pleura below the lung) reads only if the two differ; both sit under the
    # zones, the markers and the selected muscle
    for organ in palette.LAYER_ORGANS:
        assert palette.COLOUR_WORDS[organ]
        partners = {b if a == organ else a for a, b in palette.DISTINCT_PAIRS if organ in (a, b)}
        assert {"highlight", "essential", "spillover", "marker", "marker_selected"} <= partners
    assert ("lung", "pleura") in palette.DISTINCT_PAIRS


def _sent(colours: dict[str, Any]) -> dict[str, Any]:
    """The view's colours as a browser receives them (JSON), by name."""
    received = json.loads(json.dumps(colours))
    return {name: received.get(name) for name in palette.VIEW}


def test_the_app_viewer_sends_the_checked_colours_to_the_browser() -> None:
    from bokeh.document import Document

    from anatomy.ui.viewer import AtlasViewer

    model = AtlasViewer().get_root(Document())  # the Bokeh model the page is sent
    sent = model.data.colours
    assert _sent(sent) == {name: list(rgb) for name, rgb in palette.VIEW.items()}
    assert sent["zone_opacity"] == palette.ZONE_OPACITY


def test_the_exported_pages_carry_the_checked_colours(tiny_atlas) -> None:  # type: ignore[no-untyped-def]
    from anatomy.export.scenes import handout_scene, muscle_page_scene

    expected = {name: list(rgb) for name, rgb in palette.VIEW.items()}
    for scene in (handout_scene(tiny_atlas, "soleus", "left"),
                  muscle_page_scene(tiny_atlas, "soleus")):  # fmt: skip
        assert _sent(scene.view["colours"]) == expected
        assert scene.view["colours"]["zone_opacity"] == palette.ZONE_OPACITY
