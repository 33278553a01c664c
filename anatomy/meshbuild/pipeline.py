"""The whole mesh build: skeleton, skin, landmarks and muscles written into one directory."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from anatomy.geometry.solid import inside_mask
from anatomy.meshbuild.kidneys import build_kidneys
from anatomy.meshbuild.landmarks import build_landmarks, mirror_errors
from anatomy.meshbuild.manifest import (
    mesh_entry,
    remove_stale,
    source_versions,
    write_landmarks,
    write_manifest,
)
from anatomy.meshbuild.myosim import load_standing
from anatomy.meshbuild.pleura import build_pleura
from anatomy.meshbuild.skeleton import build_skeleton
from anatomy.meshbuild.skin import build_skin

_MUSCLE_FIELDS = (
    "shape", "origin", "insertion", "origin_landmark", "insertion_landmark", "centreline",
    "volume_cm3", "reference_volume_cm3", "reference_volume_source",
)  # fmt: skip


def _muscle_builder() -> Callable[..., list[Any]] | None:
    """``anatomy.meshbuild.muscles.build_muscles``, or None when that module does not exist."""
    try:
        module = importlib.import_module("anatomy.meshbuild.muscles")
    except ModuleNotFoundError as exc:
        if exc.name in ("anatomy.meshbuild.muscles",):
            return None
        raise
    return module.build_muscles  # type: ignore[no-any-return]


def pleura_entries(out: Path, sides: list[Any],
                   log: Callable[[str], None] = print) -> list[dict[str, Any]]:  # fmt: skip
    """Write the pleura and lungs (``anatomy.meshbuild.pleura.build_pleura``'s sides); their
    manifest entries."""
    entries = []
    for side in sides:
        for organ, mesh in (("pleura", side.pleura), ("lung", side.lung)):
            levels = side.border_levels if organ == "pleura" else side.lung_levels
            entries.append(mesh_entry(
                out, f"organs/{organ}_{side.side}.npz", mesh.vertices, mesh.faces,
                id=f"{organ}_{side.side}", kind="organ", organ=organ, muscle=None,
                side=side.side, border_levels=levels,
                **({"apex_target_z": side.apex_target_z} if organ == "pleura" else {})))
        log(f"pleura and lung, {side.side}: {len(side.pleura.faces)} and "
            f"{len(side.lung.faces)} triangles")
    return entries


def kidney_entries(out: Path, bones: dict[str, Any], muscles: dict[str, Any],
                   log: Callable[[str], None] = print) -> list[dict[str, Any]]:  # fmt: skip
    """Write the kidneys placed against the posterior abdominal wall; their manifest entries."""
    entries = []
    for k in build_kidneys(bones, muscles):
        entries.append(mesh_entry(
            out, f"organs/kidney_{k.side}.npz", k.mesh.vertices, k.mesh.faces,
            id=f"kidney_{k.side}", kind="organ", organ="kidney", muscle=None, side=k.side,
            upper_pole_z=k.upper_pole_z, lower_pole_z=k.lower_pole_z))
    log("kidneys: " + ", ".join(f"{e['id']} {e['triangles']} triangles" for e in entries))
    return entries


def build_all(out: Path, log: Callable[[str], None] = print,
              volumetric: bool = False) -> dict[str, int]:  # fmt: skip
    """Regenerate every file of ``meshes/`` into ``out``.

    Parameters
    ----------
    out
        Output directory (created if needed); mesh files it no longer needs are deleted.
    log
        Called with one line of progress per stage.
    volumetric
        Build the muscles as volumes (``anatomy.meshbuild.muscles.volume``).

    Returns
    -------
    dict
        ``files``, ``triangles`` and ``bytes`` of the mesh files written.
    """
    out.mkdir(parents=True, exist_ok=True)
    standing = load_standing()
    log("compiled myofullbody in its standing pose")
    skeleton = build_skeleton(standing)
    bones = {bid: b.mesh for bid, b in skeleton.items()}
    entries = []
    for bid, bone in skeleton.items():
        rel = f"bones/{bid.removeprefix('bone_')}.npz"
        entries.append(
            mesh_entry(
                out,
                rel,
                bone.mesh.vertices,
                bone.mesh.faces,
                id=bid,
                kind="bone",
                bone=bone.bone,
                muscle=None,
                side=bone.side,
            )
        )
    log(f"skeleton: {len(bones)} bones, {sum(b.n_triangles for b in bones.values())} triangles")
    skin = build_skin(standing, bones)
    entries.append(
        mesh_entry(
            out,
            "skin/skin.npz",
            skin.vertices,
            skin.faces,
            id="skin",
            kind="skin",
            muscle=None,
            side=None,
        )
    )
    pleurae = build_pleura(bones)
    entries.extend(pleura_entries(out, pleurae, log))
    points = np.concatenate([b.vertices for _, b in sorted(bones.items())])
    inside = float(inside_mask(points, skin.vertices, skin.faces).mean())
    log(f"skin: {len(skin.vertices)} vertices; {100 * inside:.2f} % of bone vertices inside")
    landmarks = build_landmarks(standing, skin)
    write_landmarks(out, landmarks)
    worst = max(mirror_errors(landmarks).items(), key=lambda kv: kv[1])
    log(f"landmarks: {len(landmarks)}; worst left/right mirror gap {worst[0]} "
        f"{1000 * worst[1]:.1f} mm")  # fmt: skip
    builder = _muscle_builder()
    if builder is None:
        log("muscles: SKIPPED (anatomy.meshbuild.muscles is not there yet)")
    else:
        # Muscles built as volumes stay out of the chest cavity (inside the pleura).
        cavities = [(side.pleura.vertices, side.pleura.faces) for side in pleurae]
        built = builder(standing, bones, skin, volumetric=volumetric, cavities=cavities)
        for m in built:
            extra = {k: getattr(m, k) for k in _MUSCLE_FIELDS}
            entries.append(
                mesh_entry(
                    out,
                    f"muscles/{m.id}.npz",
                    m.vertices,
                    m.faces,
                    id=m.id,
                    kind="muscle",
                    muscle=m.muscle,
                    side=m.side,
                    **extra,
                )
            )
        log(f"muscles: {sum(e['kind'] == 'muscle' for e in entries)} meshes")
        entries.extend(kidney_entries(out, bones, {m.id: m for m in built}, log))
    for path in remove_stale(out, entries):
        log(f"removed stale {path}")
    write_manifest(out, entries, source_versions())
    size = sum((out / e["path"]).stat().st_size for e in entries)
    return {"files": len(entries), "triangles": sum(e["triangles"] for e in entries),
            "bytes": size}  # fmt: skip
