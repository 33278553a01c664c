"""The atlas meshes packed for the browser: one binary buffer plus a small JSON manifest.

The web viewer (:mod:`anatomy.ui.viewer`) sends the geometry to each browser once, as a single
binary websocket frame, and afterwards only small messages (colours, visibility, vertex ids).
This module builds that buffer. It has no Panel import and no plotting: it is plain numpy over
the mesh files, so it can be tested without a browser.

Buffer layout, per actor, each block starting at a 4-byte aligned offset:

- ``points``: float32 ``(n, 3)`` positions in metres (the atlas frame, :mod:`anatomy.frame`);
- ``normals``: int8 ``(n, 3)`` unit vertex normals scaled by 127 (area-weighted);
- ``indices``: uint16 (when ``n < 65536``) or uint32 ``(m, 3)`` triangle vertex ids.

Vertices are never reordered or dropped, so a skin vertex id in the browser is the same id
as in :class:`anatomy.geometry` (zone painting relies on this). Degenerate triangles (repeated
vertex, zero area) are dropped because they make the browser's cell picker miss, and meshes
wound inward are flipped so that the viewer can cull back faces.

The manifest lists one record per actor::

    {"id": "upper_trapezius_left", "kind": "muscle", "layer": "muscles",
     "muscle": "upper_trapezius", "side": "left", "bone": null, "organ": null,
     "colour": [0.72, 0.22, 0.2], "opacity": 1.0, "draw": 2,
     "offsets": {"points": 0, "normals": 1200, "indices": 1500}, "index_type": "uint16",
     "counts": {"points": 100, "triangles": 196},
     "bounds": [xmin, xmax, ymin, ymax, zmin, zmax]}

``opacity`` is the actor's opacity relative to its layer's (the lung is drawn stronger than
the pleura around it); ``draw`` orders the translucent actors, innermost first
(the lungs, the pleura, then the skin), as the browser blends them in the order it draws them.
Only the organs of the lungs-and-pleura layer are packed (:data:`~anatomy.scene.palette.
LAYER_ORGANS`); an organ in no layer (the kidneys) is never sent.

:func:`load_web_scene` builds the scene once per meshes directory and process; all sessions
share the same ``bytes`` object.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from anatomy.errors import AtlasError
from anatomy.geometry.manifest import read_manifest
from anatomy.geometry.meshset import MeshSet
from anatomy.geometry.surface import vertex_normals
from anatomy.paths import default_meshes_dir
from anatomy.scene.palette import RELATIVE_OPACITY, draw_rank, layer_of, mesh_colour


@dataclass(frozen=True)
class SceneMesh:
    """One mesh to pack: its identity and its triangles (atlas frame, metres)."""

    id: str
    kind: str
    vertices: np.ndarray
    faces: np.ndarray
    muscle: str | None = None
    side: str | None = None
    bone: str | None = None
    organ: str | None = None


@dataclass(frozen=True)
class WebScene:
    """The packed scene: ``buffer`` (all geometry) and ``actors`` (one record per mesh)."""

    buffer: bytes
    actors: list[dict[str, Any]]
    bounds: tuple[float, float, float, float, float, float]
    skin_vertex_count: int = 0
    _by_id: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)

    def actor(self, actor_id: str) -> dict[str, Any]:
        """The manifest record of one actor, by mesh id (``KeyError`` if unknown)."""
        return self._by_id[actor_id]

    def actor_ids(self, kind: str | None = None) -> list[str]:
        """The ids of all actors, or of those of one ``kind`` (skin, bone, muscle, organ)."""
        return [a["id"] for a in self.actors if kind is None or a["kind"] == kind]

    def bounds_of(self, ids_or_muscles: Iterable[str]) -> tuple[float, ...] | None:
        """Bounds of the actors named by mesh id or muscle id; ``None`` when none match."""
        wanted = set(ids_or_muscles)
        boxes = [a["bounds"] for a in self.actors if a["id"] in wanted or a["muscle"] in wanted]
        if not boxes:
            return None
        return union_bounds(boxes)


def union_bounds(boxes: Iterable[Iterable[float]]) -> tuple[float, ...]:
    """The bounds ``(xmin, xmax, ymin, ymax, zmin, zmax)`` enclosing all ``boxes``."""
    arr = np.asarray([list(b) for b in boxes], dtype=float)
    lo, hi = arr[:, 0::2].min(0), arr[:, 1::2].max(0)
    return tuple(float(v) for pair in zip(lo, hi, strict=True) for v in pair)


def clean_faces(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """The faces without degenerate triangles (a repeated vertex or zero area)."""
    f = np.asarray(faces, dtype=np.int64)
    if f.size == 0:
        return f.reshape(0, 3)
    distinct = (f[:, 0] != f[:, 1]) & (f[:, 1] != f[:, 2]) & (f[:, 0] != f[:, 2])
    v = np.asarray(vertices, dtype=np.float64)
    area2 = np.linalg.norm(np.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]]), axis=1)
    return f[distinct & (area2 > 1e-14)]


def orient_outward(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """The faces, flipped if their signed volume is negative (wound inward)."""
    v = np.asarray(vertices, dtype=np.float64)
    f = np.asarray(faces, dtype=np.int64)
    signed = np.einsum("ij,ij->i", v[f[:, 0]], np.cross(v[f[:, 1]], v[f[:, 2]])).sum()
    return f[:, ::-1].copy() if signed < 0 else f


def _pad(out: io.BytesIO) -> None:
    out.write(b"\0" * (-out.tell() % 4))


def build_web_scene(meshes: Iterable[SceneMesh]) -> WebScene:
    """Pack meshes into one buffer and a manifest (see the module docstring for the layout)."""
    out = io.BytesIO()
    actors: list[dict[str, Any]] = []
    skin_count = 0
    for mesh in meshes:
        verts = np.ascontiguousarray(mesh.vertices, dtype="<f4")
        if verts.ndim != 2 or verts.shape[1] != 3 or len(verts) == 0:
            raise AtlasError("mesh has no (n, 3) vertices", key=mesh.id)
        faces = orient_outward(verts, clean_faces(verts, mesh.faces))
        if len(faces) == 0:
            raise AtlasError("mesh has no non-degenerate triangles", key=mesh.id)
        index_type = "uint16" if len(verts) < 65536 else "uint32"
        normals = np.round(vertex_normals(verts, faces).astype(np.float32) * 127).astype("i1")
        offsets = {}
        for name, arr in (
            ("points", verts),
            ("normals", normals),
            ("indices", faces.astype("<u2" if index_type == "uint16" else "<u4")),
        ):
            _pad(out)
            offsets[name] = out.tell()
            out.write(np.ascontiguousarray(arr).tobytes())
        lo, hi = verts.min(0), verts.max(0)
        if mesh.kind == "skin":
            skin_count = len(verts)
        actors.append({
            "id": mesh.id, "kind": mesh.kind,
            "layer": layer_of(mesh.kind, mesh.organ) or mesh.kind,
            "muscle": mesh.muscle, "side": mesh.side, "bone": mesh.bone, "organ": mesh.organ,
            "colour": list(mesh_colour(mesh.kind, mesh.organ)),
            "opacity": RELATIVE_OPACITY.get(mesh.organ or "", 1.0),
            "draw": draw_rank(mesh.kind, mesh.organ),
            "offsets": offsets, "index_type": index_type,
            "counts": {"points": len(verts), "triangles": len(faces)},
            "bounds": [float(x) for pair in zip(lo, hi, strict=True) for x in pair],
        })
    _pad(out)
    if not actors:
        raise AtlasError("no meshes to show")
    bounds = union_bounds(a["bounds"] for a in actors)
    return WebScene(buffer=out.getvalue(), actors=actors, bounds=bounds,  # type: ignore[arg-type]
                    skin_vertex_count=skin_count, _by_id={a["id"]: a for a in actors})


def scene_meshes(meshes: MeshSet) -> list[SceneMesh]:
    """Every mesh of a :class:`~anatomy.geometry.meshset.MeshSet` that a layer draws, in
    manifest order (organs in no layer, such as the kidneys, are left out)."""
    out = []
    for e in meshes.entries.values():
        if layer_of(e.kind, e.organ) is None:
            continue
        mesh = meshes.mesh(e.id)
        out.append(SceneMesh(id=e.id, kind=e.kind, vertices=mesh.vertices, faces=mesh.faces,
                             muscle=e.muscle, side=e.side, bone=e.bone, organ=e.organ))
    return out


def read_scene_meshes(meshes_dir: Path) -> list[SceneMesh]:
    """Every mesh listed in ``meshes_dir/manifest.json``, read and checked against its sha256.

    Only the manifest and the mesh files are needed (not ``landmarks.json``).
    """
    entries, muscles = read_manifest(Path(meshes_dir))
    return scene_meshes(MeshSet(Path(meshes_dir), entries, muscles))


# Share of each kind's triangles sent to the browser. Software WebGL draws ~1.7 us a triangle
# (vtk.js expands every triangle to three vertices), so bones, mostly hidden under the
# muscles, go at about a third; muscles (some 250 meshes) at 45 %; the skin whole, as zones and
# "where does it hurt?" address its vertices by id. Measured in bench/app_bench.py (first
# frame, bytes, highlight). The lungs and pleura go whole too: four meshes of 1,200-2,000
# vertices, about 7 % of the triangles sent, drawn only with their layer on; their edges are
# already 7-12 mm long, and the lung lies only 2.5-6 mm inside its pleura, closer than
# decimating either would keep them apart.
WEB_DETAIL: dict[str, float] = {"bone": 0.35, "muscle": 0.45}
# A muscle shorter than this (bounding-box diagonal, metres) keeps a smaller share still, down
# to ``SMALL_SHARE`` of its kind's: a hand, foot or jaw muscle a few centimetres long looks
# the same with a few hundred triangles, and the atlas has dozens of them.
SMALL_MUSCLE_M = 0.25
SMALL_SHARE = 0.4


def simplify_for_web(mesh: SceneMesh, keep: float, max_shift: float = 0.005) -> SceneMesh:
    """``mesh`` with about ``keep`` of its triangles (quadric decimation), same identity.

    Vertices are renumbered, so this is only for meshes addressed by id, never by vertex.
    When decimation would move the mesh's bounds by more than ``max_shift`` metres (a thin
    sheet losing its edge), the mesh is kept whole.
    """
    import fast_simplification

    if not 0 < keep < 1 or len(mesh.faces) < 64:
        return mesh
    points, faces = fast_simplification.simplify(
        np.array(mesh.vertices, dtype=np.float64, order="C"),
        np.array(mesh.faces, dtype=np.int32, order="C"),
        target_reduction=1.0 - keep,
    )
    if len(faces) == 0:
        return mesh
    before = np.asarray(mesh.vertices, dtype=np.float64)
    shift = max(np.abs(points.min(0) - before.min(0)).max(),
                np.abs(points.max(0) - before.max(0)).max())
    if shift > max_shift:
        return mesh
    return dataclasses.replace(mesh, vertices=points.astype(np.float32), faces=faces)


def web_meshes(
    meshes: Iterable[SceneMesh], detail: dict[str, float] | None = None
) -> list[SceneMesh]:
    """The meshes as the browser gets them: each kind simplified to its ``WEB_DETAIL`` share."""
    detail = WEB_DETAIL if detail is None else detail
    return [simplify_for_web(m, detail[m.kind] * _size_share(m)) if m.kind in detail else m
            for m in meshes]  # fmt: skip


def _size_share(mesh: SceneMesh) -> float:
    """1 for a muscle of ``SMALL_MUSCLE_M`` or longer (and any other kind), less below it."""
    if mesh.kind != "muscle" or len(mesh.vertices) == 0:
        return 1.0
    v = np.asarray(mesh.vertices, dtype=float)
    diagonal = float(np.linalg.norm(v.max(axis=0) - v.min(axis=0)))
    return float(np.clip(diagonal / SMALL_MUSCLE_M, SMALL_SHARE, 1.0))


_SCENES: dict[Path, WebScene] = {}  # by resolved meshes directory, for the process


def load_web_scene(
    meshes_dir: Path | str | None = None, *, meshes: MeshSet | None = None
) -> WebScene:
    """The packed scene of a meshes directory (default: the atlas's), built once per process.

    Pass ``meshes``, a loaded :class:`~anatomy.geometry.meshset.MeshSet` (an atlas's), to pack
    the meshes it has already read and checked instead of reading them again.

    Raises
    ------
    AtlasError
        When the manifest or a mesh file is missing or malformed.
    """
    if meshes is not None:
        path = Path(meshes.directory).resolve()
    else:
        path = (Path(meshes_dir) if meshes_dir is not None else default_meshes_dir()).resolve()
    scene = _SCENES.get(path)
    if scene is None:
        if len(_SCENES) >= 4:
            _SCENES.pop(next(iter(_SCENES)))
        source = scene_meshes(meshes) if meshes is not None else read_scene_meshes(path)
        scene = _SCENES[path] = build_web_scene(web_meshes(source))
    return scene
