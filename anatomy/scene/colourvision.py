"""Colour science for the accessibility checks: CVD simulation, CIEDE2000, WCAG contrast.

Plain numpy, no plotting and no Panel, so the palette tests and tools run anywhere.

- Colour-vision deficiency is simulated with the matrices of Machado, Oliveira & Fernandes
  (2009, "A physiologically-based model for simulation of color vision deficiency", IEEE
  TVCG 15(6):1291-1298) at severity 1.0 (protanopia, deuteranopia, tritanopia), applied to
  linear sRGB as in their paper and in ``colorspacious``.
- Colour difference is CIEDE2000 (Sharma, Wu & Dalal 2005, "The CIEDE2000 color-difference
  formula: implementation notes, supplementary test data, and mathematical observations",
  Color Res. Appl. 30(1):21-30) on CIELAB under D65.
- Text contrast is the WCAG 2.x contrast ratio of relative luminances.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Machado et al. 2009, severity 1.0, for linear RGB.
CVD_MATRICES: dict[str, np.ndarray] = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}  # fmt: skip
VISIONS = ("normal", *CVD_MATRICES)

_SRGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],
                         [0.2126729, 0.7151522, 0.0721750],
                         [0.0193339, 0.1191920, 0.9503041]])  # fmt: skip
_WHITE_D65 = np.array([0.95047, 1.0, 1.08883])


def to_linear(rgb: Sequence[float] | np.ndarray) -> np.ndarray:
    """sRGB (0..1) to linear RGB."""
    c = np.clip(np.asarray(rgb, dtype=float), 0.0, 1.0)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def from_linear(linear: np.ndarray) -> np.ndarray:
    """Linear RGB to sRGB (0..1), clipped to the gamut."""
    c = np.clip(linear, 0.0, 1.0)
    return np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055)


def simulate(rgb: Sequence[float] | np.ndarray, vision: str) -> np.ndarray:
    """How an sRGB colour (0..1) looks under ``vision`` (``normal`` or a key of CVD_MATRICES)."""
    if vision == "normal":
        return np.clip(np.asarray(rgb, dtype=float), 0.0, 1.0)
    return from_linear(to_linear(rgb) @ CVD_MATRICES[vision].T)


def to_lab(rgb: Sequence[float] | np.ndarray) -> np.ndarray:
    """sRGB (0..1) to CIELAB (D65)."""
    xyz = (to_linear(rgb) @ _SRGB_TO_XYZ.T) / _WHITE_D65
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1: Sequence[float] | np.ndarray, lab2: Sequence[float] | np.ndarray) -> float:
    """The CIEDE2000 colour difference of two CIELAB colours (kL = kC = kH = 1)."""
    L1, a1, b1 = (float(v) for v in lab1)
    L2, a2, b2 = (float(v) for v in lab2)
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_mean**7 / (c_mean**7 + 25.0**7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360 if c2p else 0.0
    dLp, dCp = L2 - L1, c2p - c1p
    dh = 0.0
    if c1p * c2p:
        dh = h2p - h1p
        if dh > 180:
            dh -= 360
        elif dh < -180:
            dh += 360
    dHp = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    Lm, Cm = (L1 + L2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hm = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hm = (h1p + h2p) / 2
    else:
        hm = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * np.cos(np.radians(hm - 30)) + 0.24 * np.cos(np.radians(2 * hm))
         + 0.32 * np.cos(np.radians(3 * hm + 6)) - 0.20 * np.cos(np.radians(4 * hm - 63)))
    sl = 1 + 0.015 * (Lm - 50) ** 2 / np.sqrt(20 + (Lm - 50) ** 2)
    sc, sh = 1 + 0.045 * Cm, 1 + 0.015 * Cm * t
    rt = (-2 * np.sqrt(Cm**7 / (Cm**7 + 25.0**7))
          * np.sin(np.radians(60 * np.exp(-(((hm - 275) / 25) ** 2)))))
    return float(np.sqrt((dLp / sl) ** 2 + (dCp / sc) ** 2 + (dHp / sh) ** 2
                         + rt * (dCp / sc) * (dHp / sh)))  # fmt: skip


def delta_e(rgb1: Sequence[float], rgb2: Sequence[float], vision: str = "normal") -> float:
    """CIEDE2000 between two sRGB colours (0..1) as seen under ``vision``."""
    return ciede2000(to_lab(simulate(rgb1, vision)), to_lab(simulate(rgb2, vision)))


def hex_to_rgb(colour: str) -> tuple[float, float, float]:
    """``#rrggbb`` or ``#rgb`` to sRGB 0..1."""
    h = colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    if len(h) != 6:
        raise ValueError(f"not a hex colour: {colour!r}")
    return tuple(int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def relative_luminance(rgb: Sequence[float]) -> float:
    """WCAG relative luminance of an sRGB colour (0..1)."""
    r, g, b = to_linear(rgb)
    return float(0.2126 * r + 0.7152 * g + 0.0722 * b)


def contrast_ratio(fg: Sequence[float] | str, bg: Sequence[float] | str) -> float:
    """WCAG contrast ratio (1..21) of two colours given as sRGB 0..1 or hex strings."""
    lum = [relative_luminance(hex_to_rgb(c) if isinstance(c, str) else c) for c in (fg, bg)]
    hi, lo = max(lum), min(lum)
    return (hi + 0.05) / (lo + 0.05)
