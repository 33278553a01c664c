"""Surface queries on triangle meshes: ray casts, closest points, inside tests, skin distances.

Everything is plain numpy/scipy so that it runs without a display and without building
``trimesh`` objects per query. Muscle meshes are small (at most a few thousand triangles), so
brute-force vectorised tests over all triangles take well under a millisecond; the skin
(~19k vertices) gets a KD-tree and a sparse edge graph, built once and cached.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

_EPS = 1e-12


def ray_hits(
    vertices: np.ndarray, faces: np.ndarray, origin: np.ndarray, direction: np.ndarray
) -> np.ndarray:
    """Distances along a ray to every triangle it crosses (Möller-Trumbore), sorted.

    Parameters
    ----------
    vertices, faces
        The mesh: (n, 3) positions and (m, 3) vertex indices.
    origin, direction
        The ray; ``direction`` need not be unit length (distances are in its units).

    Returns
    -------
    numpy.ndarray
        Sorted ray parameters ``t > 0`` of the crossings (empty when the ray misses); hits at
        the same distance (an edge shared by two triangles) count once.
    """
    v = np.asarray(vertices, dtype=np.float64)
    tri = v[faces]
    o = np.asarray(origin, dtype=np.float64)
    d = np.asarray(direction, dtype=np.float64)
    e1 = tri[:, 1] - tri[:, 0]
    e2 = tri[:, 2] - tri[:, 0]
    p = np.cross(d, e2)
    det = np.einsum("ij,ij->i", e1, p)
    ok = np.abs(det) > _EPS
    inv = np.zeros_like(det)
    inv[ok] = 1.0 / det[ok]
    s = o - tri[:, 0]
    u = np.einsum("ij,ij->i", s, p) * inv
    q = np.cross(s, e1)
    w = (q @ d) * inv
    t = np.einsum("ij,ij->i", e2, q) * inv
    hit = ok & (u >= 0) & (w >= 0) & (u + w <= 1) & (t > 1e-9)
    ts = np.sort(t[hit])
    # A ray through a shared edge or vertex meets two or more triangles at the same distance:
    # count that crossing once, so hit parity stays an inside test.
    keep = np.ones(len(ts), dtype=bool)
    keep[1:] = np.diff(ts) > 1e-9 * (1.0 + ts[1:])
    return ts[keep]


def closest_points_on_triangles(point: np.ndarray, tri: np.ndarray) -> np.ndarray:
    """The closest point to ``point`` on each triangle of ``tri`` (m, 3, 3) (Ericson 5.1.5)."""
    p = np.asarray(point, dtype=np.float64)
    a, b, c = tri[:, 0], tri[:, 1], tri[:, 2]
    ab, ac, ap = b - a, c - a, p - a
    d1, d2 = np.einsum("ij,ij->i", ab, ap), np.einsum("ij,ij->i", ac, ap)
    bp, cp = p - b, p - c
    d3, d4 = np.einsum("ij,ij->i", ab, bp), np.einsum("ij,ij->i", ac, bp)
    d5, d6 = np.einsum("ij,ij->i", ab, cp), np.einsum("ij,ij->i", ac, cp)
    va, vb, vc = d3 * d6 - d5 * d4, d5 * d2 - d1 * d6, d1 * d4 - d3 * d2
    denom = va + vb + vc
    denom = np.where(np.abs(denom) < _EPS, _EPS, denom)
    # Interior by default; the region tests below overwrite vertex and edge cases.
    out = a + ab * (vb / denom)[:, None] + ac * (vc / denom)[:, None]

    def _set(mask: np.ndarray, value: np.ndarray) -> None:
        out[mask] = value[mask]

    with np.errstate(divide="ignore", invalid="ignore"):
        bc_t = (d4 - d3) / ((d4 - d3) + (d5 - d6))
        _set((va <= 0) & (d4 - d3 >= 0) & (d5 - d6 >= 0), b + (c - b) * bc_t[:, None])
        _set((vb <= 0) & (d2 >= 0) & (d6 <= 0), a + ac * (d2 / (d2 - d6))[:, None])
        _set((vc <= 0) & (d1 >= 0) & (d3 <= 0), a + ab * (d1 / (d1 - d3))[:, None])
    _set((d6 >= 0) & (d5 <= d6), c)
    _set((d3 >= 0) & (d4 <= d3), b)
    _set((d1 <= 0) & (d2 <= 0), a)
    return out


def closest_point(vertices: np.ndarray, faces: np.ndarray, point: np.ndarray) -> np.ndarray:
    """The closest point to ``point`` on the surface of a mesh."""
    tri = np.asarray(vertices, dtype=np.float64)[faces]
    cands = closest_points_on_triangles(point, tri)
    dist2 = np.einsum("ij,ij->i", cands - point, cands - point)
    return cands[int(np.argmin(dist2))]


def surface_distance(vertices: np.ndarray, faces: np.ndarray, point: np.ndarray) -> float:
    """Unsigned distance from ``point`` to the surface of a mesh (same units as the mesh)."""
    return float(np.linalg.norm(closest_point(vertices, faces, point) - point))


def contains(vertices: np.ndarray, faces: np.ndarray, point: np.ndarray) -> bool:
    """Whether ``point`` lies inside a closed mesh (majority vote of three ray parities)."""
    dirs = np.array([[0.5773, 0.5774, 0.5773], [-0.2673, 0.5345, -0.8018], [0.8, -0.6, 0.05]])
    votes = sum(len(ray_hits(vertices, faces, point, d)) % 2 for d in dirs)
    return votes >= 2


def polyline_point(line: np.ndarray, fraction: float) -> tuple[np.ndarray, np.ndarray]:
    """The point at arc-length ``fraction`` (0..1) along a polyline and the unit tangent there."""
    pts = np.asarray(line, dtype=np.float64)
    seg = np.diff(pts, axis=0)
    lengths = np.linalg.norm(seg, axis=1)
    total = float(lengths.sum())
    if total <= 0:
        raise ValueError("polyline has zero length")
    target = min(max(fraction, 0.0), 1.0) * total
    cum = np.concatenate([[0.0], np.cumsum(lengths)])
    i = int(np.clip(np.searchsorted(cum, target, side="right") - 1, 0, len(seg) - 1))
    while lengths[i] <= 0 and i > 0:
        i -= 1
    local = (target - cum[i]) / lengths[i] if lengths[i] > 0 else 0.0
    return pts[i] + seg[i] * local, seg[i] / max(lengths[i], _EPS)


class SkinSurface:
    """The skin with its cached query structures (KD-tree, edge graph).

    Distances along the skin use Dijkstra over the mesh edges plus the "diagonal" across
    each pair of triangles sharing an edge, which cuts the zig-zag overestimate of a pure
    edge graph to a few percent on a regular mesh.
    """

    def __init__(self, vertices: np.ndarray, faces: np.ndarray) -> None:
        self.vertices = np.asarray(vertices, dtype=np.float64)
        self.faces = np.asarray(faces, dtype=np.int64)

    @cached_property
    def kdtree(self) -> cKDTree:
        return cKDTree(self.vertices)

    @cached_property
    def graph(self) -> csr_matrix:
        """Symmetric sparse matrix of edge lengths in metres."""
        f = self.faces
        edges = np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]])
        opposite = np.concatenate([f[:, 2], f[:, 0], f[:, 1]])
        n = len(self.vertices)
        key = np.sort(edges, axis=1)
        code = key[:, 0] * n + key[:, 1]
        # Triangles sharing an edge: pair up their opposite vertices (the quad's diagonal).
        order = np.argsort(code, kind="stable")
        code_sorted, opp_sorted = code[order], opposite[order]
        same = code_sorted[1:] == code_sorted[:-1]
        diag = np.sort(np.stack([opp_sorted[:-1][same], opp_sorted[1:][same]], axis=1), axis=1)
        codes = np.unique(np.concatenate([code, diag[:, 0] * n + diag[:, 1]]))
        pairs = np.stack([codes // n, codes % n], axis=1)
        pairs = pairs[pairs[:, 0] != pairs[:, 1]]
        w = np.linalg.norm(self.vertices[pairs[:, 0]] - self.vertices[pairs[:, 1]], axis=1)
        rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
        cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
        return coo_matrix((np.concatenate([w, w]), (rows, cols)), shape=(n, n)).tocsr()

    def nearest_vertex(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Snap points (k, 3) to skin vertices; return (vertex ids, distances in metres)."""
        dist, idx = self.kdtree.query(np.atleast_2d(np.asarray(points, dtype=np.float64)))
        return np.asarray(idx, dtype=np.int64), np.asarray(dist)

    def distances_from(self, sources: np.ndarray, limit: float) -> np.ndarray:
        """Skin distances (metres) from each source vertex, ``inf`` beyond ``limit``.

        Returns an array (len(sources), n_vertices).
        """
        src = np.atleast_1d(np.asarray(sources, dtype=np.int64))
        return np.atleast_2d(dijkstra(self.graph, directed=False, indices=src, limit=limit))

    def nearest_to_direction(self, point: np.ndarray) -> np.ndarray:
        """Unit vector from ``point`` toward the nearest skin vertex ("superficial")."""
        idx, _ = self.nearest_vertex(point)
        d = self.vertices[int(idx[0])] - np.asarray(point, dtype=np.float64)
        n = float(np.linalg.norm(d))
        if n < _EPS:
            raise ValueError("point lies on the skin")
        return d / n
