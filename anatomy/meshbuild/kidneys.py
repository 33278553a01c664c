"""The kidneys, left and right: schematic ellipsoids set by vertebral levels.

A needle beside the lumbar spine is safe as long as it stays short of the kidney; the depth
profiles of the low back need the kidney to say how far that is. Each kidney is placed by
textbook relations (``KIDNEY_SOURCES``), measured on this skeleton:

- **levels**: the left kidney from the top of the T12 vertebral body to the middle of L3,
  the right one lower by ``RIGHT_LOWER_M`` (the liver sits above it);
- **size**: the span between those levels is its length; width and thickness keep the usual
  proportions of about 11 x 6 x 3 cm;
- **axis**: the upper pole nearer the midline than the lower, the hilum turned forward and
  toward the midline;
- **depth**: its back surface rests on the posterior abdominal wall, ``WALL_GAP_M`` in front
  of the quadratus lumborum and psoas and clear of the bones. (The atlas's diaphragm is a
  schematic band under the ribs, not the dome the upper pole rests against, so it does not
  count as wall.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from anatomy.geometry.meshio import TriMesh

RIGHT_LOWER_M = 0.012
WIDTH_OF_LENGTH = 0.55  # 6 cm wide for 11 cm long
THICKNESS_OF_LENGTH = 0.30  # 3 cm thick (front to back)
UPPER_POLE_FROM_MIDLINE_M = 0.055
LOWER_POLE_FROM_MIDLINE_M = 0.075
HILUM_TURN_DEG = 35.0  # the kidney's flat faces turned so the hilum faces forward and inward
WALL_GAP_M = 0.002
WALL = ("quadratus_lumborum", "psoas_major")
SUBDIVISIONS = 3  # icosphere level: 642 vertices, 1,280 triangles
KIDNEY_SOURCES = ("standring_2016",)


@dataclass(frozen=True)
class KidneySide:
    """One kidney and the vertebral heights it was placed by."""

    side: str
    mesh: TriMesh
    upper_pole_z: float
    lower_pole_z: float


def vertebra_bodies(mesh: TriMesh) -> list[np.ndarray]:
    """The vertices of each vertebra of a spine mesh (its connected parts), top first."""
    faces = np.asarray(mesh.faces)
    n = len(mesh.vertices)
    edges = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]]])
    graph = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    count, label = connected_components(graph, directed=False)
    v = np.asarray(mesh.vertices, float)
    parts = [v[label == k] for k in range(count) if (label == k).sum() > 20]
    return sorted(parts, key=lambda p: -float(p[:, 2].max()))


def _icosphere() -> tuple[np.ndarray, np.ndarray]:
    import pyvista as pv

    sphere = pv.Icosphere(radius=1.0, nsub=SUBDIVISIONS)
    return np.asarray(sphere.points, float), np.asarray(sphere.faces.reshape(-1, 4)[:, 1:])


def build_kidneys(bones: dict[str, TriMesh], muscles: dict[str, TriMesh]) -> list[KidneySide]:
    """The left and right kidney from the skeleton (``bone_<name>``) and the muscles of the
    posterior abdominal wall (``<muscle>_<side>``)."""
    thoracic = vertebra_bodies(bones["bone_thoracic_spine"])
    lumbar = vertebra_bodies(bones["bone_lumbar_spine"])
    t12, l3 = thoracic[11], lumbar[2]
    top = float(t12[:, 2].max())
    bottom = float((l3[:, 2].min() + l3[:, 2].max()) / 2)
    unit, faces = _icosphere()
    out = []
    for side in ("left", "right"):
        sign = 1.0 if side == "left" else -1.0
        drop = RIGHT_LOWER_M if side == "right" else 0.0
        upper = np.array([sign * UPPER_POLE_FROM_MIDLINE_M, 0.0, top - drop])
        lower = np.array([sign * LOWER_POLE_FROM_MIDLINE_M, 0.0, bottom - drop])
        length = float(np.linalg.norm(upper - lower))
        axis = (upper - lower) / length
        # The flat faces: the coronal direction turned about the long axis, front edge inward.
        turn = np.radians(HILUM_TURN_DEG)
        across = np.array([sign * np.cos(turn), sign * np.sin(turn), 0.0])
        across -= np.dot(across, axis) * axis
        across /= np.linalg.norm(across)
        depth = np.cross(axis, across)
        frame = np.stack([across, depth, axis], axis=1)
        radii = np.array([WIDTH_OF_LENGTH, THICKNESS_OF_LENGTH, 1.0]) * length / 2
        shape = (unit * radii) @ frame.T
        centre = (upper + lower) / 2
        verts = _against_wall(shape, centre, side, muscles, bones)
        mesh = TriMesh(vertices=verts.astype(np.float32), faces=faces.astype(np.int32))
        out.append(KidneySide(side, mesh, float(verts[:, 2].max()), float(verts[:, 2].min())))
    return out


def _against_wall(shape: np.ndarray, centre: np.ndarray, side: str,
                  muscles: dict[str, TriMesh],
                  bones: dict[str, TriMesh]) -> np.ndarray:  # fmt: skip
    """The kidney moved front to back until its back surface rests ``WALL_GAP_M`` in front
    of the wall's muscles and clear of the bones."""
    from anatomy.geometry.solid import inside_any

    wall = [(np.asarray(muscles[f"{m}_{side}"].vertices, float), muscles[f"{m}_{side}"].faces)
            for m in WALL]  # fmt: skip
    solid = wall + [(np.asarray(b.vertices, float), b.faces) for b in bones.values()]
    near = cKDTree(np.concatenate([w[0] for w in solid]))
    best = None
    for y in np.arange(0.10, 0.30, 0.001):  # from in front of the spine, backwards
        verts = shape + np.array([centre[0], y, centre[2]])
        clear = near.query(verts)[0].min() >= WALL_GAP_M
        if clear and not inside_any(verts, solid).any():
            best = verts
        elif best is not None:
            break
    if best is None:
        raise ValueError(f"the {side} kidney finds no place in front of the posterior wall")
    return best
