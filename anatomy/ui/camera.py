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


def zone_camera(points: np.ndarray, preset: str) -> dict[str, list[float]]:
    """A camera looking from ``preset``'s side that frames ``points`` (a zone and its marker).

    The points' bounding sphere (at least ``MIN_ZONE_RADIUS_M``) fits the view with
    ``ZONE_MARGIN`` to spare, so the zone is large but the body part around it stays visible.
    """
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    centre = (lo + hi) / 2
    radius = max(float(np.linalg.norm(hi - lo)) / 2, MIN_ZONE_RADIUS_M)
    distance = ZONE_MARGIN * radius / math.sin(math.radians(VIEW_ANGLE_DEG / 2))
    direction = np.asarray(_PRESET_DIRECTIONS[preset])
    return {
        "position": [round(float(x), 4) for x in centre + direction * distance],
        "focal_point": [round(float(x), 4) for x in centre],
        "view_up": [0.0, 0.0, 1.0],
    }
