"""Every muscle as a volume: many fibres, each a capsule, united as a field and contoured.

1. Fibres run from origin to insertion: the model's fascicle paths or lines between the
   attachment landmarks. A broad muscle's fibres are interpolated across into a dense sheet of
   fibres (``SPACING_M`` apart at the widest); a spindle's are copied side by side across the
   skin's tangent plane, so its belly is as wide as ``aspect`` times as thick.
2. Each fibre is a chain of spheres whose radius follows the belly profile (tendon-thin at
   the ends); a broad sheet also thins toward its free edges.
3. The union is a distance field on a grid (``PITCH_M``), clipped in the volume: out of every
   bone by ``BONE_CLEARANCE_M``, inside the skin by ``SKIN_MARGIN_M`` and out of the chest
   cavity (the pleura) by ``CAVITY_CLEARANCE_M``.
4. The zero surface is extracted with VTK's contour filter (through PyVista), smoothed
   (Taubin, which keeps the volume) and decimated to ``TRIANGLES``.

The size is calibrated to the published volume through one scale on every radius; the
neighbours of each grid point are found once, so each calibration round is cheap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from anatomy.meshbuild.muscles.body import Body
from anatomy.meshbuild.muscles.bundle import bundle_axis
from anatomy.meshbuild.muscles.mesh import resample, signed_volume, smooth_polyline, tangents
from anatomy.meshbuild.muscles.recipe import Recipe, belly_profile
from anatomy.meshbuild.muscles.sheet import drape_grid, fibre_grid
from anatomy.meshbuild.skeleton import components

PITCH_M = 0.002
SPACING_M = 0.004
FIBRE_POINTS = 60
MAX_ACROSS = 48
SIDE_COPIES = 5
TENDON = 0.18
NEIGHBOURS = 10
BONE_CLEARANCE_M = 0.0005
CAVITY_CLEARANCE_M = 0.001  # outside the pleura (the chest cavity) by this much
SKIN_MARGIN_M = 0.002
TENDON_BELOW = 0.5  # relative radius under which a fibre is tendon
TENDON_SKIN_MARGIN_M = 0.001
FOLD_M = 0.03  # how far outside the skin a point is checked for a fold of the skin
TENDON_IN_BONE_M = 0.0015  # a tendon may graze the bone it runs over (coarse bone meshes)
TRIANGLES = 1100
MAX_TRIANGLES = 8000
MIN_RADIUS_M = 0.0032  # thinner tendons would fall between the grid points
SMOOTH_ITERATIONS = 30
# A light blur rounds off the places where two capsules barely touch; where the surface still
# pinches so that decimation cannot keep it closed (a broad thin sheet), or leaves it in pieces
# or with a tunnel, a stronger one.
BLUR_VOXELS = (0.6, 1.0, 1.4, 2.0)
BLUR_KEEPS_VOLUME = 0.5  # a blur that keeps less of the lightest one's volume wore a sheet away
# The surface holds its middle fibre to within this (the centreline is then moved into it);
# a surface that lost a tendon end leaves it by several centimetres.
HOLD_M = 0.010
SIZE_NUDGES = (1.0, 1.02, 0.98, 1.05, 0.95)
# Pieces of the contour smaller than this share of the largest are dropped (tried in order).
KEEP_PIECES = (0.002, 0.03, 1.0)
CRUMB_VOLUME = 0.005  # closed pieces below this share of the volume are dropped after decimation
MEND_ROUNDS = 8  # rounds of putting back cuts that open holes or split the muscle
MEND_MAX_SHARE = 0.05  # cuts larger than this share of the muscle are never put back
MEND_MARGIN_VOXELS = 1  # a put-back cut grows by this much, so the blur cannot reopen it


@dataclass(frozen=True)
class FibreSet:
    """Fibres resampled to ``FIBRE_POINTS`` each (F, K, 3), right side, origin first.

    ``spread``: whether the fibres already span the muscle's width (a sheet or a fan between
    attachment lines); otherwise each is widened by side copies. ``edge``: per fibre, the
    relative radius across the set (thinner at a sheet's free edges).
    """

    fibres: np.ndarray
    spread: bool
    edge: np.ndarray


def across(base: np.ndarray, widen: tuple[float, float]) -> np.ndarray:
    """Fibres interpolated across ``base`` (m, K, 3) no more than ``SPACING_M`` apart,
    extended beyond the outer fibres by the fractions ``widen`` of the width."""
    gaps = np.linalg.norm(np.diff(base, axis=0), axis=2)  # (m-1, K)
    width = gaps.sum(axis=0).max() * (1.0 + widen[0] + widen[1])
    n = int(np.clip(np.ceil(width / SPACING_M) + 1, len(base), MAX_ACROSS))
    return fibre_grid(list(base), widen, across=n, along=base.shape[1])


def fibre_set(recipe: Recipe, fibres: list[np.ndarray]) -> FibreSet:
    """The recipe's fibres made into a set that fills the muscle's extent."""
    base = np.stack([resample(np.asarray(f, float), FIBRE_POINTS) for f in fibres])
    if recipe.kind == "bundle":  # many short fascicles up the trunk: they fill it already
        return FibreSet(base, True, np.ones(len(base)))
    spread = len(base) >= 2 and (recipe.kind == "sheet" or not recipe.actuators)
    if spread and len(base) >= 3:
        # The model's fascicles come in no particular order: sort them across the sheet (by
        # their midpoints along the widest spread) so that interpolation never crosses them.
        mids = base[:, FIBRE_POINTS // 2]
        spread_dir = np.linalg.svd(mids - mids.mean(axis=0), full_matrices=False)[2][0]
        base = base[np.argsort(mids @ spread_dir, kind="stable")]
    if spread:
        dense = across(base, recipe.widen)
        u = np.linspace(0.0, 1.0, len(dense))
        edge = 0.45 + 0.55 * np.sin(np.pi * u) ** 0.5
        return FibreSet(dense, True, edge)
    return FibreSet(base, False, np.ones(len(base)))


def _side_copies(fs: FibreSet, recipe: Recipe, body: Body, radius: np.ndarray) -> np.ndarray:
    """Each fibre copied across its width direction (the skin's tangent plane) so that the
    union is ``recipe.aspect`` times as wide as it is thick."""
    out = []
    offsets = np.linspace(-1.0, 1.0, SIDE_COPIES) * max(recipe.aspect - 1.0, 0.0)
    for fibre, r in zip(fs.fibres, radius, strict=True):
        t = tangents(fibre)
        width_dir = np.cross(t, body.superficial(fibre))
        width_dir /= np.maximum(np.linalg.norm(width_dir, axis=1, keepdims=True), 1e-12)
        for o in offsets:
            out.append(fibre + width_dir * (o * r)[:, None])
    return np.stack(out)


class Field:
    """The capsule union's distance field on a grid, with each point's nearest sphere centres
    found once; :meth:`at` evaluates it for a radius scale."""

    def __init__(self, centres: np.ndarray, relative: np.ndarray, floor: np.ndarray,
                 reach: float) -> None:  # fmt: skip
        self.relative = relative
        self.floor = np.where(floor, MIN_RADIUS_M, 0.0)
        lo = centres.min(axis=0) - reach - 3 * PITCH_M
        hi = centres.max(axis=0) + reach + 3 * PITCH_M
        self.shape = tuple(int(n) for n in np.ceil((hi - lo) / PITCH_M).astype(int) + 1)
        self.origin = lo
        axes = [lo[k] + PITCH_M * np.arange(self.shape[k]) for k in range(3)]
        grid = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 3)
        dist, idx = cKDTree(centres).query(grid, k=NEIGHBOURS, distance_upper_bound=reach)
        idx = np.where(idx < len(centres), idx, 0)
        # Where many thin fibres converge on an attachment they crowd the neighbour list, so
        # the nearest spheres of the fibres that keep a minimum radius are looked up apart.
        kept = np.flatnonzero(floor)
        if len(kept):
            d2, i2 = cKDTree(centres[kept]).query(grid, k=2, distance_upper_bound=reach)
            dist = np.hstack([dist, d2])
            idx = np.hstack([idx, kept[np.where(i2 < len(kept), i2, 0)]])
        near = np.isfinite(dist).any(axis=1)
        self.points = grid[near]
        self.index = np.flatnonzero(near)
        self.dist = np.where(np.isfinite(dist[near]), dist[near], np.inf)
        self.idx = idx[near]
        self.clip = np.full(len(self.points), -np.inf)
        self.clips: dict[str, np.ndarray] = {}  # the clip by what it keeps the muscle out of
        self._raw: tuple[float, np.ndarray] | None = None
        # Points nearest a tendon (a thin end of a fibre): tendons run over bone and close
        # under the skin at the wrist and ankle, so their clipping is looser.
        nearest = self.idx[np.arange(len(self.idx)), np.argmin(self.dist, axis=1)]
        self.tendon = relative[nearest] < TENDON_BELOW
        # ... and the middle fibre (at its minimum radius) is not cut by bone at all, so the
        # muscle stays in one piece along its centreline (a tendon over the patella).
        self.through = self.tendon & floor[nearest]

    def clip_to(self, body: Body, between: bool = False, grow: float = 0.0) -> None:
        """Keep the volume out of bone and inside the skin.

        ``between``: a sheet laid under the skin over bone (pectoralis major over the
        costal cartilages) gets the tendons' looser limits everywhere, or it would be cut
        through where the skin lies close to the bone. ``grow``: the largest radius scale
        the calibration may reach (only points within it are checked for skin folds).
        """
        bone, _, _ = body.bone.signed(self.points)
        skin, _, _ = body.skin.signed(self.points)
        # Where the skin folds over itself (the armpit) the nearest skin point can face the
        # wrong way: points that would be cut as outside but lie inside by the winding
        # number are kept.
        doubt = np.flatnonzero((skin > -SKIN_MARGIN_M) & (skin < FOLD_M)
                               & (self.raw(grow) < 0 if grow else True))  # fmt: skip
        if len(doubt):
            from anatomy.geometry.solid import inside_mask

            skin_v, skin_f = body.skin_mesh
            folded = inside_mask(self.points[doubt], skin_v, skin_f)
            skin[doubt[folded]] = np.minimum(skin[doubt[folded]], -SKIN_MARGIN_M)
        loose = self.tendon | between
        out_of_bone = np.where(loose, -TENDON_IN_BONE_M - bone, BONE_CLEARANCE_M - bone)
        margin = np.where(loose, TENDON_SKIN_MARGIN_M, SKIN_MARGIN_M)
        # The middle fibre's tendon is not cut by bone (it may cross a bone it runs over).
        self.clips = {"bone": np.where(self.through, -np.inf, out_of_bone),
                      "skin": skin + margin}  # fmt: skip
        if body.cavity is not None:  # nothing enters the chest cavity
            cavity, _, _ = body.cavity.signed(self.points)
            self.clips["cavity"] = CAVITY_CLEARANCE_M - cavity
        self.clip = np.maximum.reduce(list(self.clips.values()))

    def raw(self, scale: float) -> np.ndarray:
        """The unclipped field at the points near the fibres (kept for the last scale asked:
        :meth:`whole` asks for it once per clip)."""
        if self._raw is None or self._raw[0] != scale:
            radius = np.maximum(scale * self.relative[self.idx], self.floor[self.idx])
            self._raw = (scale, np.min(self.dist - radius, axis=1))
        return self._raw[1]

    def at(self, scale: float, clip: np.ndarray | None = None) -> np.ndarray:
        """The field (negative inside) on the whole grid, flattened in C order, clipped by
        ``clip`` (default: every clip; ``-inf``: the fibres' union alone)."""
        out = np.full(int(np.prod(self.shape)), 4 * PITCH_M)
        out[self.index] = np.maximum(self.raw(scale), self.clip if clip is None else clip)
        return out

    def whole(self, scale: float, blur: float) -> np.ndarray:
        """The clipped field blurred by ``blur`` grid steps, with the cuts that would break the
        muscle's topology put back: where a bone (or the skin, or the chest cavity) passes
        right through a sheet the clip would open a hole, and where it crosses a tendon it
        would cut the muscle in two. Those few cut-away pieces keep the fibres' own field, so
        the surface stays one closed piece with no hole; every other cut stays.
        """
        from scipy import ndimage

        def blurred(clip: np.ndarray | None) -> np.ndarray:
            return ndimage.gaussian_filter(self.at(scale, clip).reshape(self.shape), blur,
                                           mode="nearest")  # fmt: skip

        raw = blurred(np.full(len(self.points), -np.inf))
        cut = blurred(None)
        # What each clip alone takes away (a rib through a sheet apart from the skin over it).
        removed = [(raw < 0) & (blurred(c) >= 0) for c in self.clips.values()]
        restore = np.zeros(self.shape, dtype=bool)
        for _ in range(MEND_ROUNDS):
            inside = (cut < 0) | restore
            add = np.zeros(self.shape, dtype=bool)
            for by in removed:
                add |= mending_cuts(by & ~inside & ~add, inside)
            if not add.any():
                break
            restore |= ndimage.binary_dilation(add, iterations=MEND_MARGIN_VOXELS) & (raw < 0)
        return np.where(restore, np.minimum(raw, cut), cut).ravel()


_CUBE = np.ones((3, 3, 3), dtype=bool)


def euler_number(mask: np.ndarray) -> int:
    """Euler characteristic of a voxel set (each voxel a closed unit cube: pieces joined at a
    corner or an edge count as one), as corners - edges + faces - cubes."""
    m = np.pad(mask.astype(bool), 1)
    cubes = int(m.sum())
    faces = sum(int((np.take(m, range(1, m.shape[a]), a)
                     | np.take(m, range(m.shape[a] - 1), a)).sum()) for a in range(3))  # fmt: skip
    edges = 0
    for a in range(3):
        b, c = [k for k in range(3) if k != a]
        sides = []
        for db in (0, 1):
            for dc in (0, 1):
                sides.append(np.take(np.take(m, range(db, m.shape[b] - 1 + db), b),
                                     range(dc, m.shape[c] - 1 + dc), c))  # fmt: skip
        edges += int((sides[0] | sides[1] | sides[2] | sides[3]).sum())
    corners = np.zeros(tuple(n - 1 for n in m.shape), dtype=bool)
    for dx in (0, 1):
        for dy in (0, 1):
            for dz in (0, 1):
                corners |= m[dx:dx + m.shape[0] - 1, dy:dy + m.shape[1] - 1,
                             dz:dz + m.shape[2] - 1]  # fmt: skip
    return int(corners.sum()) - edges + faces - cubes


def mending_cuts(cut: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """The pieces of ``cut`` (voxels the clip removed) that, put back into ``inside``, close a
    hole (raise the Euler number) or join two pieces of it."""
    from scipy import ndimage

    labels, n = ndimage.label(cut, structure=_CUBE)
    if n == 0:
        return np.zeros_like(cut)
    pieces, n_pieces = ndimage.label(inside, structure=_CUBE)
    keep = np.zeros(n + 1, dtype=bool)
    sizes = np.bincount(labels.ravel(), minlength=n + 1)
    bridges = []
    inside_voxels = int(inside.sum())
    for i, box in enumerate(ndimage.find_objects(labels), start=1):
        grown = tuple(slice(max(b.start - 2, 0), b.stop + 2) for b in box)
        here = labels[grown] == i
        local = inside[grown]
        touches = np.unique(pieces[grown][ndimage.binary_dilation(here, _CUBE) & local])
        if sizes[i] > MEND_MAX_SHARE * inside_voxels or len(touches) == 0:
            continue  # a cut that large is meant; one apart from the muscle would float
        if n_pieces > 1 and len(touches) > 1:
            bridges.append((int(sizes[i]), i))  # it would join two pieces
        elif euler_number(local | here) > euler_number(local):
            keep[i] = True  # a patch over a hole
    if bridges:  # only the smallest bridge in one round: the pieces change once it is put back
        keep[min(bridges)[1]] = True
    return keep[labels] & cut


def surface(field: Field, scale: float,
            line: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """The zero surface of the field at radius scale ``scale``, kept whole
    (:meth:`Field.whole`): its real pieces, smoothed, decimated, closed, outward.

    The lightest blur that gives one piece with no tunnel and still holds ``line`` (the
    middle fibre, :func:`holds`) is used; if none does, the one that holds it with fewest
    flaws. A blur that wears away more than half of the lightest one's volume is not.
    """
    best: tuple[tuple[bool, int], tuple[np.ndarray, np.ndarray]] | None = None
    lightest = 0.0
    for blur in BLUR_VOXELS:
        try:
            built = _surface_at(field, field.whole(scale, blur))
        except ValueError:
            continue
        vol = signed_volume(*built)
        lightest = lightest or vol
        if vol < BLUR_KEEPS_VOLUME * lightest:
            continue
        key = (line is not None and not holds(*built, line), flaws(built[1]))
        if key == (False, 0):
            return built
        if best is None or key < best[0]:
            best = (key, built)
    if best is None:
        raise ValueError("the muscle's surface will not close at any blur")
    return best[1]


def holds(verts: np.ndarray, faces: np.ndarray, line: np.ndarray) -> bool:
    """Whether the surface holds the polyline from 5 % to 95 % of its length: each point inside
    or at most ``HOLD_M`` outside (a blur can wear a thin tendon, and the muscle's end, away)."""
    from anatomy.geometry.solid import signed_distance

    points = resample(line, 21)[1:-1]  # every 5 % of its length, ends apart
    return bool((signed_distance(points, verts, faces) <= HOLD_M).all())


def flaws(faces: np.ndarray) -> int:
    """How far a closed triangle surface is from one piece without a hole: its extra pieces
    plus its tunnels (handles), from the pieces and the Euler number V - E + F."""
    used = np.unique(faces)
    pieces = len(np.unique(components(faces, int(faces.max()) + 1)[used]))
    euler = len(used) - len(_edge_counts(faces)[0]) + len(faces)
    return (pieces - 1) + max(2 * pieces - euler, 0) // 2


def _surface_at(field: Field, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`surface` of the field's (blurred) ``values`` on its grid, flattened in C order."""
    import pyvista as pv

    image = pv.ImageData(dimensions=field.shape, spacing=(PITCH_M,) * 3, origin=field.origin)
    image.point_data["f"] = values.reshape(field.shape).ravel(order="F")
    mesh = image.contour([0.0], scalars="f").clean()
    if mesh.n_points == 0:
        raise ValueError("the muscle's volume is empty")
    parts = mesh.connectivity("all")
    region, cells = np.unique(parts.cell_data["RegionId"], return_counts=True)
    # Keep the belly and any piece of real size (a tendon cut off by a bone it runs over);
    # drop the crumbs the clipping leaves. Where a small piece will not stay closed through
    # decimation, keep only the larger ones.
    for share in KEEP_PIECES:
        keep = region[cells >= share * cells.max()]
        piece = parts.extract_cells(np.isin(parts.cell_data["RegionId"], keep))
        piece = piece.extract_surface(algorithm="dataset_surface")
        piece.clear_data()
        piece = piece.triangulate().clean().smooth_taubin(n_iter=SMOOTH_ITERATIONS,
                                                          pass_band=0.05)  # fmt: skip
        piece = pv.PolyData(piece.points, piece.triangulate().faces)  # polygons only
        try:
            verts, faces = _decimated(piece)
            break
        except ValueError:
            if share == KEEP_PIECES[-1]:
                raise
    faces = _without_crumbs(verts, faces)
    used = np.unique(faces)
    remap = np.full(len(verts), -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    verts, faces = verts[used], remap[faces].astype(np.int32)
    if signed_volume(verts, faces) < 0:
        faces = faces[:, ::-1]
    return np.asarray(verts, float), np.ascontiguousarray(faces)


def _without_crumbs(verts: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """The faces without the closed pieces holding less than ``CRUMB_VOLUME`` of the whole
    (a tendon tip grazing out of the skin at a fingertip leaves such a bead behind)."""
    label = components(faces, len(verts))[faces[:, 0]]
    pieces = np.unique(label)
    if len(pieces) == 1:
        return faces
    volume = np.abs([signed_volume(verts, faces[label == p]) for p in pieces])
    small = pieces[volume < CRUMB_VOLUME * volume.sum()]
    if len(small) == len(pieces):
        return faces
    return faces[~np.isin(label, small)]


def closed(faces: np.ndarray) -> bool:
    """Whether every edge of a triangle mesh is shared by exactly two triangles."""
    return bool((_edge_counts(faces)[1] == 2).all())


def _edge_counts(faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    edges = np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1)
    return np.unique(edges, axis=0, return_counts=True)


def _boundary_loops(faces: np.ndarray) -> list[list[int]] | None:
    """The open boundary of a mesh as loops of vertex ids (None if it is not simple)."""
    directed = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    pairs = {(int(a), int(b)) for a, b in directed}
    nxt: dict[int, int] = {}
    for a, b in pairs:
        if (b, a) not in pairs:  # a boundary edge, walked the way its face runs
            if b in nxt:
                return None  # a vertex where two holes meet
            nxt[b] = a  # walk backwards so the fill faces run the other way
    loops, seen = [], set()
    for start in sorted(nxt):
        if start in seen:
            continue
        loop, v = [], start
        while v not in seen:
            seen.add(v)
            loop.append(v)
            v = nxt.get(v, -1)
            if v == -1:
                return None
        loops.append(loop)
    return loops


def repaired(verts: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The few places where decimation left an edge with one or three triangles, cut out and
    closed with a fan around each hole's centre; None if that does not give a closed mesh."""
    for _ in range(3):
        edges, counts = _edge_counts(faces)
        if (counts == 2).all():
            return verts, faces
        bad = np.unique(edges[counts != 2])
        faces = faces[~np.isin(faces, bad).any(axis=1)]
        loops = _boundary_loops(faces)
        if loops is None:
            return None
        new_faces = [faces]
        for loop in loops:
            centre = len(verts)
            verts = np.vstack([verts, verts[loop].mean(axis=0)])
            ring = np.array(loop)
            new_faces.append(np.stack([ring, np.roll(ring, -1), np.full(len(ring), centre)], 1))
        faces = np.concatenate(new_faces).astype(np.int32)
    return (verts, faces) if closed(faces) else None


def _decimated(mesh: object) -> tuple[np.ndarray, np.ndarray]:
    """The mesh decimated to about ``TRIANGLES`` and still closed.

    Quadric decimation (VTK's, which keeps the volume, then fast-simplification's) can pinch
    a thin sheet so that an edge bounds more than two triangles; then a less aggressive
    target is tried, up to ``MAX_TRIANGLES``.
    """
    import fast_simplification

    points = np.asarray(mesh.points, float)  # type: ignore[attr-defined]
    full = np.asarray(mesh.faces.reshape(-1, 4)[:, 1:], dtype=np.int32)  # type: ignore[attr-defined]
    target = TRIANGLES
    while target < min(len(full), MAX_TRIANGLES):
        reduction = 1.0 - target / len(full)
        small = mesh.decimate(reduction, volume_preservation=True)  # type: ignore[attr-defined]
        tries = [(np.asarray(small.points, float), small.faces.reshape(-1, 4)[:, 1:])]
        tries.append(fast_simplification.simplify(points.astype(np.float32), full, reduction))
        pro = mesh.decimate_pro(reduction, preserve_topology=True)  # type: ignore[attr-defined]
        tries.append((np.asarray(pro.points, float), pro.faces.reshape(-1, 4)[:, 1:]))
        for verts, faces in tries:
            fixed = repaired(np.asarray(verts, float), np.asarray(faces, dtype=np.int32))
            if fixed is not None:
                return fixed
        target = int(target * 1.5)
    if len(full) <= MAX_TRIANGLES and closed(full):
        return points, full
    raise ValueError("the muscle's surface does not stay closed when decimated")


class VolumeBuild:
    """One muscle's fibres, radii and field, ready to be contoured at any size."""

    def __init__(self, recipe: Recipe, fibres: list[np.ndarray], body: Body) -> None:
        fs = fibre_set(recipe, fibres)
        self.first_scale = first_scale = _first_scale(recipe, fs)
        # How the volume grows with the radius scale (steps the calibration): a sheet's with
        # its thickness, a tube's with its area.
        self.power = 1.0 if fs.spread and recipe.kind != "bundle" else 0.5
        s = np.linspace(0.0, 1.0, FIBRE_POINTS)
        prof = belly_profile(s, recipe.belly, recipe.ramp, TENDON)
        relative = fs.edge[:, None] * prof[None, :]  # (F, K)
        chains = fs.fibres
        # The middle fibre (of a spindle: each head's middle copy) keeps at least
        # MIN_RADIUS_M, so thin tendons stay joined to the belly; the others may thin out.
        floor = np.arange(len(chains)) == len(chains) // 2
        if recipe.kind == "bundle":
            floor[:] = True
        if not fs.spread:
            chains = _side_copies(fs, recipe, body, first_scale * relative)
            relative = np.repeat(relative, SIDE_COPIES, axis=0)
            floor = np.arange(len(chains)) % SIDE_COPIES == SIDE_COPIES // 2
        # Fibres that span the muscle's width are laid on the body no thicker than the recipe
        # allows: a thicker sheet would not fit between bone and skin, and the lift would
        # push it round the bone. The centreline is lifted the same way.
        lay = min(first_scale, 0.5e-3 * recipe.max_thickness_mm) if fs.spread else first_scale
        if recipe.kind == "sheet":
            chains = drape_grid(recipe, chains, body, 2.0 * lay * relative)
        chains = _lift(chains, lay * relative, body)
        if recipe.kind == "bundle":  # the fascicle cloud's layer centroids
            middle = resample(bundle_axis(recipe, list(fs.fibres))["centre"], FIBRE_POINTS)
            middle = smooth_polyline(middle, iterations=4)
            self.centreline = _lift(middle[None], lay * relative[:1], body)[0]
        elif fs.spread:  # the belly's mid-fibre, as laid on the body, its bends smoothed
            middle = smooth_polyline(chains[len(chains) // 2], iterations=4)
            self.centreline = _lift(middle[None], lay * relative[:1], body)[0]
        else:
            # the fibre nearest the heads' mean (its ends lie on real attachments), as lifted
            mean = fs.fibres.mean(axis=0)
            j = int(np.argmin(np.linalg.norm(fs.fibres - mean, axis=2).mean(axis=1)))
            self.centreline = chains[j * SIDE_COPIES + SIDE_COPIES // 2].copy()
        centres, rel, floored = _dense_spheres(chains, relative, floor)
        # Room for the field to grow to twice the first guess during calibration.
        reach = max(2.5 * first_scale * float(rel.max()), 2.0 * MIN_RADIUS_M)
        self.field = Field(centres, rel, floored, reach=reach)
        self.field.clip_to(body, between=recipe.kind == "sheet" and recipe.drape == "skin",
                           grow=2.0 * first_scale)

    def make(self, scale: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Vertices, faces and centreline for radius scale ``scale`` (metres at the belly).

        Where the surface at exactly that size will not stay closed through decimation, a
        size a few per cent either side is used (the calibration then steps from there).
        """
        for nudge in SIZE_NUDGES:
            try:
                verts, faces = surface(self.field, scale * nudge, self.centreline)
                return verts, faces, self.centreline
            except ValueError:
                if nudge == SIZE_NUDGES[-1]:
                    raise
        raise AssertionError("unreachable")


def _lift(chains: np.ndarray, radius: np.ndarray, body: Body) -> np.ndarray:
    """Each chain moved off the bones and under the skin by its local radius (the model's
    paths run along the bone surface); its two ends stay on the attachments."""
    n, k, _ = chains.shape
    frozen = np.zeros((n, k), dtype=bool)
    frozen[:, [0, -1]] = True
    out = chains
    for _ in range(2):  # push, smooth, and push again so smoothing cannot sink it back
        out = body.push(out.reshape(-1, 3), bone_clearance=0.8 * radius.ravel(),
                        skin_margin=radius.ravel() + SKIN_MARGIN_M,
                        frozen=frozen.ravel()).reshape(n, k, 3)  # fmt: skip
        out = np.stack([smooth_polyline(c, iterations=2) for c in out])
    return body.push(out.reshape(-1, 3), bone_clearance=0.8 * radius.ravel(),
                     skin_margin=radius.ravel() + SKIN_MARGIN_M,
                     frozen=frozen.ravel()).reshape(n, k, 3)  # fmt: skip


def _dense_spheres(chains: np.ndarray, relative: np.ndarray,
                   floor: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Sphere centres along every chain no more than half a grid step apart, their relative
    radii and whether each keeps the minimum radius."""
    centres, radii, floors = [], [], []
    for chain, rel, keep in zip(chains, relative, floor, strict=True):
        seg = np.linalg.norm(np.diff(chain, axis=0), axis=1)
        arc = np.concatenate([[0.0], np.cumsum(seg)])
        n = max(int(np.ceil(arc[-1] / (0.5 * PITCH_M))) + 1, 2)
        t = np.linspace(0.0, arc[-1], n)
        centres.append(np.stack([np.interp(t, arc, chain[:, k]) for k in range(3)], axis=1))
        radii.append(np.interp(t, arc, rel))
        floors.append(np.full(n, bool(keep)))
    return np.concatenate(centres), np.concatenate(radii), np.concatenate(floors)


def _first_scale(recipe: Recipe, fs: FibreSet) -> float:
    """A first guess of the belly radius from the target volume."""
    length = float(np.mean([np.linalg.norm(np.diff(f, axis=0), axis=1).sum()
                            for f in fs.fibres]))  # fmt: skip
    volume = recipe.volume_cm3 * 1e-6
    if recipe.kind == "bundle":  # overlapping fascicles: a tube each, half of it shared
        return float(np.clip(1.5 * np.sqrt(volume / (np.pi * len(fs.fibres) * max(length, 0.01))),
                             0.003, 0.015))  # fmt: skip
    if fs.spread:
        width = float(np.linalg.norm(np.diff(fs.fibres[:, FIBRE_POINTS // 2], axis=0),
                                     axis=1).sum())  # fmt: skip
        return float(np.clip(volume / (2.0 * max(width, 0.01) * max(length, 0.01) * 0.7),
                             0.002, 0.03))  # fmt: skip
    heads = len(fs.fibres)
    return float(np.sqrt(volume / (np.pi * recipe.aspect * heads * max(length, 0.01) * 0.6)))

