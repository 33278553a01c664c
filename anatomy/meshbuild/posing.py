"""Affine maths for posing the MakeHuman skin: segment maps, box maps, fits and skinning.

Every rig bone gets a 4x4 affine built from joint correspondences between the rig (joint
cubes of the base mesh) and the standing skeleton (see ``anatomy.meshbuild.skin_pose``); linear
blend skinning with the rig's own weights then poses the mesh.
"""

from __future__ import annotations

import numpy as np

from anatomy.meshbuild.makehuman import BaseHuman
from anatomy.meshbuild.myosim import StandingModel


def rotation_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The minimal rotation matrix turning direction ``a`` onto direction ``b``."""
    a = a / np.linalg.norm(a)
    b = b / np.linalg.norm(b)
    v = np.cross(a, b)
    c = float(a @ b)
    if c < -0.999999:  # opposite: turn half way round any perpendicular axis
        axis = np.cross(a, [1.0, 0.0, 0.0])
        if np.linalg.norm(axis) < 1e-6:
            axis = np.cross(a, [0.0, 1.0, 0.0])
        axis /= np.linalg.norm(axis)
        return 2.0 * np.outer(axis, axis) - np.eye(3)
    vx = np.array([[0, -v[2], v[1]], [v[2], 0, -v[0]], [-v[1], v[0], 0]])
    return np.eye(3) + vx + vx @ vx / (1.0 + c)


def segment_transform(
    a0: np.ndarray, a1: np.ndarray, m0: np.ndarray, m1: np.ndarray,
    base: np.ndarray | None = None, girth: float = 1.0,
) -> np.ndarray:  # fmt: skip
    """4x4 affine taking rig segment ``a0->a1`` onto skeleton segment ``m0->m1``.

    The segment is stretched along its own axis to the skeleton's length, scaled by ``girth``
    across it, turned by ``base`` (default identity) and then by the minimal rotation onto the
    skeleton direction.
    """
    base = np.eye(3) if base is None else base
    axis = (a1 - a0) / np.linalg.norm(a1 - a0)
    stretch = np.linalg.norm(m1 - m0) / np.linalg.norm(a1 - a0)
    scale = girth * np.eye(3) + (stretch - girth) * np.outer(axis, axis)
    rot = rotation_between(base @ axis, m1 - m0) @ base
    return _affine(rot @ scale, m0 - rot @ scale @ a0)


def _affine(linear: np.ndarray, shift: np.ndarray) -> np.ndarray:
    out = np.eye(4)
    out[:3, :3] = linear
    out[:3, 3] = shift
    return out


def extent_transform(
    points: np.ndarray, lo: np.ndarray, hi: np.ndarray, margin: tuple
) -> np.ndarray:
    """Axis-aligned affine mapping the box of ``points`` onto box ``lo..hi`` grown by ``margin``.

    A ``None`` margin keeps that face of the box where it is.
    """
    return box_transform(points.min(axis=0), points.max(axis=0), lo, hi, margin)


def box_transform(
    plo: np.ndarray, phi: np.ndarray, lo: np.ndarray, hi: np.ndarray, margin: tuple
) -> np.ndarray:
    """Axis-aligned affine mapping box ``plo..phi`` onto box ``lo..hi`` grown by ``margin``."""
    tlo, thi = lo.astype(float).copy(), hi.astype(float).copy()
    for k in range(3):
        tlo[k] = plo[k] if margin[2 * k] is None else lo[k] - margin[2 * k]
        thi[k] = hi[k] + margin[2 * k + 1]
    scale = (thi - tlo) / (phi - plo)
    return _affine(np.diag(scale), tlo - scale * plo)


def cranial_box(points: np.ndarray, fraction: float = 0.55) -> tuple[np.ndarray, np.ndarray]:
    """Box of a head: x and y from the cranium (above ``fraction`` of the height), z whole.

    Using only the cranium keeps the ears and the nose from setting the head's width and depth.
    """
    lo, hi = points.min(axis=0), points.max(axis=0)
    top = points[points[:, 2] > lo[2] + fraction * (hi[2] - lo[2])]
    clo, chi = top.min(axis=0), top.max(axis=0)
    return np.array([clo[0], clo[1], lo[2]]), np.array([chi[0], chi[1], hi[2]])


def similarity_fit(src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
    """Umeyama fit ``dst ~ s R src + t``; returns ``(R, s, t)``."""
    mu_s, mu_d = src.mean(axis=0), dst.mean(axis=0)
    xs, xd = src - mu_s, dst - mu_d
    u, sig, vt = np.linalg.svd(xd.T @ xs / len(src))
    d = np.eye(3)
    d[2, 2] = np.sign(np.linalg.det(u @ vt))
    rot = u @ d @ vt
    scale = float(np.trace(np.diag(sig) @ d) / (xs**2).sum(axis=1).mean())
    return rot, scale, mu_d - scale * rot @ mu_s


def lbs(human: BaseHuman, transforms: dict[str, np.ndarray], n_vertices: int) -> np.ndarray:
    """Linear blend skinning of the first ``n_vertices`` base-mesh vertices."""
    rest = human.vertices[:n_vertices]
    out = np.zeros_like(rest)
    total = np.zeros(n_vertices)
    for bone, (ids, w) in human.weights.items():
        keep = ids < n_vertices
        ids, w = ids[keep], w[keep]
        mat = transforms[bone]
        out[ids] += w[:, None] * (rest[ids] @ mat[:3, :3].T + mat[:3, 3])
        total[ids] += w
    return out / total[:, None]


def complete_transforms(human: BaseHuman, mapped: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Give every rig bone a transform: its own, else its nearest mapped ancestor's."""
    out: dict[str, np.ndarray] = {}
    for name, bone in human.bones.items():  # parents come first
        if name in mapped:
            out[name] = mapped[name]
        elif bone.parent is not None:
            out[name] = out[bone.parent]
        else:
            raise ValueError(f"rig root {name!r} has no transform")
    return out


def geom_vertices(standing: StandingModel, *geoms: str) -> np.ndarray:
    """Stacked standing-pose vertices of the named myo-sim geoms."""
    by_name = {g.geom: g for g in standing.bones}
    return np.concatenate([by_name[g].vertices for g in geoms])


def body_vertices(standing: StandingModel, *bodies: str) -> np.ndarray:
    """Stacked standing-pose vertices of every geom on the named myo-sim bodies."""
    return np.concatenate([g.vertices for g in standing.bones if g.body in bodies])
