"""Muscles made of many short fascicles stacked up the trunk (quadratus lumborum,
iliocostalis, multifidus, iliopsoas): one tube through the fascicle cloud.

The fascicles are sampled densely and sliced into horizontal layers; each layer's centroid
gives the centreline and its spread (principal axes in the horizontal plane) the size and
orientation of the elliptical cross-section.
"""

from __future__ import annotations

import numpy as np

from anatomy.meshbuild.muscles.body import Body
from anatomy.meshbuild.muscles.mesh import resample, smooth_polyline, sweep_tube
from anatomy.meshbuild.muscles.recipe import Recipe, belly_profile

LAYERS = 30
AROUND = 18


def bundle_axis(recipe: Recipe, fibres: list[np.ndarray]) -> dict:
    """Layer centroids, spreads and width directions of a fascicle cloud."""
    cloud = np.concatenate([resample(f, 40) for f in fibres])
    z = cloud[:, 2]
    lo, hi = np.percentile(z, 0.5), np.percentile(z, 99.5)
    levels = np.linspace(lo, hi, LAYERS)
    half = 0.6 * (hi - lo) / (LAYERS - 1) + 0.004
    centre = np.empty((LAYERS, 3))
    spread = np.empty((LAYERS, 2))
    wdir = np.empty((LAYERS, 3))
    for i, lv in enumerate(levels):
        sel = cloud[np.abs(z - lv) <= half]
        if len(sel) < 3:
            sel = cloud[np.argsort(np.abs(z - lv))[:3]]
        c = sel.mean(axis=0)
        d = sel[:, :2] - c[:2]
        cov = d.T @ d / len(d)
        evals, evecs = np.linalg.eigh(cov)
        centre[i] = c
        spread[i] = np.sqrt(np.maximum(evals[::-1], 0.0))
        e = evecs[:, 1]
        wdir[i] = [e[0], e[1], 0.0]
        if i and wdir[i] @ wdir[i - 1] < 0:
            wdir[i] = -wdir[i]
    centre[:, 2] = levels
    if recipe.origin_side == "superior":
        centre, spread, wdir = centre[::-1], spread[::-1], wdir[::-1]
    centre = smooth_polyline(centre, iterations=6)
    s = np.linspace(0.0, 1.0, LAYERS)
    prof = belly_profile(s, recipe.belly, recipe.ramp, 0.3)
    return {"centre": centre, "spread": spread, "width_dirs": wdir, "profile": prof}


def build_bundle(
    recipe: Recipe, axis: dict, body: Body, scale: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The closed tube; ``scale`` multiplies the layer spreads (1 = one standard deviation)."""
    prof = axis["profile"]
    width = np.maximum(scale * axis["spread"][:, 0], 0.004) * prof
    thick = np.maximum(scale * axis["spread"][:, 1], 0.003) * prof
    thick = np.maximum(thick, width / recipe.aspect / 2)
    centre = axis["centre"]
    # The thickness axis is horizontal and across the width direction.
    hints = np.cross(np.array([0.0, 0.0, 1.0]), axis["width_dirs"])
    verts, faces = sweep_tube(centre, width, thick, hints, n_around=AROUND)
    frozen = np.zeros(len(verts), dtype=bool)
    frozen[-2:] = True
    verts = body.push(verts, bone_clearance=0.0006, skin_margin=0.0025, frozen=frozen)
    verts = body.keep_faces_inside(verts, faces, frozen=frozen)
    return verts, faces, centre
