"""Where the camera stands: the named views, framing a box, and views of a patch of skin.

Plain numbers (no plotting, no Panel), shared by the app's viewer, the exported pages and the
off-screen render. A camera is a dict ``{position, focal_point, view_up, view_angle}`` in the
atlas frame (metres; the body faces -y, +x is the character's left, +z is up).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from anatomy.frame import FIXED_DIRECTIONS
from anatomy.geometry.surface import vertex_normals

Vec3 = tuple[float, float, float]
VIEW_ANGLE_DEG = 30.0  # every view's vertical view angle
UP: Vec3 = (0.0, 0.0, 1.0)
# The named views by the direction the camera looks from (camera position minus focal point).
PRESET_DIRECTIONS: dict[str, Vec3] = {
    "anterior": FIXED_DIRECTIONS["anterior"], "posterior": FIXED_DIRECTIONS["posterior"],
    "left": (1.0, 0.0, 0.0), "right": (-1.0, 0.0, 0.0),  # +x is the character's left
}  # fmt: skip
VIEWS = tuple(PRESET_DIRECTIONS)
# The named views a user can ask for: the four sides, and "focus" on the selected muscle.
PRESETS = (*VIEWS, "focus")
BODY_MARGIN = 1.1  # distance factor over a tight fit of the whole body
FOCUS_MARGIN = 1.3  # ... of the selected muscle, with some body around it
ZONE_MARGIN = 1.5  # ... of a zone and its marker: the body part around it stays visible
MIN_RADIUS_M = 0.05  # never so close that a tiny muscle fills the view edge to edge
MIN_ZONE_RADIUS_M = 0.18  # never closer than a head-and-shoulders view of a zone
MAX_ELEVATION = 0.6  # sine of the steepest angle a zone camera looks up or down at the skin
SIDED_X_M = 0.04  # a zone further than this from the midline belongs to one side


def fit_camera(
    bounds: Iterable[float],
    direction: Iterable[float],
    view_up: Iterable[float] = UP,
    *,
    margin: float = BODY_MARGIN,
    min_radius: float = MIN_RADIUS_M,
) -> dict[str, Any]:
    """A camera looking along ``-direction`` at the centre of ``bounds``, fitting its sphere.

    Parameters
    ----------
    bounds
        ``(xmin, xmax, ymin, ymax, zmin, zmax)`` in metres.
    direction
        From the focal point towards the camera (normalised here).
    view_up
        The camera's up vector.
    margin
        Distance factor over the tight fit of the bounding sphere.
    min_radius
        Smallest sphere radius to fit, so that a tiny muscle is not filled edge to edge.
    """
    b = np.asarray(list(bounds), dtype=float)
    centre = (b[0::2] + b[1::2]) / 2
    radius = max(float(np.linalg.norm(b[1::2] - b[0::2])) / 2, min_radius)
    d = np.asarray(list(direction), dtype=float)
    d /= np.linalg.norm(d)
    distance = margin * radius / math.sin(math.radians(VIEW_ANGLE_DEG / 2))
    return {
        "position": [round(float(x), 5) for x in centre + d * distance],
        "focal_point": [round(float(x), 5) for x in centre],
        "view_up": [float(x) for x in view_up],
        "view_angle": VIEW_ANGLE_DEG,
    }


def preset_camera(preset: str, bounds: Iterable[float]) -> dict[str, Any]:
    """The named view ``preset`` (anterior, posterior, left, right) of everything in ``bounds``."""
    return fit_camera(bounds, PRESET_DIRECTIONS[preset])


def bounds_of(points: np.ndarray) -> list[float]:
    """``[xmin, xmax, ymin, ymax, zmin, zmax]`` of (n, 3) points."""
    p = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    return [float(v) for pair in zip(p.min(0), p.max(0), strict=True) for v in pair]


_SKIN_NORMALS: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def skin_normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Area-weighted unit vertex normals of a triangle mesh (cached per vertex array)."""
    cached = _SKIN_NORMALS.get(id(vertices))
    if cached is not None and cached[0] is vertices:
        return cached[1]
    n = vertex_normals(vertices, faces).astype(np.float64)
    _SKIN_NORMALS[id(vertices)] = (vertices, n)
    return n


def facing_preset(normals: np.ndarray) -> str:
    """The camera preset that looks most squarely at skin with these outward normals."""
    mean = normals.mean(axis=0)
    return max(PRESET_DIRECTIONS, key=lambda name: float(np.dot(mean, PRESET_DIRECTIONS[name])))


def zone_view_direction(normals: np.ndarray, centre_x: float) -> np.ndarray:
    """The unit direction to look at skin with these outward normals from, seen from outside.

    Mostly the skin's own mean normal, with two turns so that the body does not hide it:

    - skin that faces the midline (the palm in this pose, the inner arch, the inner thigh) is
      looked at obliquely from in front or behind (whichever it faces more, else in front),
      past the other limb or the trunk, instead of straight through them;
    - skin facing up or down (the sole, the top of the shoulder) is looked at from at most
      ``MAX_ELEVATION`` above or below the horizontal, so the view keeps the head up.
    """
    n = np.asarray(normals, dtype=np.float64).reshape(-1, 3).mean(axis=0)
    horizontal = np.array([n[0], n[1], 0.0])
    if np.linalg.norm(horizontal) < 1e-6:
        horizontal = np.array([0.0, -1.0, 0.0])
    horizontal /= np.linalg.norm(horizontal)
    toward_midline = -np.sign(centre_x) * horizontal[0] if abs(centre_x) > SIDED_X_M else 0.0
    if toward_midline > 0:
        front_back = np.sign(horizontal[1]) if abs(horizontal[1]) > 1e-6 else -1.0
        horizontal = horizontal + np.array([0.0, front_back * toward_midline, 0.0])
        horizontal /= np.linalg.norm(horizontal)
    length = float(np.linalg.norm(n))
    up = float(np.clip(n[2] / max(length, 1e-9), -MAX_ELEVATION, MAX_ELEVATION))
    out = horizontal * math.sqrt(1.0 - up * up) + np.array([0.0, 0.0, up])
    return out / np.linalg.norm(out)


def zone_camera(points: np.ndarray, preset: str,
                direction: np.ndarray | None = None) -> dict[str, Any]:  # fmt: skip
    """A camera looking from ``preset``'s side (or along ``direction``, a unit vector from
    the zone toward the camera) that frames ``points`` (a zone and its marker).

    The points' bounding sphere (at least ``MIN_ZONE_RADIUS_M``) fits the view with
    ``ZONE_MARGIN`` to spare, so the zone is large but the body part around it stays visible.
    """
    if direction is None:
        direction = np.asarray(PRESET_DIRECTIONS[preset])
    return fit_camera(bounds_of(points), direction, margin=ZONE_MARGIN,
                      min_radius=MIN_ZONE_RADIUS_M)  # fmt: skip


def muscle_view_direction(centre: np.ndarray, skin_vertices: np.ndarray) -> list[float]:
    """The unit direction to look at a muscle centred at ``centre`` from.

    Out from the body's axis through ``centre``, turned toward the front or back the muscle
    lies on and raised a little: an oblique view shows a muscle and the skin over it better
    than a straight side view.
    """
    c = np.asarray(centre, dtype=np.float64)
    skin = np.asarray(skin_vertices, dtype=np.float64)
    # The body's axis at the muscle's height (the whole body's mean leans toward the feet).
    slab = skin[np.abs(skin[:, 2] - c[2]) < 0.08]
    axis = (slab if len(slab) >= 10 else skin).mean(0)
    d = np.array([c[0] - axis[0], c[1] - axis[1], 0.0])
    n = float(np.linalg.norm(d))
    d = d / n if n > 1e-3 else np.array([0.0, -1.0, 0.0])
    back = 1.0 if c[1] > axis[1] else -1.0  # +y is posterior
    d = d + np.array([0.0, 0.8 * back, 0.25])
    return [float(v) for v in d / np.linalg.norm(d)]
