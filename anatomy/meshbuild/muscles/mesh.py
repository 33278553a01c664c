"""Closed triangle meshes for muscles: swept tubes and lofted slabs, plus polyline helpers.

Every builder returns ``(vertices, faces)`` of a closed, edge-manifold surface with outward
winding, so the signed volume is the enclosed volume.
"""

from __future__ import annotations

import numpy as np

_EPS = 1e-12


def resample(points: np.ndarray, n: int) -> np.ndarray:
    """Resample a polyline (k, 3) to ``n`` points evenly spaced by arc length."""
    pts = np.asarray(points, dtype=float)
    seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    keep = np.concatenate([[True], seg > 1e-9])
    pts = pts[keep]
    if len(pts) < 2:
        raise ValueError("polyline needs two distinct points")
    cum = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(pts, axis=0), axis=1))])
    t = np.linspace(0.0, cum[-1], n)
    return np.stack([np.interp(t, cum, pts[:, i]) for i in range(3)], axis=1)


def smooth_polyline(points: np.ndarray, iterations: int = 10, weight: float = 0.5) -> np.ndarray:
    """Laplacian smoothing of a polyline with its two end points held fixed."""
    p = np.asarray(points, dtype=float).copy()
    for _ in range(iterations):
        p[1:-1] += weight * (0.5 * (p[:-2] + p[2:]) - p[1:-1])
    return p


def polyline_length(points: np.ndarray) -> float:
    """Total length of a polyline."""
    return float(np.linalg.norm(np.diff(points, axis=0), axis=1).sum())


def signed_volume(vertices: np.ndarray, faces: np.ndarray) -> float:
    """Signed enclosed volume (positive for outward winding), in the vertices' units cubed."""
    v = np.asarray(vertices, dtype=float)
    c = v.mean(axis=0)
    a, b, d = v[faces[:, 0]] - c, v[faces[:, 1]] - c, v[faces[:, 2]] - c
    return float(np.einsum("ij,ij->i", a, np.cross(b, d)).sum() / 6.0)


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.maximum(n, _EPS)


def tangents(centre: np.ndarray) -> np.ndarray:
    """Unit tangents of a polyline (central differences)."""
    t = np.gradient(centre, axis=0)
    return _unit(t)


def ring_frames(centre: np.ndarray, thickness_dirs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-ring (width, thickness) unit axes perpendicular to the tangent.

    ``thickness_dirs`` (n, 3) are hints for the thickness axis (e.g. toward the skin); they
    are projected off the tangent and smoothed so neighbouring rings do not twist.
    """
    t = tangents(centre)
    u = thickness_dirs - np.einsum("ij,ij->i", thickness_dirs, t)[:, None] * t
    # Fall back to parallel transport where the hint is parallel to the tangent.
    for i in range(len(u)):
        if np.linalg.norm(u[i]) < 1e-6:
            u[i] = u[i - 1] if i else np.cross(t[i], [1.0, 0.0, 0.0])
        if i and np.dot(u[i], u[i - 1]) < 0:
            u[i] = -u[i]
    u = _unit(u)
    for _ in range(4):
        u[1:-1] = _unit(u[:-2] + 2 * u[1:-1] + u[2:])
        u = _unit(u - np.einsum("ij,ij->i", u, t)[:, None] * t)
    w = _unit(np.cross(t, u))
    return w, u


def sweep_tube(
    centre: np.ndarray,
    width: np.ndarray,
    thickness: np.ndarray,
    thickness_dirs: np.ndarray,
    n_around: int = 18,
) -> tuple[np.ndarray, np.ndarray]:
    """A closed tube with elliptical rings along ``centre`` and flat end caps.

    Parameters
    ----------
    centre
        (n, 3) ring centres; the cap centres sit exactly on the two end points.
    width, thickness
        (n,) semi-axes of each ring's ellipse.
    thickness_dirs
        (n, 3) hints for the direction of the ``thickness`` semi-axis.
    n_around
        Vertices per ring.

    Returns
    -------
    vertices, faces
        (n * n_around + 2, 3) float and (2 * n * n_around, 3) int32, outward winding.
    """
    n = len(centre)
    w_ax, u_ax = ring_frames(centre, thickness_dirs)
    ang = np.linspace(0.0, 2 * np.pi, n_around, endpoint=False)
    ring = (
        centre[:, None, :]
        + (width[:, None] * np.cos(ang)[None, :])[..., None] * w_ax[:, None, :]
        + (thickness[:, None] * np.sin(ang)[None, :])[..., None] * u_ax[:, None, :]
    )
    verts = np.concatenate([ring.reshape(-1, 3), centre[[0, -1]]])
    idx = np.arange(n * n_around).reshape(n, n_around)
    nxt = np.roll(idx, -1, axis=1)
    a, b, c, d = idx[:-1], nxt[:-1], idx[1:], nxt[1:]
    side = np.concatenate(
        [np.stack([a, b, d], -1).reshape(-1, 3), np.stack([a, d, c], -1).reshape(-1, 3)]
    )
    s, e = n * n_around, n * n_around + 1
    cap0 = np.stack([np.full(n_around, s), idx[0][::-1], np.roll(idx[0], 1)[::-1]], -1)
    cap1 = np.stack([np.full(n_around, e), idx[-1], np.roll(idx[-1], -1)], -1)
    faces = np.concatenate([side, cap0, cap1]).astype(np.int32)
    if signed_volume(verts, faces) < 0:
        faces = faces[:, ::-1].copy()
    return verts, faces


def slab(
    mid: np.ndarray, normals: np.ndarray, thickness: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A closed slab around a (k, n) grid mid-surface: two offset grids stitched at the rim.

    Parameters
    ----------
    mid
        (k, n, 3) mid-surface points (k across the fibres, n along them).
    normals
        (k, n, 3) unit normals pointing to the "outer" face.
    thickness
        (k, n) full thickness at each grid point.
    """
    k, n, _ = mid.shape
    half = 0.5 * thickness[..., None]
    top = (mid + half * normals).reshape(-1, 3)
    bot = (mid - half * normals).reshape(-1, 3)
    verts = np.concatenate([top, bot])
    idx = np.arange(k * n).reshape(k, n)
    a, b, c, d = idx[:-1, :-1], idx[:-1, 1:], idx[1:, :-1], idx[1:, 1:]
    quads_top = np.concatenate(
        [np.stack([a, b, d], -1).reshape(-1, 3), np.stack([a, d, c], -1).reshape(-1, 3)]
    )
    quads_bot = quads_top[:, ::-1] + k * n
    # The rim: walk the grid perimeter once and join top and bottom.
    rim = np.concatenate([idx[0, :], idx[1:, -1], idx[-1, -2::-1], idx[-2:0:-1, 0]])
    r0, r1 = rim, np.roll(rim, -1)
    side = np.concatenate(
        [np.stack([r0, r0 + k * n, r1 + k * n], -1), np.stack([r0, r1 + k * n, r1], -1)]
    )
    faces = np.concatenate([quads_top, quads_bot, side]).astype(np.int32)
    if signed_volume(verts, faces) < 0:
        faces = faces[:, ::-1].copy()
    return verts, faces


def grid_normals(mid: np.ndarray) -> np.ndarray:
    """Unit normals of a (k, n, 3) grid surface (cross product of its two parameter tangents)."""
    du = np.gradient(mid, axis=0)
    dv = np.gradient(mid, axis=1)
    return _unit(np.cross(dv, du))


def smooth_grid(
    mid: np.ndarray, iterations: int = 3, weight: float = 0.5, fix_ends: bool = True
) -> np.ndarray:
    """Laplacian smoothing of a (k, n, 3) grid; the first and last fibre points stay put."""
    g = np.asarray(mid, dtype=float).copy()
    for _ in range(iterations):
        lap = np.zeros_like(g)
        cnt = np.zeros((*g.shape[:2], 1))
        lap[1:] += g[:-1]
        cnt[1:] += 1
        lap[:-1] += g[1:]
        cnt[:-1] += 1
        lap[:, 1:] += g[:, :-1]
        cnt[:, 1:] += 1
        lap[:, :-1] += g[:, 1:]
        cnt[:, :-1] += 1
        upd = weight * (lap / cnt - g)
        if fix_ends:
            upd[:, 0] = 0.0
            upd[:, -1] = 0.0
        g += upd
    return g
