"""What an exported page shows in 3D: which meshes, the markers, the zones, where to look.

A page gets two things from here: meshes to pack (:class:`anatomy.scene.web.SceneMesh`) with
named integer arrays (zone vertex ids), and a JSON-able *view* that the page's viewer script
reads::

    {"side": "right", "trigger_point": "tp1", "skin_opacity": OPACITY, "other_opacity": OPACITY,
     "show_others": false, "colours": {...},
     "presets": {"anterior": CAMERA, "posterior": CAMERA, "left": CAMERA, "right": CAMERA},
     "sides": {"right": {
        "highlight": ["upper_trapezius_right"],
        "markers": [{"tp": "tp1", "label": "Central point", "position": [x, y, z]}],
        "zones": {"tp1": {"essential": "zone/upper_trapezius/tp1/right/essential",
                          "spillover": "zone/upper_trapezius/tp1/right/spillover"}},
        "cameras": {"muscle": CAMERA, "tp1": CAMERA}}}}

where ``CAMERA`` is ``{position, focal_point, view_up, view_angle}``. Highlight, markers, zones
and cameras are :func:`anatomy.scene.describe.describe`'s, as the app shows the same selection.

The handout crops the skin to the muscle's region (the muscle, its trigger points and their
zones, plus a margin) and keeps the bones and other muscles near it; the static site shares
one whole-body geometry between all its pages, so its zone ids index the full skin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

from anatomy.errors import AtlasError
from anatomy.frame import SIDES
from anatomy.scene.camera import VIEWS, bounds_of, preset_camera
from anatomy.scene.describe import Selection, describe, zone_ids, zone_view
from anatomy.scene.palette import OPACITY, OTHER_MUSCLE_OPACITY, PALETTE
from anatomy.scene.web import SceneMesh

REGION_MARGIN_M = 0.12
NEIGHBOUR_M = 0.04  # other muscles this close to the muscle are drawn (dimmed) for context
# The kinds of mesh an exported page draws. The lungs and pleura (and any other organ) are a
# layer of the app only: the pages carry no organ meshes and offer no such layer.
PAGE_KINDS = ("skin", "bone", "muscle")


@dataclass
class PageScene:
    """Meshes and arrays to pack, and the view a page's script reads."""

    meshes: list[SceneMesh] = field(default_factory=list)
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    view: dict[str, Any] = field(default_factory=dict)


def _box_points(bounds: list[float]) -> np.ndarray:
    b = np.asarray(bounds).reshape(3, 2)
    return np.stack([b[:, 0], b[:, 1]])


def page_presets(bounds: Any) -> dict[str, dict[str, Any]]:
    """The named views (anterior, posterior, left, right) of a page's geometry ``bounds``."""
    return {name: preset_camera(name, bounds) for name in VIEWS}


def zone_key(muscle: str, tp: str, side: str, kind: str) -> str:
    """The name of a zone's vertex-id array in packed geometry."""
    return f"zone/{muscle}/{tp}/{side}/{kind}"


def _muscle_mesh_ids(atlas: Any, record: Any, side: str) -> list[str]:
    ids = [atlas.meshes.muscle_entry(m, side).id for m in record.meshes
           if atlas.meshes.has_muscle(m, side)]
    if not ids:
        raise AtlasError(f"muscle {record.id!r} has no {side} mesh in {atlas.meshes.directory}")
    return ids


def side_view(atlas: Any, record: Any, side: str) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The view of one muscle on one side, and its zones as full-skin vertex-id arrays.

    Highlight, markers and the muscle's camera are :func:`anatomy.scene.describe.describe`'s;
    each trigger point's zones and camera come from the same parts of it (``zone_ids``,
    ``zone_view``), as the app shows them when that point is chosen.
    """
    mesh_ids = _muscle_mesh_ids(atlas, record, side)  # raises when the side has no mesh
    muscle = describe(atlas, Selection(record.id, side))
    muscle_pts = np.concatenate([atlas.meshes.mesh(i).vertices for i in mesh_ids])
    skin = np.asarray(atlas.meshes.skin.vertices, dtype=np.float64)
    zones: dict[str, dict[str, str]] = {}
    focus = {"muscle": bounds_of(muscle_pts)}
    cameras = {"muscle": muscle.focus}
    arrays: dict[str, np.ndarray] = {}
    for marker in muscle.markers:
        tp = marker.trigger_point
        tp_zones = zone_ids(atlas, record.id, tp, side)
        zones[tp] = {}
        pts = [muscle_pts, np.asarray([marker.position])]
        for kind, ids in tp_zones.items():
            key = zone_key(record.id, tp, side, kind)
            arrays[key] = ids
            zones[tp][kind] = key
            if ids.size:
                pts.append(skin[ids])
        focus[tp] = bounds_of(np.concatenate(pts))
        cameras[tp] = zone_view(atlas, tp_zones, [marker.position])[1] or muscle.focus
    markers = [{"tp": m.trigger_point, "label": m.label, "position": list(m.position)}
               for m in muscle.markers]  # fmt: skip
    view = {"highlight": list(muscle.highlight), "markers": markers, "zones": zones,
            "cameras": cameras, "focus": focus}
    return view, arrays


def _scene_mesh(atlas: Any, mesh_id: str) -> SceneMesh:
    e = atlas.meshes.entries[mesh_id]
    m = atlas.meshes.mesh(mesh_id)
    return SceneMesh(id=e.id, kind=e.kind, vertices=m.vertices, faces=m.faces,
                     muscle=e.muscle, side=e.side, bone=e.bone)


def crop_to_box(vertices: np.ndarray, faces: np.ndarray, lo: np.ndarray,
                hi: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The triangles with every vertex inside the box ``lo``..``hi``.

    Returns
    -------
    (vertices, faces, remap)
        The kept vertices, faces renumbered to them, and ``remap`` (old id -> new id, -1 for
        dropped vertices).
    """
    v = np.asarray(vertices)
    f = np.asarray(faces, dtype=np.int64)
    inside = np.all((v >= lo) & (v <= hi), axis=1)
    kept = f[inside[f].all(axis=1)]
    used = np.unique(kept)
    remap = np.full(len(v), -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    return v[used], remap[kept], remap


def _intersects(bounds: list[float], lo: np.ndarray, hi: np.ndarray) -> bool:
    b = np.asarray(bounds).reshape(3, 2)
    return bool(np.all(b[:, 0] <= hi) and np.all(b[:, 1] >= lo))


def handout_scene(atlas: Any, muscle: str, side: str, trigger_point: str | None = None,
                  margin: float = REGION_MARGIN_M) -> PageScene:
    """One muscle on one side, in its region: cropped skin, the region's bones, neighbours.

    Parameters
    ----------
    atlas
        An :class:`anatomy.atlas.model.Atlas`.
    muscle
        A muscle record id (or a geometry muscle id it maps).
    side
        ``left`` or ``right``.
    trigger_point
        The trigger point shown first (default: the muscle's first).
    margin
        Metres added around the muscle, its trigger points and their zones.
    """
    if side not in SIDES:
        raise AtlasError(f"side must be 'left' or 'right', not {side!r}", key="side")
    record = atlas.record(muscle)
    tp_id = record.trigger_point(trigger_point).id if trigger_point else record.trigger_points[0].id
    view, arrays = side_view(atlas, record, side)
    region = np.concatenate([_box_points(b) for b in view.pop("focus").values()])
    lo, hi = region.min(0) - margin, region.max(0) + margin
    skin_entry = atlas.meshes.skin_entry
    skin = atlas.meshes.skin
    sv, sf, remap = crop_to_box(skin.vertices, skin.faces, lo, hi)
    if len(sf) == 0:
        raise AtlasError(f"no skin near muscle {record.id!r}: the meshes do not overlap")
    meshes = [SceneMesh(id=skin_entry.id, kind="skin", vertices=sv, faces=sf)]
    for key, ids in arrays.items():
        new = remap[ids]
        arrays[key] = new[new >= 0]
    muscle_tree = cKDTree(np.concatenate([atlas.meshes.mesh(i).vertices
                                          for i in view["highlight"]]))
    for mesh_id, entry in atlas.meshes.entries.items():
        if entry.kind == "skin" or entry.kind not in PAGE_KINDS:
            continue
        vertices = atlas.meshes.mesh(mesh_id).vertices
        if mesh_id in view["highlight"]:
            keep = True
        elif not _intersects(bounds_of(vertices), lo, hi):
            keep = False
        elif entry.kind == "muscle":  # only the muscle's neighbours, not every muscle around
            keep = bool(muscle_tree.query(vertices, distance_upper_bound=NEIGHBOUR_M)[0].min()
                        <= NEIGHBOUR_M)
        else:
            keep = True  # bones of the region
        if keep:
            meshes.append(_scene_mesh(atlas, mesh_id))
    full = {"side": side, "trigger_point": tp_id, "muscle": record.id,
            "skin_opacity": OPACITY["skin"], "other_opacity": OTHER_MUSCLE_OPACITY,
            "show_others": False, "colours": PALETTE, "sides": {side: view},
            "presets": page_presets(bounds_of(np.concatenate([m.vertices for m in meshes])))}
    return PageScene(meshes=meshes, arrays=arrays, view=full)


def body_meshes(atlas: Any) -> list[SceneMesh]:
    """Every skin, bone and muscle mesh of the atlas (the static site's shared geometry)."""
    return [_scene_mesh(atlas, mesh_id) for mesh_id, entry in atlas.meshes.entries.items()
            if entry.kind in PAGE_KINDS]  # fmt: skip


def muscle_page_scene(atlas: Any, muscle: str) -> PageScene:
    """Views of one muscle on both sides over the whole body, and all their zone arrays."""
    record = atlas.record(muscle)
    sides, arrays = {}, {}
    for side in SIDES:
        if any(atlas.meshes.has_muscle(m, side) for m in record.meshes):
            sides[side], more = side_view(atlas, record, side)
            sides[side].pop("focus")
            arrays.update(more)
    if not sides:
        raise AtlasError(f"muscle {record.id!r} has no mesh on either side")
    first = "right" if "right" in sides else next(iter(sides))
    view = {"side": first, "trigger_point": record.trigger_points[0].id, "muscle": record.id,
            "skin_opacity": OPACITY["skin"], "other_opacity": OTHER_MUSCLE_OPACITY,
            "show_others": False, "colours": PALETTE, "sides": sides,
            "presets": page_presets(atlas.meshes.bounds())}
    return PageScene(meshes=[], arrays=arrays, view=view)
