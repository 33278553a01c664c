"""The atlas's colours, in one place: the 3D view, the legends, the exports and the risk badges.

Plain data (no plotting, no Panel), so the scene, the web viewer, the exported pages and the
tests all read the same values. Every colour that carries a meaning also has a word
(:data:`COLOUR_WORDS`) and, in the legends, a shape or pattern, so colour is never the only cue.

The zone, highlight and marker colours were chosen so that every pair that must be told apart
(:data:`DISTINCT_PAIRS`) stays at least the given CIEDE2000 distance apart for normal vision
and under simulated protanopia, deuteranopia and tritanopia (Machado et al. 2009; see
:mod:`anatomy.scene.colourvision` and ``tests/a11y/test_palette_cvd.py``):

- 20 for the painted zones, the skin and the selected muscle. A 3D surface's shading alone
  changes lightness by roughly 10-20 CIELAB units between lit and shadowed sides, so two
  categories closer than that can be mistaken for one colour in light and shadow; 20 is about
  ten times the just-noticeable difference (ΔE2000 ≈ 2).
- 15 for the trigger-point markers, which also differ in size (the selected one is 1.45x
  larger) and sit on the selected muscle rather than next to a zone.
"""

from __future__ import annotations

from dataclasses import dataclass

RGB = tuple[float, float, float]

# Base colours of the body, by kind of mesh (also the static renders' colours).
BODY: dict[str, RGB] = {
    "skin": (0.91, 0.76, 0.65),
    "bone": (0.93, 0.90, 0.80),  # ivory
    "muscle": (0.62, 0.22, 0.18),  # red-brown
}

# What the 3D view paints on top of the body (RGB 0..1).
VIEW: dict[str, RGB] = {
    "background": (0.97, 0.97, 0.96),
    "highlight": (0.26, 0.64, 0.97),  # the selected muscle: sky blue
    "dimmed": (0.80, 0.63, 0.60),  # other muscles: muscle-like pink, apart from the bones
    "essential": (0.80, 0.30, 0.00),  # essential zone: dark orange
    "spillover": (0.93, 1.00, 0.00),  # spillover zone: bright lemon yellow
    "marker": (0.05, 0.10, 0.35),  # trigger point: navy dot
    "marker_selected": (0.97, 0.23, 0.69),  # the chosen trigger point: larger pink dot
}
ZONE_OPACITY = 0.85
# Trigger-point markers are spheres; the chosen one is larger as well as another colour.
MARKER_RADIUS_M = {"normal": 0.011, "selected": 0.016}

# The view's layers, the kind of mesh each holds, and their opacity when a page opens: the
# skin see-through so the muscles show under it.
LAYERS = ("skin", "skeleton", "muscles")
LAYER_OF_KIND = {"skin": "skin", "bone": "skeleton", "muscle": "muscles"}
OPACITY: dict[str, float] = {"skin": 0.35, "skeleton": 1.0, "muscles": 1.0}
OTHER_MUSCLE_OPACITY = 0.35  # exported pages: muscles other than the chosen one, for context

# The words a legend or a text alternative uses for each meaningful colour.
COLOUR_WORDS: dict[str, str] = {
    "highlight": "blue",
    "dimmed": "pink",
    "essential": "dark orange",
    "spillover": "bright yellow",
    "marker": "small navy dot",
    "marker_selected": "large pink dot",
}

# Pairs that must stay apart under every simulated vision, with the minimum CIEDE2000.
DISTINCT_PAIRS: dict[tuple[str, str], float] = {
    ("essential", "spillover"): 20, ("essential", "skin"): 20, ("spillover", "skin"): 20,
    ("highlight", "dimmed"): 20, ("highlight", "skin"): 20,
    ("essential", "highlight"): 20, ("spillover", "highlight"): 20,
    ("marker", "marker_selected"): 15, ("marker", "highlight"): 15,
    ("marker_selected", "highlight"): 15, ("marker", "dimmed"): 15,
    ("marker_selected", "dimmed"): 15, ("marker", "skin"): 15, ("marker_selected", "skin"): 15,
}  # fmt: skip


@dataclass(frozen=True)
class RiskBadge:
    """How one class of structure at risk is shown: words, symbol, tier and colours."""

    label: str
    tier: str  # high | moderate | low
    background: str
    text: str
    border: str
    symbol: str


# Three tiers, told apart by words, symbol, fill style and lightness (dark solid, amber,
# pale outlined), not by hue alone; the class's own words are always on the badge.
RISK_TIERS: dict[str, dict[str, str]] = {
    "high": {"background": "#8c1d18", "text": "#ffffff", "border": "#8c1d18", "symbol": "\u26a0"},
    "moderate": {"background": "#f0b43c", "text": "#1d1d1f", "border": "#8a5a00",
                 "symbol": "\u25b2"},
    "low": {"background": "#e2f0e4", "text": "#1e4d2b", "border": "#1e4d2b", "symbol": "\u25cb"},
}  # fmt: skip
_RISK_CLASSES = {
    "pneumothorax": ("Pneumothorax risk", "high"),
    "cns": ("Spinal cord / brain risk", "high"),
    "major_vessel": ("Major vessel nearby", "moderate"),
    "major_nerve": ("Major nerve nearby", "moderate"),
    "visceral": ("Internal organ nearby", "moderate"),
    "low": ("Low risk", "low"),
}
RISK_BADGES: dict[str, RiskBadge] = {
    name: RiskBadge(label=label, tier=tier, **RISK_TIERS[tier])
    for name, (label, tier) in _RISK_CLASSES.items()
}

# Text and background colours of the page (checked for WCAG contrast >= 4.5:1).
TEXT_PAIRS: dict[str, tuple[str, str]] = {
    "body text": ("#222222", "#ffffff"),
    "headings": ("#2d4a5a", "#ffffff"),
    "Latin names": ("#555555", "#ffffff"),
    "red flags": ("#8c1d18", "#ffffff"),
    "contested note": ("#222222", "#fff6e0"),
    "disclaimer": ("#444444", "#eef3f6"),
    "legend": ("#333333", "#ffffff"),
    "reasons": ("#555555", "#ffffff"),
    "feedback right": ("#2e6b3a", "#ffffff"),
    "feedback wrong": ("#8c1d18", "#ffffff"),
    "sources": ("#444444", "#ffffff"),
    "focus outline": ("#0b5394", "#ffffff"),  # non-text: WCAG asks 3:1, we keep 4.5:1
    **{f"risk badge, {tier}": (t["text"], t["background"]) for tier, t in RISK_TIERS.items()},
}


def colour(name: str) -> RGB:
    """A named colour of the view or of the body (``KeyError`` if unknown)."""
    return VIEW[name] if name in VIEW else BODY[name]


def view_palette() -> dict[str, list[float]]:
    """The 3D view's colours as JSON-ready lists."""
    return {name: list(rgb) for name, rgb in VIEW.items()}


# What both browser viewers (the app's and the exported pages') receive: the view's colours
# as lists, and the painted zones' opacity.
PALETTE: dict[str, list[float] | float] = {
    **view_palette(), "zone_opacity": ZONE_OPACITY,
    "marker_radius": MARKER_RADIUS_M["normal"],
    "marker_radius_selected": MARKER_RADIUS_M["selected"],
}  # fmt: skip


def css_hex(rgb: RGB | list[float]) -> str:
    """``#rrggbb`` of an RGB colour (0..1)."""
    return "#" + "".join(f"{max(0, min(255, round(c * 255))):02x}" for c in rgb)
