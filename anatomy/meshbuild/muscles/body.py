"""The body a muscle must fit in: signed distances to the bones and to the skin.

Signed distances come from the nearest surface sample (vertices and triangle centroids, each
with an outward normal): negative inside, positive outside. This is exact enough for the
few-millimetre decisions made here and takes milliseconds for thousands of points.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from anatomy.meshbuild.muscles.mesh import signed_volume


def _surface_samples(vertices: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vertices and face centroids with outward unit normals (area-weighted at vertices)."""
    v = np.asarray(vertices, dtype=float)
    f = np.asarray(faces, dtype=np.int64)
    if signed_volume(v, f) < 0:
        f = f[:, ::-1]
    fn = np.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]])
    vn = np.zeros_like(v)
    for j in range(3):
        np.add.at(vn, f[:, j], fn)
    used = np.zeros(len(v), dtype=bool)
    used[f.ravel()] = True
    pts = np.concatenate([v[used], v[f].mean(axis=1)])
    nrm = np.concatenate([vn[used], fn])
    nrm /= np.maximum(np.linalg.norm(nrm, axis=1, keepdims=True), 1e-15)
    return pts, nrm


class Surface:
    """One closed surface (or a union of closed surfaces) for signed-distance queries."""

    def __init__(self, meshes: list[tuple[np.ndarray, np.ndarray]]) -> None:
        parts = [_surface_samples(v, f) for v, f in meshes]
        self.points = np.concatenate([p for p, _ in parts])
        self.normals = np.concatenate([n for _, n in parts])
        self.tree = cKDTree(self.points)

    def signed(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Signed distance (m), nearest surface point and its outward normal, per query point."""
        q = np.atleast_2d(np.asarray(query, dtype=float))
        _, idx = self.tree.query(q)
        p, n = self.points[idx], self.normals[idx]
        return np.einsum("ij,ij->i", q - p, n), p, n

    def nearest_facing(
        self, query: np.ndarray, facing: np.ndarray, k: int = 64
    ) -> tuple[np.ndarray, np.ndarray]:
        """Nearest surface point whose outward normal faces ``facing`` (within 70 degrees).

        Falls back to the plain nearest point where none of the ``k`` nearest samples does.
        """
        q = np.atleast_2d(np.asarray(query, dtype=float))
        _, idx = self.tree.query(q, k=k)
        ok = self.normals[idx] @ facing > 0.34
        first = np.where(ok.any(axis=1), ok.argmax(axis=1), 0)
        pick = idx[np.arange(len(q)), first]
        return self.points[pick], self.normals[pick]


class Body:
    """Bones and skin together (and any cavity no muscle enters); pushes points out of bone
    and into the skin."""

    def __init__(
        self,
        bones: dict[str, tuple[np.ndarray, np.ndarray]],
        skin: tuple[np.ndarray, np.ndarray],
        cavities: list[tuple[np.ndarray, np.ndarray]] | None = None,
    ):
        self.bones = bones
        self.skin_mesh = skin
        self.bone = Surface(list(bones.values()))
        self.skin = Surface([skin])
        # Closed spaces no muscle enters (the chest cavity inside the pleura), or None.
        self.cavity = Surface(list(cavities)) if cavities else None
        self._parts: dict[str, Surface] = {}

    def keep_faces_inside(
        self,
        vertices: np.ndarray,
        faces: np.ndarray,
        margin: float = 0.0025,
        iterations: int = 4,
        frozen: np.ndarray | None = None,
    ) -> np.ndarray:
        """Move the corners of triangles whose centre lies outside the skin inward.

        All vertices may lie inside while a triangle spans a concave fold of the skin (the
        armpit, between arm and trunk): its centre then lies outside. Each such triangle's
        corners are moved along the inward skin normal at its centre.
        """
        v = np.asarray(vertices, dtype=float).copy()
        for _ in range(iterations):
            centres = v[faces].mean(axis=1)
            s, _, n = self.skin.signed(centres)
            bad = s > -margin
            if not bad.any():
                break
            shift = np.zeros_like(v)
            count = np.zeros(len(v))
            for j in range(3):
                idx = faces[bad, j]
                np.add.at(shift, idx, -(s[bad] + margin)[:, None] * n[bad])
                np.add.at(count, idx, 1.0)
            moved = count > 0
            if frozen is not None:
                moved &= ~frozen
            v[moved] += shift[moved] / count[moved, None]
        return v

    def bone_part(self, geom: str) -> Surface:
        """The surface of one bone geom alone (cached)."""
        if geom not in self._parts:
            self._parts[geom] = Surface([self.bones[geom]])
        return self._parts[geom]

    def push(
        self,
        points: np.ndarray,
        bone_clearance: float | np.ndarray = 0.0008,
        skin_margin: float | np.ndarray = 0.003,
        iterations: int = 4,
        frozen: np.ndarray | None = None,
    ) -> np.ndarray:
        """Move points out of any bone (by ``bone_clearance``) and inside the skin.

        The skin wins where both cannot hold (a point is never left outside the body).
        ``frozen`` marks points that must not move (e.g. attachment points).
        """
        p = np.asarray(points, dtype=float).copy()
        clear = np.broadcast_to(np.asarray(bone_clearance, dtype=float), (len(p),))
        margin = np.broadcast_to(np.asarray(skin_margin, dtype=float), (len(p),))
        for _ in range(iterations):
            s, _, n = self.bone.signed(p)
            bad = s < clear
            if frozen is not None:
                bad &= ~frozen
            p[bad] += (clear[bad] - s[bad])[:, None] * n[bad]
            s, _, n = self.skin.signed(p)
            bad = s > -margin
            if frozen is not None:
                bad &= ~frozen
            p[bad] -= (s[bad] + margin[bad])[:, None] * n[bad]
        return p

    def on_bone(
        self,
        points: np.ndarray,
        height: np.ndarray | float,
        facing: np.ndarray | None = None,
        geom: str = "",
    ) -> np.ndarray:
        """Each point moved to ``height`` above its nearest bone surface point (that faces
        ``facing``, when given; on the bone geom ``geom`` only, when given)."""
        surface = self.bone_part(geom) if geom else self.bone
        if facing is None:
            _, b, n = surface.signed(points)
        else:
            b, n = surface.nearest_facing(points, facing)
        return b + np.asarray(height, dtype=float).reshape(-1, 1) * n

    def under_skin(
        self, points: np.ndarray, depth: np.ndarray | float, facing: np.ndarray | None = None
    ) -> np.ndarray:
        """Each point moved to ``depth`` beneath its nearest skin point (that faces
        ``facing``, when given)."""
        if facing is None:
            _, k, n = self.skin.signed(points)
        else:
            k, n = self.skin.nearest_facing(points, facing)
        return k - np.asarray(depth, dtype=float).reshape(-1, 1) * n

    def superficial(self, points: np.ndarray) -> np.ndarray:
        """Unit direction from each point toward its nearest skin point (outward normal there)."""
        _, _, n = self.skin.signed(points)
        return n
