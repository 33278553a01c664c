"""Text colours meet WCAG AA contrast (4.5:1) against their backgrounds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from anatomy.scene import palette
from anatomy.scene.colourvision import contrast_ratio

AA = 4.5
CSS_FILES = sorted((Path(__file__).resolve().parents[2] / "anatomy" / "ui").glob("*.css"))
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
COLOUR = re.compile(r"(?<![-\w])color\s*:\s*(#[0-9a-fA-F]{3,6})\b")
BACKGROUND = re.compile(r"background(?:-color)?\s*:\s*(#[0-9a-fA-F]{3,6})\b")


@pytest.mark.parametrize("name", sorted(palette.TEXT_PAIRS))
def test_palette_text_pairs(name: str) -> None:
    fg, bg = palette.TEXT_PAIRS[name]
    assert contrast_ratio(fg, bg) >= AA, (name, fg, bg, contrast_ratio(fg, bg))


def css_text_pairs(css: str) -> list[tuple[str, str, str]]:
    """(selector, colour, background) for every rule that sets a text colour.

    A rule without its own background is checked against white, the page's background.
    """
    pairs = []
    for selector, body in RULE.findall(re.sub(r"/\*.*?\*/", "", css, flags=re.S)):
        for fg in COLOUR.findall(body):
            bg = BACKGROUND.search(body)
            pairs.append((selector.strip(), fg, bg.group(1) if bg else "#ffffff"))
    return pairs


def test_the_css_parser_finds_rules() -> None:
    found = css_text_pairs(".a { color: #777; } .b { background: #000; color: #fff }")
    assert found == [(".a", "#777", "#ffffff"), (".b", "#fff", "#000")]


def test_every_text_colour_in_the_app_stylesheets() -> None:
    assert CSS_FILES, "no stylesheet found"
    low = []
    checked = 0
    for path in CSS_FILES:
        for selector, fg, bg in css_text_pairs(path.read_text(encoding="utf-8")):
            checked += 1
            ratio = contrast_ratio(fg, bg)
            if ratio < AA:
                low.append(f"{path.name} {selector}: {fg} on {bg} = {ratio:.2f}")
    assert checked >= 5
    assert not low, low


def test_risk_badges_in_the_page_have_readable_text() -> None:
    from anatomy.text.selection import risk_badge

    for name, badge in palette.RISK_BADGES.items():
        html = risk_badge(name)
        assert badge.label in html and badge.symbol in html
        assert contrast_ratio(badge.text, badge.background) >= AA
