"""Inside tests and distances for closed triangle surfaces (skin, bones, muscles)."""

from __future__ import annotations

import numpy as np

# Cell size (m) of the grid that buckets triangles for the vertical ray casts.
_CELL = 0.004
# Points are nudged by this tiny, fixed offset so rays never graze a vertex or an edge exactly.
_NUDGE = np.array([1.234567e-7, 2.718281e-7])


def polydata(vertices: np.ndarray, faces: np.ndarray):  # type: ignore[no-untyped-def]
    """A ``pyvista.PolyData`` triangle surface."""
    import pyvista as pv

    cells = np.hstack([np.full((len(faces), 1), 3, dtype=np.int64), faces.astype(np.int64)])
    return pv.PolyData(np.asarray(vertices, dtype=np.float64), cells.ravel())


def winding_numbers(points: np.ndarray, vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Winding number of a closed, outward-wound surface around each point (int).

    Counted along a vertical ray (+z) from each point: every crossing of a triangle adds the
    sign of the triangle's normal z. Self-intersecting parts of the surface (an arm pressed
    into the trunk) simply count twice, so ``w >= 1`` is "inside" even where they overlap.
    """
    pts = np.asarray(points, dtype=np.float64).copy()
    pts[:, :2] += _NUDGE
    verts = np.asarray(vertices, dtype=np.float64)
    tri = verts[faces]
    normal_z = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])[:, 2]
    lo = np.minimum(verts[:, :2].min(axis=0), pts[:, :2].min(axis=0)) - _CELL
    ncol = int(np.ceil((max(verts[:, 1].max(), pts[:, 1].max()) - lo[1]) / _CELL)) + 2
    # Bucket each triangle into every grid cell its xy box touches.
    tmin = np.floor((tri[:, :, :2].min(axis=1) - lo) / _CELL).astype(np.int64)
    tmax = np.floor((tri[:, :, :2].max(axis=1) - lo) / _CELL).astype(np.int64)
    cell_tri, cell_key = [], []
    for dx in range(int((tmax - tmin)[:, 0].max()) + 1):
        for dy in range(int((tmax - tmin)[:, 1].max()) + 1):
            ok = (tmin[:, 0] + dx <= tmax[:, 0]) & (tmin[:, 1] + dy <= tmax[:, 1])
            ids = np.flatnonzero(ok)
            cell_tri.append(ids)
            cell_key.append((tmin[ids, 0] + dx) * ncol + tmin[ids, 1] + dy)
    tri_ids = np.concatenate(cell_tri)
    keys = np.concatenate(cell_key)
    order = np.argsort(keys, kind="stable")
    tri_ids, keys = tri_ids[order], keys[order]
    pcell = np.floor((pts[:, :2] - lo) / _CELL).astype(np.int64)
    pkey = pcell[:, 0] * ncol + pcell[:, 1]
    start = np.searchsorted(keys, pkey, side="left")
    count = np.searchsorted(keys, pkey, side="right") - start
    pidx = np.repeat(np.arange(len(pts)), count)
    offs = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    cand = tri_ids[np.repeat(start, count) + offs]
    return _count_crossings(pts, tri, normal_z, pidx, cand, len(pts))


def _count_crossings(pts, tri, normal_z, pidx, cand, n):  # type: ignore[no-untyped-def]
    # Cheap rejections first: the triangle must reach above the point and cover it in xy.
    zmax = tri[:, :, 2].max(axis=1)
    keep = zmax[cand] > pts[pidx, 2]
    pidx, cand = pidx[keep], cand[keep]
    for axis in (0, 1):
        lo, hi = tri[:, :, axis].min(axis=1), tri[:, :, axis].max(axis=1)
        p = pts[pidx, axis]
        keep = (p >= lo[cand]) & (p <= hi[cand])
        pidx, cand = pidx[keep], cand[keep]
    p = pts[pidx]
    a, b, c = tri[cand, 0], tri[cand, 1], tri[cand, 2]

    def edge(u, v):  # type: ignore[no-untyped-def]
        return (v[:, 0] - u[:, 0]) * (p[:, 1] - u[:, 1]) - (v[:, 1] - u[:, 1]) * (p[:, 0] - u[:, 0])

    e0, e1, e2 = edge(a, b), edge(b, c), edge(c, a)
    inside = ((e0 > 0) & (e1 > 0) & (e2 > 0)) | ((e0 < 0) & (e1 < 0) & (e2 < 0))
    area = e0 + e1 + e2
    safe = np.where(area == 0, 1.0, area)
    z = (e1 * a[:, 2] + e2 * b[:, 2] + e0 * c[:, 2]) / safe
    hit = inside & (z > p[:, 2])
    out = np.zeros(n, dtype=np.int64)
    np.add.at(out, pidx[hit], np.sign(normal_z[cand[hit]]).astype(np.int64))
    return out


def inside_mask(points: np.ndarray, vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """True for points inside a closed surface (winding number >= 1)."""
    return winding_numbers(points, vertices, faces) >= 1


def signed_distance(points: np.ndarray, vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Signed distance (m) from each point to a closed, outward-wound surface; < 0 inside."""
    dist = unsigned_distance(points, vertices, faces)
    return np.where(inside_mask(points, vertices, faces), -dist, dist)


def inside_both_ways(points: np.ndarray, vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Inside by both an upward and a downward ray: robust to small holes in a surface.

    Some bone meshes of the model have pinholes; a single ray through a hole miscounts, but
    it is very unlikely that both rays of a point pass through holes.
    """
    flip = np.array([1.0, 1.0, -1.0])
    up = winding_numbers(points, vertices, faces) >= 1
    down = -winding_numbers(np.asarray(points) * flip, np.asarray(vertices) * flip, faces) >= 1
    return up & down


def inside_any(points: np.ndarray, meshes: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Inside at least one of several closed meshes (each tested alone, within its box)."""
    pts = np.asarray(points, dtype=np.float64)
    out = np.zeros(len(pts), dtype=bool)
    for vertices, faces in meshes:
        lo, hi = vertices.min(axis=0), vertices.max(axis=0)
        cand = np.flatnonzero(((pts >= lo) & (pts <= hi)).all(axis=1) & ~out)
        if len(cand):
            out[cand] |= inside_both_ways(pts[cand], vertices, faces)
    return out


def unsigned_distance(points: np.ndarray, vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Distance (m) from each point to the nearest point of a triangle surface."""
    import pyvista as pv

    cloud = pv.PolyData(np.asarray(points, dtype=np.float64))
    out = cloud.compute_implicit_distance(polydata(vertices, faces))
    return np.abs(np.asarray(out["implicit_distance"], dtype=np.float64))


def is_watertight(faces: np.ndarray) -> bool:
    """Closed and consistently oriented: every directed edge appears once, with its twin."""
    if len(faces) == 0:
        return False
    directed = np.vstack([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]).astype(np.int64)
    n = int(directed.max()) + 1
    keys = directed[:, 0] * n + directed[:, 1]
    if len(np.unique(keys)) != len(keys):
        return False
    twins = directed[:, 1] * n + directed[:, 0]
    return bool(np.isin(twins, keys).all())
