"""Cameras that show a patch of skin: which side to look from, and how close. No Panel import."""

from __future__ import annotations

import math

import numpy as np

# Camera presets by the direction the camera looks from (atlas frame: body faces -y, +x left).
_PRESET_DIRECTIONS = {
    "anterior": (0.0, -1.0, 0.0), "posterior": (0.0, 1.0, 0.0),
    "left": (1.0, 0.0, 0.0), "right": (-1.0, 0.0, 0.0),
}  # fmt: skip
VIEW_ANGLE_DEG = 30.0  # the viewer's vertical view angle
ZONE_MARGIN = 1.5  # distance factor over a tight fit: some body around the zone for context
MIN_ZONE_RADIUS_M = 0.18  # never closer than a head-and-shoulders view
MAX_ELEVATION = 0.6  # sine of the steepest angle a zone camera looks up or down at the skin
SIDED_X_M = 0.04  # a zone further than this from the midline belongs to one side
_SKIN_NORMALS: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def skin_normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Area-weighted unit vertex normals of a triangle mesh (cached per vertex array)."""
    cached = _SKIN_NORMALS.get(id(vertices))
    if cached is not None and cached[0] is vertices:
        return cached[1]
    v = np.asarray(vertices, dtype=np.float64)
    f = np.asarray(faces, dtype=np.int64)
    face_n = np.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]])
    n = np.zeros_like(v)
    for k in range(3):
        np.add.at(n, f[:, k], face_n)
    n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
    _SKIN_NORMALS[id(vertices)] = (vertices, n)
    return n


def facing_preset(normals: np.ndarray) -> str:
    """The camera preset that looks most squarely at skin with these outward normals."""
    mean = normals.mean(axis=0)
    return max(_PRESET_DIRECTIONS, key=lambda name: float(np.dot(mean, _PRESET_DIRECTIONS[name])))


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
                direction: np.ndarray | None = None) -> dict[str, list[float]]:  # fmt: skip
    """A camera looking from ``preset``'s side (or along ``direction``, a unit vector from
    the zone toward the camera) that frames ``points`` (a zone and its marker).

    The points' bounding sphere (at least ``MIN_ZONE_RADIUS_M``) fits the view with
    ``ZONE_MARGIN`` to spare, so the zone is large but the body part around it stays visible.
    """
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    centre = (lo + hi) / 2
    radius = max(float(np.linalg.norm(hi - lo)) / 2, MIN_ZONE_RADIUS_M)
    distance = ZONE_MARGIN * radius / math.sin(math.radians(VIEW_ANGLE_DEG / 2))
    if direction is None:
        direction = np.asarray(_PRESET_DIRECTIONS[preset])
    return {
        "position": [round(float(x), 4) for x in centre + direction * distance],
        "focal_point": [round(float(x), 4) for x in centre],
        "view_up": [0.0, 0.0, 1.0],
    }
