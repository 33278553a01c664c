"""The pleura and the lungs, left and right, built from the ribcage and textbook borders.

The parietal pleura lines the inside of the ribs and intercostal spaces. Each side is built
as a volume on a grid and contoured, like the muscles:

- **the chest wall**: the side's ribs and half the sternum with its cartilages, as a convex
  hull, taken in by the ribs' own thickness so that the surface lies against their inner face
  and spans the intercostal spaces between them;
- **the apex (cupula)**: it rises above the medial third of the clavicle, into the root of
  the neck (``APEX_ABOVE_CLAVICLE_M``);
- **the inferior border**: the costodiaphragmatic reflection crosses the 8th rib in the
  mid-clavicular line, the 10th in the mid-axillary line and the 12th beside the spine
  (``PLEURA_BORDER``), and the 6th costal cartilage beside the sternum. Away from the wall
  the floor rises steeply to the dome of the diaphragm, so the lowest part is a narrow recess
  against the ribs: the costodiaphragmatic recess;
- **the mediastinum**: the two sacs stay apart at the midline, clear of the spine, and the
  left one is notched by the heart.

The lung fills the pleura except for the recess: its lower border runs two ribs higher
(6th, 8th and 10th ribs, ``LUNG_BORDER``) and its cardiac notch is deeper. Sources for every
level: ``REFLECTION_SOURCES``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import ConvexHull, cKDTree

from anatomy.geometry.meshio import TriMesh
from anatomy.geometry.pleura_report import clavicle_medial_third_top
from anatomy.geometry.ribs import (
    LINES,
    LUNG_BORDER,
    PLEURA_BORDER,
    ChestLines,
    Ribcage,
    border_levels,
    chest_lines,
    rib_level,
    split_ribcage,
)
from anatomy.meshbuild.muscles.mesh import signed_volume
from anatomy.meshbuild.muscles.volume import closed, repaired

PITCH_M = 0.0025
APEX_ABOVE_CLAVICLE_M = 0.025  # "2-3 cm above the medial third of the clavicle"
RECESS_WIDTH_M = 0.045  # how far in from the wall the floor reaches the dome's height
# In life the recess is a slit where the two layers of pleura touch; it is drawn this wide
# so that the surface can follow it down to the border.
RECESS_SLIT_M = 0.007
BONE_CLEARANCE_M = 0.003
SAMPLE_SPACING_M = 0.002
MIDLINE_GAP_M = 0.004
VISCERAL_GAP_M = 0.002  # the lung sits just inside the parietal pleura
TRIANGLES = 2400
REFLECTION_SOURCES = ("moore_2018", "standring_2020")


@dataclass(frozen=True)
class PleuraSide:
    """One side's pleura and lung, with the rib levels they were built to."""

    side: str
    pleura: TriMesh
    lung: TriMesh
    border_levels: dict[str, float]  # line -> z of the rib the pleural border crosses there
    lung_levels: dict[str, float]
    apex_target_z: float


def _interp_border(levels: dict[str, float], lines: ChestLines, angle: np.ndarray) -> np.ndarray:
    xs = [getattr(lines, line) for line in LINES]
    return np.interp(angle, xs, [levels[line] for line in LINES])


class _Grid:
    def __init__(self, lo: np.ndarray, hi: np.ndarray) -> None:
        self.origin = lo
        self.shape = tuple(int(v) for v in np.ceil((hi - lo) / PITCH_M).astype(int) + 1)
        axes = [lo[i] + PITCH_M * np.arange(self.shape[i]) for i in range(3)]
        gx, gy, gz = np.meshgrid(*axes, indexing="ij")
        self.points = np.stack([gx.ravel(), gy.ravel(), gz.ravel()], axis=1)


def _hull_depth(hull: ConvexHull, points: np.ndarray) -> np.ndarray:
    """Distance from each point to the hull's boundary, positive inside (exact for a convex
    polytope's interior: the nearest facet plane)."""
    eq = hull.equations  # n . p + d <= 0 inside
    out = np.empty(len(points))
    for start in range(0, len(points), 200_000):
        chunk = points[start : start + 200_000]
        out[start : start + 200_000] = -(chunk @ eq[:, :3].T + eq[:, 3]).max(axis=1)
    return out


def _ellipsoid(points: np.ndarray, centre: np.ndarray, axes: np.ndarray) -> np.ndarray:
    """An approximate signed distance to an ellipsoid, positive outside."""
    q = (points - centre) / axes
    r = np.linalg.norm(q, axis=1)
    return (r - 1.0) * axes.min()


def _surface(grid: _Grid, values: np.ndarray, name: str) -> TriMesh:
    """The zero surface of the field: smoothed, decimated, closed, wound outward."""
    import fast_simplification
    import pyvista as pv
    from scipy import ndimage

    image = pv.ImageData(dimensions=grid.shape, spacing=(PITCH_M,) * 3, origin=grid.origin)
    smooth = ndimage.gaussian_filter(values.reshape(grid.shape), 1.0, mode="nearest")
    image.point_data["f"] = smooth.ravel(order="F")
    mesh = image.contour([0.0], scalars="f").clean()
    mesh = mesh.connectivity("largest").extract_surface(algorithm="dataset_surface")
    mesh.clear_data()
    mesh = mesh.triangulate().clean().smooth_taubin(n_iter=30, pass_band=0.05)
    points = np.asarray(mesh.points, float)
    faces = np.asarray(mesh.faces.reshape(-1, 4)[:, 1:], dtype=np.int32)
    fixed = None
    for target in (TRIANGLES, int(TRIANGLES * 1.3), int(TRIANGLES * 1.7), TRIANGLES * 2):
        reduction = 1.0 - target / len(faces)
        verts, tris = fast_simplification.simplify(points.astype(np.float32), faces, reduction)
        fixed = repaired(np.asarray(verts, float), np.asarray(tris, dtype=np.int32))
        if fixed is not None and closed(fixed[1]):
            break
        fixed = None
    if fixed is None:
        raise ValueError(f"the {name} surface does not stay closed when decimated")
    verts, tris = fixed
    used = np.unique(tris)
    remap = np.full(len(verts), -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    verts, tris = verts[used], remap[tris].astype(np.int32)
    if signed_volume(verts, tris) < 0:
        tris = tris[:, ::-1]
    return TriMesh(vertices=verts.astype(np.float32), faces=np.ascontiguousarray(tris))


def build_pleura(bones: dict[str, TriMesh]) -> list[PleuraSide]:
    """The left and right pleura and lung from the built skeleton (keys ``bone_<name>``)."""
    thorax = bones["bone_thorax"]
    ribcage = split_ribcage(np.asarray(thorax.vertices, float), thorax.faces)
    near_bones = [bones[f"bone_{b}"] for b in ("thorax", "thoracic_spine", "cervical_spine")]
    bone_tree = cKDTree(np.concatenate([surface_samples(np.asarray(b.vertices, float), b.faces)
                                        for b in near_bones]))  # fmt: skip
    return [_build_side(ribcage, bones, bone_tree, side) for side in ("left", "right")]


def surface_samples(vertices: np.ndarray, faces: np.ndarray,
                    spacing: float = SAMPLE_SPACING_M) -> np.ndarray:  # fmt: skip
    """Points over a mesh's triangles no further apart than about ``spacing``: distances to
    them stand for distances to the surface (its vertices alone are too sparse on long
    triangles)."""
    tri = vertices[np.asarray(faces)]
    edge = np.linalg.norm(tri - np.roll(tri, 1, axis=1), axis=2).max(axis=1)
    out = [vertices]
    for n in np.unique(np.ceil(edge / spacing).astype(int)):
        if n < 2:
            continue
        i, j = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
        keep = i + j <= n
        w = np.stack([i[keep], j[keep], n - i[keep] - j[keep]], axis=1) / n
        sel = tri[np.ceil(edge / spacing).astype(int) == n]
        out.append(np.einsum("kw,twd->tkd", w, sel).reshape(-1, 3))
    return np.concatenate(out)


def apex_point(clavicle: np.ndarray, first_rib: np.ndarray, side: str) -> np.ndarray:
    """Where the cupula peaks: above the junction of the medial and middle thirds of the
    clavicle, over the first rib's ring, ``APEX_ABOVE_CLAVICLE_M`` above the top of the
    clavicle's medial third (its highest point there, the height the pleura report measures
    from)."""
    sign = 1.0 if side == "left" else -1.0
    inner = clavicle[np.argmin(sign * clavicle[:, 0])]
    outer = clavicle[np.argmax(sign * clavicle[:, 0])]
    at = inner + (outer - inner) / 3.0
    top = clavicle_medial_third_top(clavicle, side)
    return np.array([at[0], first_rib[:, 1].mean(), top + APEX_ABOVE_CLAVICLE_M])


class _SideField:
    """One side's chest cavity as signed distances on a grid (positive inside)."""

    def __init__(self, ribcage: Ribcage, bones: dict[str, TriMesh], bone_tree: cKDTree,
                 side: str) -> None:  # fmt: skip
        sign = 1.0 if side == "left" else -1.0
        self.side, self.ribcage = side, ribcage
        clavicle = np.asarray(bones[f"bone_clavicle_{side}"].vertices, float)
        self.lines = chest_lines(ribcage, clavicle, side)
        ribs = np.concatenate([ribcage.rib_points(side, n) for n in range(1, 13)])
        sternum = ribcage.vertices[ribcage.sternum]
        half = sternum[sign * sternum[:, 0] >= -0.001]
        self.apex = apex_point(clavicle, ribcage.rib_points(side, 1), side)
        wall = _rib_thickness(ribs, half)
        turn = np.linspace(0, 2 * np.pi, 8, endpoint=False)
        ring = (
            self.apex
            + [0, 0, wall]
            + 0.012 * np.stack([np.cos(turn), np.sin(turn), np.zeros(8)], axis=1)
        )
        hull = ConvexHull(np.concatenate([ribs, half, ring]))
        self.grid = _Grid(hull.points.min(axis=0) - 0.01, hull.points.max(axis=0) + 0.01)
        p = self.grid.points
        self.points = p
        self.depth = _hull_depth(hull, p) - wall  # > 0 inside the ribs' inner face
        # the distance to bone matters only in and around the cavity
        self.clear = np.ones(len(p))
        near = self.depth > -2 * PITCH_M
        self.clear[near] = bone_tree.query(p[near], workers=-1)[0] - BONE_CLEARANCE_M
        self.midline = sign * p[:, 0] - MIDLINE_GAP_M
        self.angle = self.lines.angle(p[:, 0], p[:, 1], sign)
        # The diaphragm's dome: the right dome reaches the 5th rib at the mid-clavicular
        # line, the left one the 5th intercostal space.
        fifth = rib_level(ribcage, side, 5, self.lines, self.lines.midclavicular)
        sixth = rib_level(ribcage, side, 6, self.lines, self.lines.midclavicular)
        self.dome = fifth if side == "right" else (fifth + sixth) / 2
        self.heart = _heart(ribcage, self.lines)

    def values(self, levels: dict[str, float], gap: float, notch: float) -> np.ndarray:
        """The cavity above the border ``levels``, ``gap`` in from every wall, clear of the
        heart by ``notch``."""
        border = _interp_border(levels, self.lines, self.angle)
        rise = np.clip((self.depth - RECESS_SLIT_M) / RECESS_WIDTH_M, 0.0, 1.0) ** 0.5
        floor = border + (np.maximum(self.dome, border) - border) * rise
        heart = _ellipsoid(self.points, *self.heart) - notch
        above = self.points[:, 2] - floor
        return np.minimum.reduce(
            [self.depth - gap, self.clear - gap, self.midline - gap, above - gap, heart]
        )


def _build_side(ribcage: Ribcage, bones: dict[str, TriMesh], bone_tree: cKDTree,
                side: str) -> PleuraSide:  # fmt: skip
    f = _SideField(ribcage, bones, bone_tree, side)
    pleura_levels = border_levels(ribcage, side, f.lines, PLEURA_BORDER)
    lung_levels = border_levels(ribcage, side, f.lines, LUNG_BORDER)
    pleura = _surface(f.grid, f.values(pleura_levels, 0.0, 0.002), f"{side} pleura")
    lung = _surface(f.grid, f.values(lung_levels, VISCERAL_GAP_M, 0.012), f"{side} lung")
    return PleuraSide(side, pleura, lung, pleura_levels, lung_levels, float(f.apex[2]))


def _rib_thickness(ribs: np.ndarray, half_sternum: np.ndarray) -> float:
    """How far the ribs' inner face lies inside their hull: the 90th percentile depth of the
    rib points, leaving out the necks and heads that turn in to the spine."""
    hull = ConvexHull(np.concatenate([ribs, half_sternum]))
    depth = _hull_depth(hull, ribs)
    return float(np.percentile(depth[depth < 0.03], 90))


def _heart(ribcage: Ribcage, lines: ChestLines) -> tuple[np.ndarray, np.ndarray]:
    """A schematic heart behind the lower sternum, turned to the left, sitting on the
    diaphragm: its centre and semi-axes."""
    v = ribcage.vertices
    front = float(v[ribcage.sternum][:, 1].min())
    low = float(np.mean([rib_level(ribcage, "left", 5, lines, lines.midclavicular),
                         rib_level(ribcage, "left", 6, lines, lines.midclavicular)]))  # fmt: skip
    axes = np.array([0.062, 0.048, 0.058])
    centre = np.array([0.018, front + 0.012 + axes[1], low + axes[2] - 0.004])
    return centre, axes
