"""Measure our muscles against a reference anatomy (Z-Anatomy/BodyParts3D meshes).

Used only to *measure* (tests and a dev tool): where each muscle sits after one similarity
alignment of the two bodies, and how big it is. Nothing here feeds the mesh build, and the
reference file is never copied into the project.

- Frame: the reference is stored in metres, +Y up, right side at -X, posterior at -Z. Ours is
  +z up, -y anterior, +x left, so ours = (X, -Z, Y) (a proper rotation, no mirroring).
- Centroids: area-weighted surface centroids for both sides (the reference meshes are open).
- Volumes: ours are exact (closed meshes). The reference's are estimated by voxelising each
  open surface at ``PITCH``, filling the interior, and subtracting half a voxel layer over the
  surface area after a morphological closing that seals holes of up to about 6 mm
  (``solid voxels x pitch^3 - area x pitch / 2``). On our own closed muscles this
  estimator is checked against the exact volume (see ``voxel_volume``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

PITCH = 0.002  # m
CLOSING = 2  # voxels

# Compared unit -> reference mesh names (without the .r/.l side suffix). A unit is one of our
# muscle ids, or several joined by "+" (measured together). Muscles the reference lacks, or
# holds only in part, are left out: its triceps medial head is a placeholder, its teres major
# holds 13 cm3 (less than its teres minor), and its diaphragm is one midline mesh. The reference's
# "Descending_part_of_trapezius_muscle" spans T12 to the shoulder and leaves the neck out, so
# it is compared with our middle and lower trapezius together.
REFERENCE_NAMES: dict[str, tuple[str, ...]] = {
    "middle_trapezius+lower_trapezius": ("Descending_part_of_trapezius_muscle",),
    "levator_scapulae": ("Levator_scapulae",),
    "sternocleidomastoid": ("Sternocleidomastoid_muscle",),
    "anterior_scalene": ("Scalene_anterior_muscle",),
    "middle_scalene": ("Scalenus_medius_and_posterior",),
    "posterior_scalene": ("Scalenus_posterior",),
    "splenius_capitis": ("Splenius_capitis_muscle",),
    "suboccipitals": (
        "Obliquus_inferior_capitis_muscle", "Obliquus_superior_capitis_muscle",
        "Rectus_posterior_major_capitis_muscle", "Rectus_posterior_minor_capitis_muscle",
    ),
    "masseter": ("Deep_part_of_masseter", "Superficial_part_of_masseter"),
    "temporalis": ("Temporalis_muscle",),
    "infraspinatus": ("Infraspinatus_muscle",),
    "supraspinatus": ("Supraspinatus_muscle",),
    "subscapularis": ("Subscapular_muscle",),
    "teres_minor": ("Teres_minor_muscle",),
    "brachialis": ("Brachialis_muscle",),
    "triceps_lateral_head": ("Lateral_head_of_triceps_brachii_muscle",),
    "supinator": ("Supinator",),
    "anterior_deltoid": ("Clavicular_part_of_deltoid_muscle",),
    "middle_deltoid": ("Acromial_part_of_deltoid_muscle",),
    "pectoralis_major": (
        "Clavicular_head_of_pectoralis_major_muscle",
        "Sternocostal_head_of_pectoralis_major_muscle",
        "Abdominal_part_of_pectoralis_major_muscle",
    ),
    "pectoralis_minor": ("Pectoralis_minor_muscle",),
    "rhomboid_major": ("Rhomboid_major_muscle",),
    "rhomboid_minor": ("Rhomboid_minor_muscle",),
    "serratus_anterior": ("Serratus_anterior_muscle",),
    "iliocostalis_lumborum+iliocostalis_thoracis": (
        "Iliocostalis_lumborum_muscle", "Iliocostalis_thoracis_muscle",
    ),
    "longissimus_thoracis": ("Longissimus_thoracis_muscle",),
    "psoas_major": ("Psoas_muscle",),
    "iliacus": ("Iliacus_muscle",),
    "gluteus_maximus": ("Gluteus_maximus_muscle",),
    "gluteus_medius": ("Gluteus_medius_muscle",),
    "gluteus_minimus": ("Gluteus_minimus_muscle",),
    "piriformis": ("Piriformis_muscle",),
    "tensor_fasciae_latae": ("Tensor_fasciae_latae",),
    "vastus_lateralis": ("Vastus_lateralis_muscle",),
    "vastus_medialis": ("Vastus_medialis_muscle",),
    "rectus_femoris": ("Rectus_femoris_muscle",),
    "biceps_femoris": (
        "Long_head_of_biceps_femoris_muscle", "Short_head_of_biceps_femoris_muscle",
    ),
    "semitendinosus": ("Semitendinosus_muscle",),
    "semimembranosus": ("Semimembranosus_muscle",),
    "adductor_longus": ("Adductor_longus",),
    "gracilis": ("Gracilis_muscle",),
    "sartorius": ("Sartorius_muscle",),
    "vastus_intermedius": ("Vastus_intermedius_muscle",),
    "gastrocnemius": ("Lateral_head_of_gastrocnemius", "Medial_head_of_gastrocnemius"),
    "soleus": ("Soleus_muscle",),
    "tibialis_anterior": ("Tibialis_anterior_muscle",),
}  # fmt: skip
_SUFFIX = {"right": ".r", "left": ".l"}


@dataclass(frozen=True)
class Part:
    """One muscle on one side: triangles, surface centroid and volume (m^3)."""

    triangles: np.ndarray  # (m, 3, 3)
    centroid: np.ndarray
    volume: float


def surface_centroid(tri: np.ndarray) -> np.ndarray:
    """Area-weighted centroid of a triangle soup (m, 3, 3)."""
    area = 0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1)
    return (tri.mean(axis=1) * area[:, None]).sum(axis=0) / max(area.sum(), 1e-15)


def surface_samples(tri: np.ndarray, spacing: float) -> np.ndarray:
    """Points covering a triangle soup no further apart than about ``spacing``."""
    edges = np.linalg.norm(tri - np.roll(tri, 1, axis=1), axis=2).max(axis=1)
    steps = np.maximum(np.ceil(edges / spacing).astype(int), 1)
    out = [tri.reshape(-1, 3)]
    for n in np.unique(steps):
        sel = tri[steps == n]
        i, j = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
        keep = i + j <= n
        a, b = i[keep] / n, j[keep] / n
        w = np.stack([1 - a - b, a, b], axis=1)  # (q, 3) barycentric weights
        out.append(np.einsum("qk,tkc->tqc", w, sel).reshape(-1, 3))
    return np.concatenate(out)


def voxel_volume(tri: np.ndarray, pitch: float = PITCH, closing: int = CLOSING) -> float:
    """Volume enclosed by a possibly open surface (m^3).

    The surface is rasterised into voxels, holes up to about ``1.5 * closing`` voxels across
    are closed (morphological closing), the interior is filled, and half a voxel layer over
    the surface area is taken off again (the rasterised shell straddles the surface).
    """
    from scipy import ndimage

    pts = surface_samples(tri, 0.5 * pitch)
    lo = pts.min(axis=0) - (closing + 2) * pitch
    idx = np.floor((pts - lo) / pitch).astype(int)
    shape = idx.max(axis=0) + closing + 3
    grid = np.zeros(shape, dtype=bool)
    grid[idx[:, 0], idx[:, 1], idx[:, 2]] = True
    ball = ndimage.generate_binary_structure(3, 1)
    if closing:
        grid = ndimage.binary_closing(grid, structure=ball, iterations=closing)
    solid = ndimage.binary_fill_holes(grid)
    area = (
        0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1).sum()
    )
    return float(max(solid.sum() * pitch**3 - 0.5 * area * pitch, 0.0))


def load_reference(glb: Path) -> dict[tuple[str, str], Part]:
    """The reference muscles matched to our ids, in our axes (not yet aligned or scaled)."""
    import trimesh

    scene: Any = trimesh.load(glb, force="scene")
    soups: dict[str, np.ndarray] = {}
    for node in scene.graph.nodes_geometry:
        transform, geom = scene.graph[node]
        mesh = scene.geometry[geom]
        v = trimesh.transformations.transform_points(mesh.vertices, transform)
        ours = np.stack([v[:, 0], -v[:, 2], v[:, 1]], axis=1)
        soups[str(node)] = ours[mesh.faces]
    out = {}
    for muscle, names in REFERENCE_NAMES.items():
        for side, suffix in _SUFFIX.items():
            parts = [soups[n + suffix] for n in names if n + suffix in soups]
            if len(parts) != len(names):
                continue
            tri = np.concatenate(parts)
            vol = sum(voxel_volume(p) for p in parts)
            out[(muscle, side)] = Part(tri, surface_centroid(tri), vol)
    return out


def umeyama(src: np.ndarray, dst: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Similarity (scale, rotation, translation) best mapping ``src`` onto ``dst``."""
    mu_s, mu_d = src.mean(axis=0), dst.mean(axis=0)
    a, b = src - mu_s, dst - mu_d
    cov = b.T @ a / len(src)
    u, d, vt = np.linalg.svd(cov)
    s = np.eye(3)
    if np.linalg.det(u) * np.linalg.det(vt) < 0:
        s[2, 2] = -1
    rot = u @ s @ vt
    scale = float(np.trace(np.diag(d) @ s) / (a**2).sum(axis=1).mean())
    return scale, rot, mu_d - scale * rot @ mu_s


@dataclass(frozen=True)
class Comparison:
    """Per muscle and side: centroid offset (fraction of body height), volume ratio and the
    angle between the main axes (degrees, 0-90)."""

    muscle: str
    side: str
    centroid_offset: float
    volume_ratio: float  # ours / reference (after scaling the reference to our body)
    axis_angle_deg: float


def main_axis(tri: np.ndarray) -> np.ndarray:
    """Unit direction of largest spread of a triangle soup (area-weighted centres)."""
    area = 0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1)
    c = tri.mean(axis=1)
    mu = (c * area[:, None]).sum(axis=0) / max(area.sum(), 1e-15)
    d = c - mu
    cov = (d * area[:, None]).T @ d
    return np.linalg.eigh(cov)[1][:, -1]


def align(ours: dict[tuple[str, str], Part], ref: dict[tuple[str, str], Part]
          ) -> tuple[list[tuple[str, str]], float, np.ndarray, np.ndarray]:  # fmt: skip
    """The muscles both have, and the similarity (scale, rotation, translation) that maps the
    reference's centroids onto ours best."""
    keys = sorted(set(ours) & set(ref))
    if len(keys) < 4:
        raise ValueError("fewer than four muscles in common")
    scale, rot, trans = umeyama(np.array([ref[k].centroid for k in keys]),
                                np.array([ours[k].centroid for k in keys]))  # fmt: skip
    return keys, scale, rot, trans


def compare(
    ours: dict[tuple[str, str], Part], ref: dict[tuple[str, str], Part], body_height: float
) -> tuple[list[Comparison], float]:
    """Align the reference onto ours (one similarity on matched centroids) and compare."""
    keys, scale, rot, trans = align(ours, ref)
    src = np.array([ref[k].centroid for k in keys])
    dst = np.array([ours[k].centroid for k in keys])
    moved = src @ rot.T * scale + trans
    out = []
    for k, m, d in zip(keys, moved, dst, strict=True):
        ratio = ours[k].volume / max(ref[k].volume * scale**3, 1e-12)
        cos = abs(float(main_axis(ours[k].triangles) @ (rot @ main_axis(ref[k].triangles))))
        angle = float(np.degrees(np.arccos(min(cos, 1.0))))
        offset = float(np.linalg.norm(m - d) / body_height)
        out.append(Comparison(k[0], k[1], offset, float(ratio), angle))
    return out, scale


def load_ours(meshes_dir: Path) -> tuple[dict[tuple[str, str], Part], float]:
    """Our muscles (from a built ``meshes/``) and the body height (skin top minus bottom)."""
    import json

    from anatomy.geometry.meshio import read_mesh
    from anatomy.meshbuild.muscles.mesh import signed_volume

    manifest = json.loads((meshes_dir / "manifest.json").read_text(encoding="utf-8"))
    wanted = {m for unit in REFERENCE_NAMES for m in unit.split("+")}
    found: dict[tuple[str, str], tuple[np.ndarray, float]] = {}
    height = 0.0
    for e in manifest["meshes"]:
        if e["kind"] == "skin":
            z = read_mesh(meshes_dir / e["path"]).vertices[:, 2]
            height = float(z.max() - z.min())
        if e["kind"] != "muscle" or e["muscle"] not in wanted:
            continue
        mesh = read_mesh(meshes_dir / e["path"])
        v = mesh.vertices.astype(float)
        found[(e["muscle"], e["side"])] = (v[mesh.faces], signed_volume(v, mesh.faces))
    out = {}
    for unit in REFERENCE_NAMES:
        for side in _SUFFIX:
            keys = [(m, side) for m in unit.split("+")]
            if not all(k in found for k in keys):
                continue
            tri = np.concatenate([found[k][0] for k in keys])
            vol = float(sum(found[k][1] for k in keys))
            out[(unit, side)] = Part(tri, surface_centroid(tri), vol)
    return out, height
