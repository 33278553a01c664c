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
- 15 for the lungs and pleura against each other and against the selected muscle: they are
  see-through surfaces inside the chest, and the lung is also drawn more opaque than the
  pleura around it. Against the zones they keep 20, as the skin does.
"""

from __future__ import annotations

from dataclasses import dataclass

from anatomy.frame import MODES

RGB = tuple[float, float, float]

# Base colours of the body, by kind of mesh (also the static renders' colours).
BODY: dict[str, RGB] = {
    "skin": (0.91, 0.76, 0.65),
    "bone": (0.93, 0.90, 0.80),  # ivory
    "muscle": (0.62, 0.22, 0.18),  # red-brown
    # Organs, by organ: calm and pale, apart from every colour that carries a meaning.
    "pleura": (0.73, 0.84, 0.90),  # pale blue-grey
    "lung": (0.91, 0.60, 0.62),  # pale pink
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

# A depth profile's needle line, drawn over the body in clinician mode, coloured by what it
# passes through; past the pleura it is red. Words for the legend: NEEDLE_WORDS.
NEEDLE_COLOURS: dict[str, RGB] = {
    "subcutaneous": (0.55, 0.55, 0.55),  # grey
    "muscle": (0.45, 0.27, 0.07),  # brown
    "target": (0.08, 0.33, 0.80),  # strong blue
    "bone": (0.10, 0.10, 0.10),  # black
    "beyond pleura": (0.86, 0.05, 0.10),  # red
    "kidney": (0.50, 0.20, 0.62),  # purple
}
NEEDLE_WORDS: dict[str, str] = {
    "subcutaneous": "grey", "muscle": "brown", "target": "blue", "bone": "black",
    "beyond pleura": "red", "kidney": "purple",
}  # fmt: skip
NEEDLE_RADIUS_M = 0.0018

# The view's layers, their names on the page, the kind of mesh each holds, and their opacity
# when a page opens: the skin see-through so the muscles show under it, the lungs and pleura
# see-through so the lung shows inside its pleura, and the strip of pleura below the lung (the
# costodiaphragmatic recess) apart from it.
LAYERS = ("skin", "skeleton", "muscles", "pleura")
LAYER_LABELS = {"skin": "Skin", "skeleton": "Skeleton", "muscles": "Muscles",
                "pleura": "Lungs and pleura"}  # fmt: skip
LAYER_OF_KIND = {"skin": "skin", "bone": "skeleton", "muscle": "muscles", "organ": "pleura"}
# The organs the organ layer draws, innermost first: translucent surfaces are drawn in this
# order, then the skin around them. Other organ meshes (the kidneys) are in no layer.
LAYER_ORGANS = ("lung", "pleura")
OPACITY: dict[str, float] = {"skin": 0.35, "skeleton": 1.0, "muscles": 1.0, "pleura": 0.35}
# A mesh's opacity relative to its layer's (capped at 1): the lung stronger than the pleura
# around it, which is drawn over it and would otherwise grey its pink; where only the pleura
# is, below the lung, the recess shows pale blue-grey.
RELATIVE_OPACITY: dict[str, float] = {"lung": 1.7}
OTHER_MUSCLE_OPACITY = 0.35  # exported pages: muscles other than the chosen one, for context

# Layers that depend on the mode: the modes that offer each one (a toggle, a link), and those
# that turn it on when a person switches to them (the others turn it off). The lungs and
# pleura are for needling: clinicians see them, students may turn them on, patients are not
# offered them.
LAYER_MODES: dict[str, tuple[str, ...]] = {"pleura": ("student", "clinician")}
LAYER_ON_IN: dict[str, tuple[str, ...]] = {"pleura": ("clinician",)}

# The words a legend or a text alternative uses for each meaningful colour.
COLOUR_WORDS: dict[str, str] = {
    "highlight": "blue",
    "dimmed": "pink",
    "essential": "dark orange",
    "spillover": "bright yellow",
    "marker": "small navy dot",
    "marker_selected": "large pink dot",
    "lung": "pale pink",
    "pleura": "pale blue-grey",
}

# Pairs that must stay apart under every simulated vision, with the minimum CIEDE2000.
DISTINCT_PAIRS: dict[tuple[str, str], float] = {
    ("essential", "spillover"): 20, ("essential", "skin"): 20, ("spillover", "skin"): 20,
    ("highlight", "dimmed"): 20, ("highlight", "skin"): 20,
    ("essential", "highlight"): 20, ("spillover", "highlight"): 20,
    ("marker", "marker_selected"): 15, ("marker", "highlight"): 15,
    ("marker_selected", "highlight"): 15, ("marker", "dimmed"): 15,
    ("marker_selected", "dimmed"): 15, ("marker", "skin"): 15, ("marker_selected", "skin"): 15,
    ("lung", "pleura"): 15, ("lung", "highlight"): 15, ("pleura", "highlight"): 15,
    ("lung", "essential"): 20, ("lung", "spillover"): 20,
    ("pleura", "essential"): 20, ("pleura", "spillover"): 20,
    ("marker", "lung"): 15, ("marker_selected", "lung"): 15,
    ("marker", "pleura"): 15, ("marker_selected", "pleura"): 15,
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


def layer_of(kind: str, organ: str | None = None) -> str | None:
    """The layer a mesh of ``kind`` (and ``organ``, for organs) is drawn in; None for none."""
    if kind == "organ" and organ not in LAYER_ORGANS:
        return None
    return LAYER_OF_KIND.get(kind)


def mesh_colour(kind: str, organ: str | None = None) -> RGB:
    """The base colour of a mesh: its organ's, else its kind's (grey for an unknown kind)."""
    return BODY.get(organ or kind, (0.6, 0.6, 0.6))


def draw_rank(kind: str, organ: str | None = None) -> int:
    """Where a mesh comes in the drawing order: the organs innermost first, then the rest,
    the skin last (translucent surfaces are blended in the order they are drawn)."""
    if kind == "organ" and organ in LAYER_ORGANS:
        return LAYER_ORGANS.index(organ)
    return len(LAYER_ORGANS) + (1 if kind == "skin" else 0)


def mesh_opacity(layer_opacity: float, organ: str | None = None) -> float:
    """The opacity of a mesh in a layer at ``layer_opacity`` (see :data:`RELATIVE_OPACITY`)."""
    return min(1.0, layer_opacity * RELATIVE_OPACITY.get(organ or "", 1.0))


def layer_offered(layer: str, mode: str) -> bool:
    """Whether ``mode`` offers ``layer`` at all (its toggle, a link that shows it)."""
    return mode in LAYER_MODES.get(layer, MODES)


def mode_layers(mode: str) -> tuple[str, ...]:
    """The layers shown when a view opens in ``mode`` (or a person switches to it)."""
    return tuple(n for n in LAYERS if layer_offered(n, mode) and mode in LAYER_ON_IN.get(n, MODES))


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
