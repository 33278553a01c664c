"""Broad, flat muscles: a slab lofted between fibre lines and laid on the body.

The fibres (the model's fascicle paths, or straight lines between an origin line and an
insertion line of landmarks) are resampled into a grid. The grid is then draped: either a
set depth beneath the skin (superficial sheets such as the trapezius or latissimus) or a set
height above the bone under it (deep sheets on the scapula, ribs, pelvis or skull), blending
to the attachments at both ends. The grid is offset both ways along its normals into a slab
whose thickness tapers toward the edges and the tendons.
"""

from __future__ import annotations

import numpy as np

from anatomy.meshbuild.muscles.attachments import BONE_GEOMS
from anatomy.meshbuild.muscles.body import Body
from anatomy.meshbuild.muscles.mesh import grid_normals, resample, slab, smooth_grid
from anatomy.meshbuild.muscles.recipe import Recipe, belly_profile, facing_vector

ALONG = 26
ACROSS = 11
MIN_THICKNESS = 0.0015


def fibre_grid(fibres: list[np.ndarray], widen: tuple[float, float], across: int = ACROSS,
               along: int = ALONG) -> np.ndarray:  # fmt: skip
    """A (across, along, 3) grid interpolated across the fibres, extended beyond the first
    and the last fibre by the fractions ``widen`` of the sheet's width."""
    f = np.stack([resample(x, along) for x in fibres])  # (m, along, 3)
    if len(f) == 1:
        raise ValueError("a sheet needs at least two fibres")
    gaps = np.linalg.norm(np.diff(f, axis=0), axis=2).mean(axis=1)
    v = np.concatenate([[0.0], np.cumsum(gaps)]) / max(gaps.sum(), 1e-9)
    target = np.linspace(-widen[0], 1.0 + widen[1], across)
    out = np.empty((across, along, 3))
    for j in range(along):
        for c in range(3):
            col = f[:, j, c]
            vals = np.interp(target, v, col)
            # Linear extrapolation beyond the outermost fibres.
            lo, hi = target < 0, target > 1
            vals[lo] = col[0] + (col[1] - col[0]) * target[lo] / max(v[1], 1e-9)
            vals[hi] = col[-1] + (col[-1] - col[-2]) * (target[hi] - 1) / max(1 - v[-2], 1e-9)
            out[:, j, c] = vals
    return out


def thickness_shape(recipe: Recipe) -> np.ndarray:
    """Relative thickness over the grid: thin at the edges across, tapering to the tendons."""
    across = np.sin(np.linspace(0.0, np.pi, ACROSS)) * 0.7 + 0.3
    along = belly_profile(np.linspace(0.0, 1.0, ALONG), recipe.belly, recipe.ramp, 0.25)
    return across[:, None] * along[None, :]


def drape_grid(recipe: Recipe, grid: np.ndarray, body: Body, thickness: np.ndarray) -> np.ndarray:
    """Lay the grid (fibres across, points along) on the body: under the skin at
    ``depth_mm``, on a bone at that height, or just clear of both, each point by half its
    ``thickness``; the fibre ends (the attachments) stay where they are."""
    u = np.linspace(0.0, 1.0, grid.shape[1])
    ramp = 0.18
    w = np.clip(np.minimum(u, 1 - u) / ramp, 0.0, 1.0)
    w = (0.5 - 0.5 * np.cos(np.pi * w))[None, :, None]
    g = grid.copy()
    facing = facing_vector(recipe)
    for _ in range(3):
        flat = g.reshape(-1, 3)
        half = 0.5 * thickness.reshape(-1)
        if recipe.drape == "skin":
            target = body.under_skin(flat, recipe.depth_mm / 1000.0 + half, facing)
        elif recipe.drape == "bone":
            geom = BONE_GEOMS[recipe.drape_on][0] if recipe.drape_on else ""
            target = body.on_bone(flat, recipe.depth_mm / 1000.0 + half, facing, geom)
        else:
            target = body.push(flat, bone_clearance=half + 0.001, skin_margin=half + 0.003)
        g = g + w * (target.reshape(g.shape) - g)
        g = smooth_grid(g, iterations=3)
    return g


def build_sheet(
    recipe: Recipe, grid: np.ndarray, body: Body, scale: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The closed slab for a peak thickness of ``scale`` metres.

    Returns vertices, faces and the grid's middle fibre (the centreline).
    """
    scale = min(scale, recipe.max_thickness_mm / 1000.0)
    thick = np.maximum(scale * thickness_shape(recipe), MIN_THICKNESS)
    mid = drape_grid(recipe, grid, body, thick)
    normals = grid_normals(mid)
    sup = body.superficial(mid.reshape(-1, 3)).reshape(mid.shape)
    if np.einsum("ijk,ijk->", normals, sup) < 0:
        normals = -normals
    verts, faces = slab(mid, normals, thick)
    verts = body.push(verts, bone_clearance=0.0006, skin_margin=0.0025)
    verts = body.keep_faces_inside(verts, faces)
    # The centreline: the middle fibre, ending on its attachments.
    centre = mid[ACROSS // 2].copy()
    centre[[0, -1]] = grid[ACROSS // 2, [0, -1]]
    return verts, faces, centre


def initial_thickness(recipe: Recipe, grid: np.ndarray) -> float:
    """A first guess of the peak thickness from the target volume and the grid's area."""
    du = np.linalg.norm(np.diff(grid, axis=0), axis=2).mean()
    dv = np.linalg.norm(np.diff(grid, axis=1), axis=2).mean()
    area = du * dv * (ACROSS - 1) * (ALONG - 1)
    return float(recipe.volume_cm3 * 1e-6 / max(area * thickness_shape(recipe).mean(), 1e-6))
