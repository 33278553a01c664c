"""What a muscle recipe says, and how its fibres are read from the model and the landmarks.

A recipe names its fibres either by myo-sim actuators (right-side names; the path of each is
turned so it runs from origin to insertion) or by an origin line and an insertion line of
points. A point reference is an attachment landmark key, or ``ACTUATOR@f``: the point at
fraction ``f`` (0 = origin) along that actuator's oriented path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anatomy.errors import AtlasError
from anatomy.meshbuild.muscles.attachments import DIRECTIONS, Attachment
from anatomy.meshbuild.muscles.mesh import resample

TENDON_HALF_WIDTH = 0.006  # m


@dataclass(frozen=True)
class Recipe:
    """How to build one muscle (right side).

    ``kind`` is the builder (spindle, sheet, bundle); ``shape`` is the manifest label
    (spindle, sheet, landmark: built from skeleton landmarks because the model lacks it).
    """

    muscle: str
    kind: str
    shape: str
    volume_cm3: float
    source: str
    origin_landmark: str
    insertion_landmark: str
    actuators: tuple[str, ...] = ()
    origin_side: str = "superior"
    origin_line: tuple[str, ...] = ()
    insertion_line: tuple[str, ...] = ()
    fibres: int = 5
    belly: tuple[float, float] = (0.15, 0.85)
    ramp: float = 0.15
    aspect: float = 1.4
    drape: str = "free"
    depth_mm: float = 4.0
    widen: tuple[float, float] = (0.0, 0.0)
    bulge: tuple[str, float] = ("", 0.0)
    facing: tuple[str, ...] = ()
    max_thickness_mm: float = 30.0
    extend_origin: str = ""
    extend_insertion: str = ""
    drape_on: str = ""  # drape on this bone only (a short name of attachments.BONE_GEOMS)
    trim: tuple[float, float] = (0.0, 1.0)
    # Fibres the model lacks, after the actuators' (in order across the sheet): each a
    # polyline of point references from origin to insertion.
    extra_fibres: tuple[tuple[str, ...], ...] = ()


def facing_vector(recipe: Recipe) -> np.ndarray | None:
    """The unit direction the recipe's outer surface faces (right side), or None."""
    if not recipe.facing:
        return None
    d = sum(DIRECTIONS[n] for n in recipe.facing)
    return np.asarray(d, dtype=float) / float(np.linalg.norm(d))


def oriented_path(points: np.ndarray, origin_side: str) -> np.ndarray:
    """The path turned so its first point lies further toward ``origin_side``."""
    d = DIRECTIONS[origin_side]
    return points if points[0] @ d >= points[-1] @ d else points[::-1].copy()


def point_ref(
    ref: str, paths: dict, attachments: dict[str, Attachment], recipe: Recipe
) -> np.ndarray:
    """Resolve a point reference (landmark key or ``ACTUATOR@fraction``)."""
    if "@" in ref:
        act, frac = ref.split("@", 1)
        if act not in paths:
            raise AtlasError(f"unknown actuator {act!r}", key=f"{recipe.muscle}: {ref}")
        pts = resample(oriented_path(paths[act].points, recipe.origin_side), 101)
        return pts[round(float(frac) * 100)]
    if ref not in attachments:
        raise AtlasError(f"unknown attachment landmark {ref!r}", key=f"{recipe.muscle}: {ref}")
    return attachments[ref].position


def _line_points(
    refs: tuple[str, ...], paths: dict, att: dict, recipe: Recipe, k: int
) -> np.ndarray:
    pts = np.array([point_ref(r, paths, att, recipe) for r in refs])
    if len(pts) == 1:
        return np.repeat(pts, k, axis=0)
    return resample(pts, k)


def recipe_fibres(
    recipe: Recipe, paths: dict, attachments: dict[str, Attachment]
) -> list[np.ndarray]:
    """The recipe's fibres as polylines from origin to insertion (right side)."""
    if recipe.actuators:
        out = []
        for act in recipe.actuators:
            if act not in paths:
                raise AtlasError(f"unknown actuator {act!r}", key=recipe.muscle)
            path = oriented_path(np.asarray(paths[act].points, dtype=float), recipe.origin_side)
            if recipe.extend_origin:
                # The model's origin site is short of the anatomical origin: start there.
                path = np.concatenate(
                    [[point_ref(recipe.extend_origin, paths, attachments, recipe)], path]
                )
            if recipe.extend_insertion:
                # ... or short of the anatomical insertion: end there.
                path = np.concatenate(
                    [path, [point_ref(recipe.extend_insertion, paths, attachments, recipe)]]
                )
            if recipe.trim != (0.0, 1.0):
                # Keep only the muscular part (e.g. the TFL, not the iliotibial tract).
                dense = resample(path, 201)
                a, b = (round(200 * t) for t in recipe.trim)
                path = dense[a : b + 1]
            out.append(path)
        for refs in recipe.extra_fibres:
            out.append(np.array([point_ref(r, paths, attachments, recipe) for r in refs]))
        return out
    if not recipe.origin_line or not recipe.insertion_line:
        raise AtlasError(
            "a recipe needs actuators or origin and insertion lines", key=recipe.muscle
        )
    k = max(recipe.fibres, 2)
    org = _line_points(recipe.origin_line, paths, attachments, recipe, k)
    ins = _line_points(recipe.insertion_line, paths, attachments, recipe, k)
    # A single attachment point becomes a short line (a tendon a little over 1 cm wide)
    # parallel to the other line, so the fibres never meet in one point.
    for one, other in ((org, ins), (ins, org)):
        if np.allclose(one, one[0]) and not np.allclose(other, other[0]):
            d = other[-1] - other[0]
            one += np.outer(np.linspace(-1.0, 1.0, k), d / np.linalg.norm(d) * TENDON_HALF_WIDTH)
    fibres = [np.stack([o, i]) for o, i in zip(org, ins, strict=False)]
    name, amount = recipe.bulge
    if name:
        # A belly that bows toward an anatomical direction (e.g. laterally over a joint).
        d = DIRECTIONS[name] * amount / 1000.0
        fibres = [np.stack([f[0], 0.5 * (f[0] + f[1]) + d, f[1]]) for f in fibres]
    return fibres


def belly_profile(
    s: np.ndarray, belly: tuple[float, float], ramp: float, tendon: float
) -> np.ndarray:
    """Relative cross-section radius along a muscle: ``tendon`` outside the belly, 1 inside,
    joined by cosine ramps of length ``ramp`` (fractions of the length)."""
    a, b = belly
    up = np.clip((s - (a - ramp)) / max(ramp, 1e-6), 0.0, 1.0)
    down = np.clip(((b + ramp) - s) / max(ramp, 1e-6), 0.0, 1.0)
    w = np.minimum(up, down)
    w = 0.5 - 0.5 * np.cos(np.pi * w)
    return tendon + (1.0 - tendon) * w
