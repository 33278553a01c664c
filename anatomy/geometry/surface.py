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


def _cross_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise cross product of (m, 3) arrays (either may be a single (3,) vector)."""
    a, b = np.broadcast_arrays(np.atleast_2d(a), np.atleast_2d(b))
    return np.column_stack([
        a[:, 1] * b[:, 2] - a[:, 2] * b[:, 1],
        a[:, 2] * b[:, 0] - a[:, 0] * b[:, 2],
        a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0],
    ])  # fmt: skip


def vertex_normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Area-weighted unit vertex normals ``(n, 3)`` of an outward-wound triangle mesh
    (float64; zero rows for vertices no triangle uses)."""
    v = np.asarray(vertices, dtype=np.float64)
    f = np.asarray(faces, dtype=np.int64)
    face_n = np.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]])
    normals = np.zeros_like(v)
    for k in range(3):
        np.add.at(normals, f[:, k], face_n)
    length = np.linalg.norm(normals, axis=1, keepdims=True)
    np.divide(normals, length, out=normals, where=length > 0)
    return normals


def _rowdot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.einsum("ij,ij->i", a, b)


class MeshQuery:
    """Ray, closest-point and inside queries on one closed mesh, with its triangles cached.

    Parameters
    ----------
    vertices, faces
        The mesh: (n, 3) positions and (m, 3) vertex indices.
    """

    _INSIDE_RAYS = np.array([[0.5773, 0.5774, 0.5773], [-0.2673, 0.5345, -0.8018],
                             [0.8, -0.6, 0.05]])

    def __init__(self, vertices: np.ndarray, faces: np.ndarray) -> None:
        self.vertices = np.asarray(vertices, dtype=np.float64)
        tri = self.vertices[np.asarray(faces)]
        self.tri = tri
        self.a = tri[:, 0]
        self.e1 = tri[:, 1] - tri[:, 0]
        self.e2 = tri[:, 2] - tri[:, 0]
        # Bounding spheres: a ray is tested in full only against triangles it passes near.
        self.centre = tri.mean(axis=1)
        self.radius = np.linalg.norm(tri - self.centre[:, None, :], axis=2).max(axis=1) + 1e-9

    def ray_hits(self, origin: np.ndarray, direction: np.ndarray) -> np.ndarray:
        """Distances along a ray to every triangle it crosses (Moller-Trumbore), sorted.

        ``direction`` need not be unit length (distances are in its units). Hits at the same
        distance (an edge shared by two triangles) count once, so hit parity stays an inside
        test. Returns an empty array when the ray misses.
        """
        return self.ray_crossings(origin, direction)[0]

    def ray_crossings(self, origin: np.ndarray,
                      direction: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        """:meth:`ray_hits` with the index of the triangle crossed at each distance."""
        o = np.asarray(origin, dtype=np.float64)
        d = np.asarray(direction, dtype=np.float64)
        unit = d / np.linalg.norm(d)
        rel = self.centre - o
        along = rel @ unit
        off2 = np.einsum("ij,ij->i", rel, rel) - along**2
        near = np.flatnonzero((off2 <= self.radius**2) & (along >= -self.radius))
        e1, e2 = self.e1[near], self.e2[near]
        p = _cross_rows(d, e2)
        det = _rowdot(e1, p)
        ok = np.abs(det) > _EPS
        inv = np.zeros_like(det)
        inv[ok] = 1.0 / det[ok]
        s = o - self.a[near]
        u = _rowdot(s, p) * inv
        q = _cross_rows(s, e1)
        w = (q @ d) * inv
        t = _rowdot(e2, q) * inv
        hit = ok & (u >= 0) & (w >= 0) & (u + w <= 1) & (t > 1e-9)
        order = np.argsort(t[hit], kind="stable")
        ts, faces = t[hit][order], near[hit][order]
        keep = np.ones(len(ts), dtype=bool)
        keep[1:] = np.diff(ts) > 1e-9 * (1.0 + ts[1:])
        return ts[keep], faces[keep]

    def closest_point(self, point: np.ndarray) -> np.ndarray:
        """The closest point to ``point`` on the mesh surface."""
        return self.closest_face(point)[0]

    def closest_face(self, point: np.ndarray) -> tuple[np.ndarray, int]:
        """The closest point to ``point`` on the mesh surface and the triangle it lies on."""
        p = np.asarray(point, dtype=np.float64)
        cands = closest_points_on_triangles(p, self.tri)
        diff = cands - p
        best = int(np.argmin(_rowdot(diff, diff)))
        return cands[best], best

    def contains(self, point: np.ndarray, first_ray_hits: np.ndarray | None = None,
                 mirrored: bool = False) -> bool:
        """Whether ``point`` lies inside the closed mesh (majority of three ray parities).

        ``first_ray_hits`` may pass the hits of a ray already cast from ``point`` to stand in
        for the first of the three. ``mirrored`` reflects the test rays through x = 0, so that
        a mesh and its mirror image (left and right muscles) get the same answer even where
        the surface is not cleanly closed.
        """
        rays = self._INSIDE_RAYS * (np.array([-1.0, 1.0, 1.0]) if mirrored else 1.0)
        votes = 0
        for k, d in enumerate(rays):
            hits = first_ray_hits if (k == 0 and first_ray_hits is not None) else \
                self.ray_hits(point, d)
            votes += len(hits) % 2
            if votes >= 2 or votes + (2 - k) < 2:
                break
        return votes >= 2


def ray_hits(
    vertices: np.ndarray, faces: np.ndarray, origin: np.ndarray, direction: np.ndarray
) -> np.ndarray:
    """Sorted distances along a ray to the mesh's triangles (see :meth:`MeshQuery.ray_hits`)."""
    return MeshQuery(vertices, faces).ray_hits(origin, direction)


def closest_points_on_triangles(point: np.ndarray, tri: np.ndarray) -> np.ndarray:
    """The closest point to ``point`` on each triangle of ``tri`` (m, 3, 3) (Ericson 5.1.5)."""
    p = np.asarray(point, dtype=np.float64)
    a, b, c = tri[:, 0], tri[:, 1], tri[:, 2]
    ab, ac, ap = b - a, c - a, p - a
    d1, d2 = _rowdot(ab, ap), _rowdot(ac, ap)
    bp, cp = p - b, p - c
    d3, d4 = _rowdot(ab, bp), _rowdot(ac, bp)
    d5, d6 = _rowdot(ab, cp), _rowdot(ac, cp)
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
    return MeshQuery(vertices, faces).closest_point(point)


def surface_distance(vertices: np.ndarray, faces: np.ndarray, point: np.ndarray) -> float:
    """Unsigned distance from ``point`` to the surface of a mesh (same units as the mesh)."""
    return float(np.linalg.norm(closest_point(vertices, faces, point) - point))


def contains(vertices: np.ndarray, faces: np.ndarray, point: np.ndarray) -> bool:
    """Whether ``point`` lies inside a closed mesh (majority vote of three ray parities)."""
    return MeshQuery(vertices, faces).contains(np.asarray(point, dtype=np.float64))


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
        codes = np.sort(np.concatenate([code, diag[:, 0] * n + diag[:, 1]]))
        codes = codes[np.concatenate([[True], np.diff(codes) != 0])]
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
        # The graph is stored symmetric, so a directed search gives the undirected distances
        # without scipy building the transpose on every call.
        return np.atleast_2d(dijkstra(self.graph, directed=True, indices=src, limit=limit))

    def nearest_to_direction(self, point: np.ndarray) -> np.ndarray:
        """Unit vector from ``point`` toward the nearest skin vertex ("superficial")."""
        idx, _ = self.nearest_vertex(point)
        d = self.vertices[int(idx[0])] - np.asarray(point, dtype=np.float64)
        n = float(np.linalg.norm(d))
        if n < _EPS:
            raise ValueError("point lies on the skin")
        return d / n
