"""Measurements of the built geometry (``myoatlas mesh-report``).

Per mesh: triangles, closedness, the fraction of its vertices inside the skin, for muscles how
deep their vertices sink into bone (95th percentile) and how far the mesh surface is from the
origin and insertion points the build recorded (attachment sites of the model, not derived
from the mesh). Totals: triangles, bytes on disk, bone vertices inside the skin; the
left/right mirror gap of every muscle; and how the pleura and lungs sit in the ribcage
(:mod:`anatomy.geometry.pleura_report`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

from anatomy.geometry.meshset import MeshSet
from anatomy.geometry.pleura_report import format_pleura, pleura_section
from anatomy.geometry.solid import (
    inside_any,
    inside_mask,
    is_watertight,
    unsigned_distance,
)
from anatomy.paths import REPO_ROOT

_BONE_REACH = 0.03  # m


def _relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


def _mm(metres: float | None) -> float | None:
    return None if metres is None else round(1000.0 * float(metres), 2)


def _stack(meshes: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    verts, faces, offset = [], [], 0
    for v, f in meshes:
        verts.append(v)
        faces.append(f.astype(np.int64) + offset)
        offset += len(v)
    return np.concatenate(verts).astype(np.float64), np.concatenate(faces)


def bone_penetration(points: np.ndarray, bones: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Depth (m) of each point inside bone; 0 outside.

    Only points within ``_BONE_REACH`` of a bone surface are tested: no bone the muscles
    touch is thicker than twice that.
    """
    bone_v, bone_f = _stack(bones)
    # Nearest bone vertex is at least as far as the nearest bone surface point.
    near = np.flatnonzero(cKDTree(bone_v).query(points)[0] < _BONE_REACH)
    depth = np.zeros(len(points))
    if len(near):
        inside = near[inside_any(points[near], bones)]
        if len(inside):
            depth[inside] = unsigned_distance(points[inside], bone_v, bone_f)
    return depth


def mirror_gap(left: Any, right: Any) -> float:
    """Largest distance (m) between the mirrored left mesh and the right one, both ways."""
    flip = np.array([-1.0, 1.0, 1.0])
    lv = left.vertices.astype(np.float64) * flip
    rv = right.vertices.astype(np.float64)
    # Vertex-to-vertex distances bound the surface distances from above: when they are tiny
    # (a mirrored copy) the exact surface distances need not be computed.
    bound = max(cKDTree(rv).query(lv)[0].max(), cKDTree(lv).query(rv)[0].max())
    if bound < 1e-4:
        return float(bound)
    a = unsigned_distance(lv, right.vertices, right.faces).max()
    b = unsigned_distance(right.vertices.astype(np.float64), lv, left.faces[:, ::-1]).max()
    return float(max(a, b))


def measure(meshes_dir: Path | str | None = None) -> dict[str, Any]:
    """The whole report as a JSON-ready dict (see ``myoatlas mesh-report --json``).

    Parameters
    ----------
    meshes_dir
        The ``meshes/`` directory (default: the atlas's own).

    Returns
    -------
    dict
        ``meshes`` (one row per mesh), ``totals``, ``mirror`` (left/right gap per muscle),
        ``surface_inside_skin`` (triangle centres inside the skin, per muscle) and ``pleura``
        (one row per pleura and lung mesh, see
        :func:`anatomy.geometry.pleura_report.organ_figures`).
    """
    meshes = MeshSet.load(meshes_dir)
    skin = meshes.mesh(meshes.skin_entry.id)
    bones = meshes.bone_ids
    bone_meshes = [(meshes.mesh(b).vertices.astype(np.float64), meshes.mesh(b).faces)
                   for b in bones]  # fmt: skip
    ids = sorted(meshes.entries)
    # All vertices in one pass per test: far quicker than mesh by mesh.
    owners: list[np.ndarray] = []
    points: list[np.ndarray] = []
    for mesh_id in ids:
        if meshes.entries[mesh_id].kind != "skin":
            v = meshes.mesh(mesh_id).vertices
            owners.append(np.full(len(v), len(points)))
            points.append(v)
    stacked = np.concatenate(points).astype(np.float64)
    owner = np.concatenate(owners)
    inside = inside_mask(stacked, skin.vertices, skin.faces)
    muscle_owner = np.isin(owner, [j for j, i in enumerate(i for i in ids
                                   if meshes.entries[i].kind != "skin")
                                   if meshes.entries[i].kind == "muscle"])  # fmt: skip
    depth = np.zeros(len(stacked))
    depth[muscle_owner] = bone_penetration(stacked[muscle_owner], bone_meshes)
    rows = []
    k = 0
    for mesh_id in ids:
        e = meshes.entries[mesh_id]
        mesh = meshes.mesh(mesh_id)
        row: dict[str, Any] = {
            "id": mesh_id, "kind": e.kind, "muscle": e.muscle, "side": e.side,
            "path": _relative(meshes.directory / e.path), "triangles": e.n_triangles,
            "watertight": is_watertight(mesh.faces), "inside_skin_fraction": None,
            "bone_penetration_p95_mm": None, "origin_error_mm": None, "insertion_error_mm": None,
        }  # fmt: skip
        mine = owner == k
        if e.kind != "skin":
            row["inside_skin_fraction"] = round(float(inside[mine].mean()), 4)
            k += 1
        if e.kind == "muscle":
            v = mesh.vertices.astype(np.float64)
            row["bone_penetration_p95_mm"] = _mm(np.percentile(depth[mine], 95))
            info = meshes.muscle_info(e.muscle, e.side)  # type: ignore[arg-type]
            ends = unsigned_distance(np.stack([info.origin, info.insertion]), v, mesh.faces)
            row["origin_error_mm"], row["insertion_error_mm"] = _mm(ends[0]), _mm(ends[1])
        rows.append(row)
    return {
        "meshes": rows,
        "totals": _totals(meshes, rows, stacked, owner, inside, ids),
        "mirror": _mirror(meshes),
        "surface_inside_skin": _surface_inside(meshes, skin),
        "pleura": pleura_section(meshes),
    }


def _surface_inside(meshes: MeshSet, skin: Any) -> list[dict[str, Any]]:
    """Per muscle, the fraction of triangle centres inside the skin.

    Vertices alone can all lie inside while long triangles between them cut through the skin
    (a sheet spanning two distant attachments); triangle centres catch that.
    """
    ids = sorted(i for i, e in meshes.entries.items() if e.kind == "muscle")
    centres = [meshes.mesh(i).vertices[meshes.mesh(i).faces].mean(axis=1) for i in ids]
    if not centres:
        return []
    inside = inside_mask(np.concatenate(centres).astype(np.float64), skin.vertices, skin.faces)
    bounds = np.cumsum([0] + [len(c) for c in centres])
    return [
        {"id": i, "fraction": round(float(inside[a:b].mean()), 4)}
        for i, a, b in zip(ids, bounds[:-1], bounds[1:], strict=True)
    ]


def _totals(meshes, rows, stacked, owner, inside, ids):  # type: ignore[no-untyped-def]
    non_skin = [i for i in ids if meshes.entries[i].kind != "skin"]
    is_bone = np.isin(owner, [j for j, i in enumerate(non_skin)
                              if meshes.entries[i].kind == "bone"])  # fmt: skip
    files = [p for p in meshes.directory.rglob("*") if p.is_file()]
    kinds = [r["kind"] for r in rows]
    return {
        "triangles": int(sum(r["triangles"] for r in rows)),
        "bytes": int(sum(p.stat().st_size for p in files)),
        "files": len(files),
        "bone_vertices_inside_skin_fraction": round(float(inside[is_bone].mean()), 5),
        "counts": {k: kinds.count(k) for k in ("skin", "bone", "muscle", "organ")},
        "max_muscle_triangles": max(
            (r["triangles"] for r in rows if r["kind"] == "muscle"), default=0
        ),
    }


def _mirror(meshes: MeshSet) -> list[dict[str, Any]]:
    out = []
    names = {e.muscle for e in meshes.entries.values() if e.kind == "muscle" and e.muscle}
    for muscle in sorted(names):
        if meshes.has_muscle(muscle, "left") and meshes.has_muscle(muscle, "right"):
            gap = mirror_gap(meshes.muscle(muscle, "left"), meshes.muscle(muscle, "right"))
            out.append({"muscle": muscle, "mirror_gap_mm": _mm(gap)})
    return out


def format_table(report: dict[str, Any]) -> str:
    """The report as a readable text table."""
    head = f"{'id':38s} {'kind':6s} {'tris':>6s} {'closed':>6s} {'in skin':>7s} "
    head += f"{'pen95':>6s} {'orig':>6s} {'ins':>6s}"
    lines = [head, "-" * len(head)]

    def num(v: Any, fmt: str) -> str:
        return "-" if v is None else format(v, fmt)

    for r in report["meshes"]:
        closed = "yes" if r["watertight"] else "NO"
        lines.append(
            f"{r['id']:38s} {r['kind']:6s} {r['triangles']:6d} {closed:>6s} "
            f"{num(r['inside_skin_fraction'], '.3f'):>7s} "
            f"{num(r['bone_penetration_p95_mm'], '.1f'):>6s} "
            f"{num(r['origin_error_mm'], '.1f'):>6s} {num(r['insertion_error_mm'], '.1f'):>6s}"
        )
    t = report["totals"]
    worst = max(report["mirror"], key=lambda m: m["mirror_gap_mm"], default=None)
    inside = 100 * t["bone_vertices_inside_skin_fraction"]
    lines += ["", f"meshes: {t['counts']}; triangles {t['triangles']}; "
              f"{t['bytes'] / 1e6:.2f} MB in {t['files']} files; largest muscle "
              f"{t['max_muscle_triangles']} triangles",
              f"bone vertices inside the skin: {inside:.2f} %"]  # fmt: skip
    low = [
        f"{s['id']} {s['fraction']:.3f}"
        for s in report["surface_inside_skin"]
        if s["fraction"] < 0.95
    ]
    lines.append("triangle centres inside the skin below 95 %: " + (", ".join(low) or "none"))
    if worst:
        lines.append(f"worst left/right mirror gap: {worst['muscle']} {worst['mirror_gap_mm']} mm")
    lines += format_pleura(report.get("pleura", []))
    return "\n".join(lines)
