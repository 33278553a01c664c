"""The trigger-point muscles as closed meshes, built on the standing myo-sim skeleton.

``build_muscles`` builds every muscle of ``anatomy.frame.MUSCLE_IDS`` on the right side from
its recipe (``catalogue``), calibrates its size to a published adult volume, and mirrors it
(x -> -x, winding flipped) to make the left side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anatomy.errors import AtlasError
from anatomy.frame import MUSCLE_IDS
from anatomy.meshbuild.muscles.attachments import load_rules, place_attachments
from anatomy.meshbuild.muscles.body import Body
from anatomy.meshbuild.muscles.bundle import build_bundle, bundle_axis
from anatomy.meshbuild.muscles.catalogue import BUNDLE_PREFIXES, RECIPES, VOLUME_BUILT
from anatomy.meshbuild.muscles.mesh import signed_volume
from anatomy.meshbuild.muscles.recipe import Recipe, point_ref, recipe_fibres
from anatomy.meshbuild.muscles.sheet import build_sheet, fibre_grid, initial_thickness
from anatomy.meshbuild.muscles.spindle import build_spindle, initial_scale, spindle_axis
from anatomy.meshbuild.muscles.volume import VolumeBuild, flaws, holds
from anatomy.meshbuild.skeleton import drop_logo

CALIBRATION_ROUNDS = 3
# Within this (log) of its target volume a build counts as the right size.
VOLUME_TOLERANCE_LOG = float(np.log(1.15))
# The centreline is resampled to this many points and every inner point is kept inside the
# mesh, so that a trigger point "a fraction along the muscle" starts within the muscle.
CENTRELINE_POINTS = 81
CENTRELINE_ROUNDS = 4
BELLY_INSET_M = 0.001


@dataclass(frozen=True)
class MuscleMesh:
    """One muscle on one side, ready for ``meshes/manifest.json``."""

    id: str
    muscle: str
    side: str
    vertices: np.ndarray  # (n, 3) float32, metres
    faces: np.ndarray  # (m, 3) int32, outward winding
    shape: str  # spindle | sheet | landmark
    origin: np.ndarray  # (3,)
    insertion: np.ndarray  # (3,)
    origin_landmark: str
    insertion_landmark: str
    centreline: np.ndarray  # (k, 3), origin to insertion
    volume_cm3: float
    reference_volume_cm3: float
    reference_volume_source: str


def _with_bundle_actuators(recipe: Recipe, paths: dict) -> Recipe:
    if recipe.kind != "bundle":
        return recipe
    prefixes = BUNDLE_PREFIXES[recipe.muscle]
    acts = tuple(sorted(a for a in paths if a.startswith(prefixes) and a.endswith("_r")))
    if not acts:
        raise AtlasError(f"no model fascicles start with {prefixes}", key=recipe.muscle)
    return Recipe(**{**recipe.__dict__, "actuators": acts})


def _resample(polyline: np.ndarray, n: int) -> np.ndarray:
    """``n`` points evenly spaced by arc length along a polyline."""
    seg = np.linalg.norm(np.diff(polyline, axis=0), axis=1)
    arc = np.concatenate([[0.0], np.cumsum(seg)])
    t = np.linspace(0.0, arc[-1], n)
    return np.stack([np.interp(t, arc, polyline[:, k]) for k in range(3)], axis=1)


def through_belly(centre: np.ndarray, vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """The centreline resampled, its inner points moved inside the mesh where they left it.

    A sheet's middle fibre or a bundle's axis can leave the shaped slab (a thin sheet bends
    away from its fascicle path); such a point moves to the nearest surface point and
    ``BELLY_INSET_M`` inward along that face's inward normal. The ends stay on the
    attachments.
    """
    import trimesh

    from anatomy.geometry.solid import inside_mask

    mesh = trimesh.Trimesh(np.asarray(vertices, float), np.asarray(faces), process=False)
    line = np.asarray(centre, dtype=float)
    # Moving points changes the arc length, so resample and check again a few times.
    for _ in range(CENTRELINE_ROUNDS):
        line = _resample(line, CENTRELINE_POINTS)
        inner = line[1:-1]
        outside = ~inside_mask(inner, vertices, faces)
        if not outside.any():
            break
        closest, _, tri = trimesh.proximity.closest_point(mesh, inner[outside])
        moved = closest - mesh.face_normals[tri] * BELLY_INSET_M
        ok = inside_mask(moved, vertices, faces)
        inner[outside] = np.where(ok[:, None], moved, closest)
    return line


def build_right(recipe: Recipe, paths: dict, attachments: dict, body: Body,
                volumetric: bool = False) -> tuple:  # fmt: skip
    """Build one right-side muscle; returns (vertices, faces, centreline, origin, insertion).

    ``volumetric``: build it as a volume (``anatomy.meshbuild.muscles.volume``) instead of with
    the tube, slab or bundle builder of its recipe.
    """
    recipe = _with_bundle_actuators(recipe, paths)
    fibres = recipe_fibres(recipe, paths, attachments)
    target = recipe.volume_cm3 * 1e-6
    if volumetric:
        volume = VolumeBuild(recipe, fibres, body)
        scale, make, power = volume.first_scale, volume.make, volume.power
    elif recipe.kind == "spindle":
        axis = spindle_axis(recipe, fibres, body)
        scale = initial_scale(recipe, axis)

        def make(sc: float) -> tuple:
            return build_spindle(recipe, axis, body, sc)

        power = 0.5
    elif recipe.kind == "sheet":
        grid = fibre_grid(fibres, recipe.widen)
        scale = initial_thickness(recipe, grid)

        def make(sc: float) -> tuple:
            return build_sheet(recipe, grid, body, sc)

        power = 1.0
    elif recipe.kind == "bundle":
        axis = bundle_axis(recipe, fibres)
        scale = 2.0

        def make(sc: float) -> tuple:
            return build_bundle(recipe, axis, body, sc)

        power = 0.5
    else:
        raise AtlasError(f"unknown recipe kind {recipe.kind!r}", key=recipe.muscle)
    # Calibrate the size to the target volume. Pushing vertices out of bone and into the skin
    # makes volume a bumpy function of size, so steps are bounded and the best try is kept. Of
    # volumes near the target size the best holds its middle fibre end to end, then is one
    # piece with no tunnel, then has the nearest volume; of the others, the nearest volume.
    def rank(built: tuple) -> tuple:
        vol = signed_volume(built[0], built[1])
        if vol <= 0:
            raise AtlasError("built muscle has no volume", key=recipe.muscle)
        err = abs(np.log(vol / target))
        if not volumetric or err > VOLUME_TOLERANCE_LOG:
            return (err > VOLUME_TOLERANCE_LOG, False, 0, err), vol
        whole = (not holds(built[0], built[1], built[2]), flaws(built[1]))
        return (False, *whole, err), vol

    best: tuple | None = None
    for _ in range(CALIBRATION_ROUNDS):
        built = make(scale)
        key, vol = rank(built)
        if best is None or key < best[0]:
            best = (key, built)
        scale *= float(np.clip((target / vol) ** power, 0.5, 1.6))
    built = make(scale)
    key, _ = rank(built)
    if best is None or key < best[0]:
        best = (key, built)
    verts, faces, centre = best[1]
    # Spindles: the cap centres; sheets: the middle fibre's attachments; bundles: end layers.
    origin, insertion = centre[0], centre[-1]
    return verts, faces, centre, origin, insertion


def clean_geoms(bones: list) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The model's bone geoms as (vertices, faces) by geom name, without the logo that
    myo-sim embeds in front of the sternum (it is no bone: muscles must not rest on it)."""
    out = {}
    for g in bones:
        verts, faces = g.vertices, g.faces
        if "ribcage" in g.mesh:
            verts, faces = drop_logo(verts, faces)
            used = np.unique(faces)
            remap = np.full(len(verts), -1, dtype=np.int64)
            remap[used] = np.arange(len(used))
            verts, faces = verts[used], remap[faces].astype(np.int32)
        out[g.geom] = (np.asarray(verts, dtype=float), faces)
    return out


def _mirror(points: np.ndarray) -> np.ndarray:
    out = np.array(points, dtype=float, copy=True)
    out[..., 0] = -out[..., 0]
    return out


def build_muscles(
    standing: object, bones: dict | None, skin: object, muscles: tuple[str, ...] | None = None,
    volumetric: bool = False, cavities: list[tuple[np.ndarray, np.ndarray]] | None = None,
) -> list[MuscleMesh]:
    """Every muscle of ``MUSCLE_IDS``, right and left, sorted by id.

    Parameters
    ----------
    standing
        ``anatomy.meshbuild.myosim.load_standing()``: bones (``standing.bones``) and tendon paths.
    bones
        Atlas bone meshes by id (unused: the raw model geoms are used, they are finer).
    skin
        The closed posed skin (``TriMesh``); muscles are kept inside it.
    muscles
        Build only these muscle ids (default: all of ``MUSCLE_IDS``).
    volumetric
        Build every muscle as a volume (``anatomy.meshbuild.muscles.volume``); without it
        only those of ``VOLUME_BUILT`` are.
    cavities
        Closed surfaces that no muscle built as a volume may enter (the pleura, left and
        right: the chest cavity).
    """
    geoms = clean_geoms(standing.bones)  # type: ignore[attr-defined]
    paths = standing.tendon_paths  # type: ignore[attr-defined]
    attachments = place_attachments(load_rules(), {g: v for g, (v, _) in geoms.items()})
    body = Body(geoms, (skin.vertices, skin.faces), cavities)  # type: ignore[attr-defined]
    by_muscle = {r.muscle: r for r in RECIPES}
    missing = [m for m in MUSCLE_IDS if m not in by_muscle]
    if missing:
        raise AtlasError(f"no recipe for muscles {missing}")
    out: list[MuscleMesh] = []
    wanted = MUSCLE_IDS if muscles is None else tuple(m for m in MUSCLE_IDS if m in muscles)
    for muscle in wanted:
        recipe = by_muscle[muscle]
        try:
            verts, faces, centre, origin, insertion = build_right(
                recipe, paths, attachments, body, volumetric or muscle in VOLUME_BUILT
            )
        except ValueError as exc:  # a surface that cannot be built: say which muscle
            raise AtlasError(f"cannot build the muscle: {exc}", key=muscle) from None
        centre = through_belly(centre, verts, faces)
        vol = signed_volume(verts, faces) * 1e6
        for side in ("right", "left"):
            v, f = verts, faces
            c, o, i = centre, origin, insertion
            if side == "left":
                v, f = _mirror(verts), faces[:, ::-1]
                c, o, i = _mirror(centre), _mirror(origin), _mirror(insertion)
            out.append(
                MuscleMesh(
                    id=f"{muscle}_{side}",
                    muscle=muscle,
                    side=side,
                    vertices=np.ascontiguousarray(v, dtype=np.float32),
                    faces=np.ascontiguousarray(f, dtype=np.int32),
                    shape=recipe.shape,
                    origin=np.asarray(o, dtype=float),
                    insertion=np.asarray(i, dtype=float),
                    origin_landmark=recipe.origin_landmark,
                    insertion_landmark=recipe.insertion_landmark,
                    centreline=np.asarray(c, dtype=float),
                    volume_cm3=round(vol, 1),
                    reference_volume_cm3=float(recipe.volume_cm3),
                    reference_volume_source=recipe.source,
                )
            )
    return sorted(out, key=lambda m: m.id)


__all__ = ["MuscleMesh", "build_muscles", "point_ref"]
