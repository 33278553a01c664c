"""Which camera preset shows a patch of skin best. No Panel import."""

from __future__ import annotations

import numpy as np

# Camera presets by the direction the camera looks from (atlas frame: body faces -y, +x left).
_PRESET_DIRECTIONS = {
    "anterior": (0.0, -1.0, 0.0), "posterior": (0.0, 1.0, 0.0),
    "left": (1.0, 0.0, 0.0), "right": (-1.0, 0.0, 0.0),
}  # fmt: skip
_SKIN_NORMALS: dict[int, np.ndarray] = {}


def skin_normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Area-weighted unit vertex normals of a triangle mesh (cached per mesh object)."""
    key = id(vertices)
    if key not in _SKIN_NORMALS:
        v = np.asarray(vertices, dtype=np.float64)
        f = np.asarray(faces, dtype=np.int64)
        face_n = np.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]])
        n = np.zeros_like(v)
        for k in range(3):
            np.add.at(n, f[:, k], face_n)
        n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
        _SKIN_NORMALS[key] = n
    return _SKIN_NORMALS[key]


def facing_preset(normals: np.ndarray) -> str:
    """The camera preset that looks most squarely at skin with these outward normals."""
    mean = normals.mean(axis=0)
    return max(_PRESET_DIRECTIONS, key=lambda name: float(np.dot(mean, _PRESET_DIRECTIONS[name])))
