"""The atlas skeleton: myo-sim's bone geoms merged into named bones and decimated.

Each atlas bone (``bone_<name>_<side>`` or ``bone_<name>`` on the midline) merges one or more
mesh geoms of the standing ``myofullbody`` model. Geoms are decimated one at a time with
fast-simplification (quadric edge collapse, deterministic) to a per-geom triangle budget, so
the small hand bones, which hold most of the raw vertices, are reduced hardest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anatomy.geometry.meshio import TriMesh
from anatomy.meshbuild.myosim import BoneGeom, StandingModel

# Bodies of the arm that are not hand bones; every other arm body (carpals, metacarpals,
# phalanges) is merged into ``hand``.
_ARM_BODIES = ("clavicle", "scapula", "humerus", "ulna", "radius")
_HAND_BODY_PREFIXES = (
    "lunate", "scaphoid", "pisiform", "triquetrum", "capitate", "trapezium", "trapezoid",
    "hamate", "firstmc", "secondmc", "thirdmc", "fourthmc", "fifthmc", "proximal_thumb",
    "distal_thumb", "2proxph", "3proxph", "4proxph", "5proxph", "midph", "distph",
)  # fmt: skip

# Triangle budget per geom: the default keeps small meshes whole.
_DEFAULT_BUDGET = 1200
_BUDGETS = {"skull": 6000, "jaw": 2400, "thorax": 12000, "cervical_spine": 2400, "hand": 320}


@dataclass(frozen=True)
class AtlasBone:
    """One atlas bone: its id, anatomical name, side and merged mesh."""

    id: str
    bone: str
    side: str | None
    mesh: TriMesh


def bone_of_geom(geom: BoneGeom) -> tuple[str, str | None]:
    """The atlas bone name and side (``left``/``right``/None) a myo-sim geom belongs to."""
    body, name = geom.body, geom.geom
    side: str | None = None
    if body.endswith("_r") or name.endswith("_r"):
        side = "right"
    elif body.endswith("_l") or name.endswith("_l"):
        side = "left"
    stem = body[:-2] if body.endswith(("_r", "_l")) else body
    if body == "head":
        return ("jaw" if "jaw" in name else "skull"), None
    if body == "neck":
        return "cervical_spine", None
    if body == "torso":
        return ("thorax" if "ribcage" in geom.mesh else "thoracic_spine"), None
    if body.startswith("lumbar"):
        return "lumbar_spine", None
    if body == "sacrum":
        return "sacrum", None
    if body == "pelvis":
        return "hip_bone", side
    if stem in _ARM_BODIES:
        return stem, side
    if stem.startswith(_HAND_BODY_PREFIXES):
        return "hand", side
    if stem == "tibia":
        return ("fibula" if "fibula" in name else "tibia"), side
    if stem in ("talus", "calcn", "toes"):
        return "foot", side
    if stem in ("femur", "patella"):
        return stem, side
    raise ValueError(f"myo-sim geom {name!r} on body {body!r} has no atlas bone")


def bone_id(bone: str, side: str | None) -> str:
    """``bone_<name>_<side>``, or ``bone_<name>`` for a midline bone."""
    return f"bone_{bone}" if side is None else f"bone_{bone}_{side}"


def decimate(vertices: np.ndarray, faces: np.ndarray, budget: int) -> tuple[np.ndarray, np.ndarray]:
    """Reduce a closed mesh to at most about ``budget`` triangles (deterministic).

    Unreferenced vertices are dropped and faces are wound outward (positive signed volume).
    """
    import fast_simplification

    verts = np.asarray(vertices, dtype=np.float64)
    tris = np.asarray(faces, dtype=np.int64)
    if len(tris) > budget:
        verts, tris = fast_simplification.simplify(verts, tris, target_count=budget, agg=7.0)
    used = np.unique(tris)
    remap = np.full(len(verts), -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    verts, tris = verts[used], remap[tris]
    if signed_volume(verts, tris) < 0:
        tris = tris[:, ::-1]
    return verts, np.ascontiguousarray(tris, dtype=np.int32)


def components(faces: np.ndarray, n_vertices: int) -> np.ndarray:
    """Connected-component label of every vertex."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    rows = np.concatenate([faces[:, 0], faces[:, 1]])
    cols = np.concatenate([faces[:, 1], faces[:, 2]])
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_vertices, n_vertices))
    return connected_components(graph, directed=False)[1]


def drop_logo(vertices: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Remove the MyoSuite logo embedded in front of the sternum in myo-sim's ``thorax.stl``.

    The logo is the mesh's largest connected piece (a disc with a figure, 7.5k vertices) plus
    the small pieces lying within its bounding box; ribs, sternum and cartilages remain.
    """
    label = components(faces, len(vertices))
    logo = np.bincount(label).argmax()
    lo = vertices[label == logo].min(axis=0) - 0.01
    hi = vertices[label == logo].max(axis=0) + 0.01
    drop = np.zeros(label.max() + 1, dtype=bool)
    for c in range(label.max() + 1):
        part = vertices[label == c]
        inside_logo_box = (part.min(axis=0) >= lo).all() and (part.max(axis=0) <= hi).all()
        drop[c] = c == logo or bool(inside_logo_box)
    keep_face = ~drop[label[faces[:, 0]]]
    return vertices, faces[keep_face]


def signed_volume(vertices: np.ndarray, faces: np.ndarray) -> float:
    """Signed volume (m^3) of a closed triangle mesh; positive when wound outward.

    Measured about the vertex centroid so that a mesh with small holes still gives a
    meaningful sign.
    """
    centred = vertices - vertices.mean(axis=0)
    a, b, c = (centred[faces[:, i]] for i in range(3))
    return float(np.einsum("ij,ij->i", a, np.cross(b, c)).sum() / 6.0)


def build_skeleton(standing: StandingModel) -> dict[str, AtlasBone]:
    """Every bone of the standing model as merged, decimated atlas bones.

    Parameters
    ----------
    standing
        The standing myo-sim model (``anatomy.meshbuild.myosim.load_standing``).

    Returns
    -------
    dict
        Atlas bone id (``bone_femur_left``, ``bone_skull`` ...) -> :class:`AtlasBone`, sorted.
    """
    parts: dict[tuple[str, str | None], list[tuple[np.ndarray, np.ndarray]]] = {}
    for geom in standing.bones:
        bone, side = bone_of_geom(geom)
        budget = _BUDGETS.get(bone, _DEFAULT_BUDGET)
        verts, faces = geom.vertices, geom.faces
        if bone == "thorax":
            verts, faces = drop_logo(verts, faces)
        parts.setdefault((bone, side), []).append(decimate(verts, faces, budget))
    out: dict[str, AtlasBone] = {}
    for (bone, side), pieces in parts.items():
        offsets = np.cumsum([0] + [len(v) for v, _ in pieces])
        mesh = TriMesh(
            vertices=np.concatenate([v for v, _ in pieces]).astype(np.float32),
            faces=np.concatenate(
                [f + o for (_, f), o in zip(pieces, offsets, strict=False)]
            ).astype(np.int32),
        )
        out[bone_id(bone, side)] = AtlasBone(bone_id(bone, side), bone, side, mesh)
    return dict(sorted(out.items()))
