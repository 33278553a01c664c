"""Local corrections of the posed skin: close the mouth pocket, push skin out over bone.

Both keep the surface closed: the mouth pocket is cut out and capped, and the inflation only
moves vertices along their normals.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import ConvexHull, cKDTree

from anatomy.geometry.solid import signed_distance
from anatomy.geometry.surface import vertex_normals

# A lift of the skin falls off over LIFT_SPREAD times its height (at most MAX_SPREAD metres).
LIFT_SPREAD = 8.0
MAX_SPREAD = 0.08
MIN_SPREAD = 0.016


def edges_of(faces: np.ndarray) -> np.ndarray:
    """Unique undirected edges (k, 2), sorted."""
    e = np.sort(np.vstack([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1)
    return np.unique(e, axis=0)


def mean_operator(n: int, faces: np.ndarray) -> csr_matrix:
    """Sparse matrix averaging each vertex with its one-ring neighbours."""
    e = edges_of(faces)
    rows = np.concatenate([e[:, 0], e[:, 1], np.arange(n)])
    cols = np.concatenate([e[:, 1], e[:, 0], np.arange(n)])
    mat = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)).tocsr()
    deg = np.asarray(mat.sum(axis=1)).ravel()
    return csr_matrix(mat.multiply(1.0 / deg[:, None]))


def pocket_vertices(
    vertices: np.ndarray, faces: np.ndarray, region: np.ndarray, seed: np.ndarray,
    depth: float = 0.006,
) -> np.ndarray:  # fmt: skip
    """Vertices of a pocket (e.g. the mouth): those of ``region`` deeper than ``depth`` inside
    the region's convex hull and connected to the ``seed`` point."""
    hull = ConvexHull(vertices[region])
    inside = -(vertices @ hull.equations[:, :3].T + hull.equations[:, 3]).max(axis=1)
    deep = np.zeros(len(vertices), dtype=bool)
    deep[region] = inside[region] > depth
    e = edges_of(faces)
    e = e[deep[e[:, 0]] & deep[e[:, 1]]]
    n = len(vertices)
    graph = coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    cand = np.flatnonzero(deep)
    start = cand[np.argmin(np.linalg.norm(vertices[cand] - seed, axis=1))]
    return np.flatnonzero(deep & (label == label[start]))


def cut_and_cap(
    vertices: np.ndarray, faces: np.ndarray, remove: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Delete ``remove`` vertices and close the single hole left with a fan.

    Returns new vertices, faces and, for each new vertex, its old index (-1 for the fan centre).
    """
    gone = np.zeros(len(vertices), dtype=bool)
    gone[remove] = True
    # Islands of surface cut off by the removed region go too, so one hole remains.
    kept = faces[~gone[faces].any(axis=1)]
    n = len(vertices)
    graph = coo_matrix(
        (np.ones(len(kept) * 2), (np.r_[kept[:, 0], kept[:, 1]], np.r_[kept[:, 1], kept[:, 2]])),
        shape=(n, n),
    )
    _, label = connected_components(graph, directed=False)
    used = np.unique(kept)
    main = np.bincount(label[used]).argmax()
    gone |= label != main
    kept = faces[~gone[faces].any(axis=1)]
    # Boundary half-edges: directed edges whose twin is missing; the hole runs opposite.
    half = np.vstack([kept[:, [0, 1]], kept[:, [1, 2]], kept[:, [2, 0]]])
    twins = set(map(tuple, half))
    border = [(int(a), int(b)) for a, b in half if (b, a) not in twins]
    nxt = {b: a for a, b in border}  # walk the hole with the kept faces' orientation reversed
    start = min(nxt)
    loop = [start]
    while nxt[loop[-1]] != start:
        loop.append(nxt[loop[-1]])
        if len(loop) > len(border):
            raise ValueError("mouth hole boundary is not a single loop")
    if len(loop) != len(border):
        raise ValueError("cutting the mouth left more than one hole")
    centre = vertices[loop].mean(axis=0)
    keep_ids = np.flatnonzero(~gone)
    remap = np.full(len(vertices), -1, dtype=np.int64)
    remap[keep_ids] = np.arange(len(keep_ids))
    c = len(keep_ids)
    ring = remap[np.asarray(loop)]
    cap = np.stack([ring, np.roll(ring, -1), np.full(len(ring), c)], axis=1)
    new_faces = np.vstack([remap[kept], cap]).astype(np.int32)
    new_verts = np.vstack([vertices[keep_ids], centre])
    return new_verts, new_faces, np.append(keep_ids, -1)


def inflate(
    vertices: np.ndarray, faces: np.ndarray, bone_points: np.ndarray, clearance: float = 0.003,
    iterations: int = 10,
) -> np.ndarray:  # fmt: skip
    """Push skin outward along its normals wherever bone points lie outside or within
    ``clearance`` of it.

    Each offending point lifts the skin vertex over it by the depth needed, and the lift falls
    off smoothly over a radius of ``LIFT_SPREAD`` times that depth (1.6-8 cm), among vertices
    whose normals agree, so a finger's bump does not spread to the next finger.
    """
    verts = vertices.copy()
    # Inflation only moves skin outward, so a point once clear stays clear: each round tests
    # only the points that were not clear in the round before.
    candidates = np.asarray(bone_points, dtype=np.float64)
    for _ in range(iterations):
        need = signed_distance(candidates, verts, faces) + clearance
        bad = need > 0
        if not bad.any():
            break
        candidates, need = candidates[bad], need[bad]
        bad = np.ones(len(candidates), dtype=bool)
        normals = vertex_normals(verts, faces)
        tree = cKDTree(verts)
        pts = candidates[bad]
        _, near = tree.query(pts, k=8)
        # The skin vertex to move: the nearest one whose normal faces the bone point.
        facing = np.einsum("ijk,ijk->ij", pts[:, None, :] - verts[near], normals[near]) > 0
        pick = near[np.arange(len(pts)), np.argmax(facing, axis=1)]
        lift = np.zeros(len(verts))
        np.maximum.at(lift, pick, need[bad])
        centres = np.flatnonzero(lift)
        push = np.zeros(len(verts))
        radii = np.clip(LIFT_SPREAD * lift[centres], MIN_SPREAD, MAX_SPREAD)
        for c, r, ball in zip(
            centres, radii, tree.query_ball_point(verts[centres], radii), strict=True
        ):
            ball = np.asarray(ball)
            d = np.linalg.norm(verts[ball] - verts[c], axis=1) / r
            agree = np.clip((normals[ball] @ normals[c] - 0.2) / 0.5, 0.0, 1.0)
            np.maximum.at(push, ball, lift[c] * (1.0 - d**2) ** 2 * agree)
        verts += push[:, None] * normals
    return verts


def _ring_max(values: np.ndarray, faces: np.ndarray) -> np.ndarray:
    out = values.copy()
    for i, j in ((0, 1), (1, 2), (2, 0), (1, 0), (2, 1), (0, 2)):
        np.maximum.at(out, faces[:, i], values[faces[:, j]])
    return out
