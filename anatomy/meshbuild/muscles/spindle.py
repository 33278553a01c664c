"""Spindle-shaped muscles: a tube swept along the mean of the muscle's fibres.

The cross-section is an ellipse whose thickness axis points to the skin (so flat muscles such
as the deltoid lie flat under it) or across the heads when the heads spread apart (biceps,
gastrocnemius). Its size follows a belly profile that tapers to tendons; the overall scale is
calibrated afterwards to a published volume.
"""

from __future__ import annotations

import numpy as np

from anatomy.meshbuild.muscles.body import Body
from anatomy.meshbuild.muscles.mesh import resample, smooth_polyline, sweep_tube, tangents
from anatomy.meshbuild.muscles.recipe import Recipe, belly_profile

RINGS = 36
AROUND = 16
TENDON = 0.12  # tendon radius relative to the belly


def _spread(rings: np.ndarray, centre: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Half-spread of the heads around the centre and its direction, per ring."""
    t = tangents(centre)
    half = np.zeros(len(centre))
    dirs = np.zeros_like(centre)
    if rings.shape[0] < 2:
        return half, dirs
    for i in range(len(centre)):
        d = rings[:, i] - centre[i]
        d -= np.outer(d @ t[i], t[i])
        _, _sv, vt = np.linalg.svd(d, full_matrices=False)
        dirs[i] = vt[0]
        half[i] = np.abs(d @ vt[0]).max()
    # Keep the sign of the spread direction continuous along the muscle.
    for i in range(1, len(dirs)):
        if dirs[i] @ dirs[i - 1] < 0:
            dirs[i] = -dirs[i]
    return half, dirs


def spindle_axis(recipe: Recipe, fibres: list[np.ndarray], body: Body) -> dict:
    """Centreline, relative profile and cross-section directions of a spindle."""
    rings = np.stack([resample(f, RINGS) for f in fibres])
    centre = smooth_polyline(rings.mean(axis=0), iterations=8)
    seg = np.linalg.norm(np.diff(centre, axis=0), axis=1)
    s = np.concatenate([[0.0], np.cumsum(seg)]) / max(seg.sum(), 1e-9)
    prof = belly_profile(s, recipe.belly, recipe.ramp, TENDON)
    half, sdirs = _spread(rings, centre)
    return {"centre": centre, "s": s, "profile": prof, "half_spread": half, "spread_dirs": sdirs}


def build_spindle(
    recipe: Recipe, axis: dict, body: Body, scale: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The closed tube for a belly thickness (semi-axis) of ``scale`` metres.

    Returns vertices, faces and the final centreline.
    """
    prof = axis["profile"]
    thick = scale * prof
    width = recipe.aspect * thick + 0.7 * axis["half_spread"] * prof
    centre = axis["centre"].copy()
    frozen = np.zeros(len(centre), dtype=bool)
    frozen[[0, -1]] = True
    # Lift the centreline off the bones and under the skin by the local thickness.
    for _ in range(2):
        centre = body.push(
            centre, bone_clearance=0.8 * thick, skin_margin=thick + 0.002, frozen=frozen
        )
        centre = smooth_polyline(centre, iterations=4)
    sup = body.superficial(centre)
    t = tangents(centre)
    across = np.cross(t, axis["spread_dirs"])
    use_spread = (axis["half_spread"] > thick)[:, None] & (np.linalg.norm(across, axis=1) > 0.5)[
        :, None
    ]
    # The thickness axis faces the skin; where the heads spread apart it is across them.
    sign = np.sign(np.einsum("ij,ij->i", across, sup))[:, None]
    sign[sign == 0] = 1.0
    hints = np.where(use_spread, across * sign, sup)
    verts, faces = sweep_tube(centre, width, thick, hints, n_around=AROUND)
    frozen_v = np.zeros(len(verts), dtype=bool)
    frozen_v[-2:] = True
    verts = body.push(verts, bone_clearance=0.0006, skin_margin=0.0025, frozen=frozen_v)
    verts = body.keep_faces_inside(verts, faces, frozen=frozen_v)
    return verts, faces, centre


def initial_scale(recipe: Recipe, axis: dict) -> float:
    """A first guess of the belly semi-axis from the target volume (ellipse area x length)."""
    c = axis["centre"]
    length = float(np.linalg.norm(np.diff(c, axis=0), axis=1).sum())
    eff = float(np.mean(axis["profile"] ** 2)) * length
    return float(np.sqrt(recipe.volume_cm3 * 1e-6 / (np.pi * recipe.aspect * max(eff, 1e-3))))
