"""What the 3D view shows for a selection: one description for every way the atlas is drawn.

:func:`describe` is a pure function from (atlas, selection) to a :class:`SceneView`: the
highlighted meshes, the trigger-point markers, the painted zones (skin vertex ids), the
cameras, the layers and the colours. The app's session state, the exported handout and
static site, and ``myoatlas render`` all draw from it, so the same selection looks the same
everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from anatomy.errors import AtlasError
from anatomy.frame import MODES, SIDES
from anatomy.scene.camera import (
    FOCUS_MARGIN,
    bounds_of,
    facing_preset,
    fit_camera,
    muscle_view_direction,
    skin_normals,
    zone_camera,
    zone_view_direction,
)
from anatomy.scene.needle import needle_view
from anatomy.scene.palette import OPACITY, PALETTE, mode_layers

ZONE_KINDS = ("essential", "spillover")


@dataclass(frozen=True)
class Selection:
    """What a person has chosen: a muscle record, a side, a trigger point, a mode."""

    muscle: str = ""  # a muscle record id; "" for nothing
    side: str = "right"
    trigger_point: str = ""  # a trigger point of ``muscle``; "" for none
    mode: str = "patient"


@dataclass(frozen=True)
class Marker:
    """A trigger point's marker: ``id`` is ``muscle:trigger_point``."""

    id: str
    trigger_point: str
    label: str
    position: tuple[float, float, float]
    selected: bool

    def as_dict(self) -> dict[str, Any]:
        """The marker as the app's viewer takes it: ``{id, label, position, selected}``."""
        return {"id": self.id, "label": self.label, "position": list(self.position),
                "selected": self.selected}  # fmt: skip


@dataclass(frozen=True)
class SceneView:
    """What the view shows for one :class:`Selection`.

    ``zones`` maps ``essential``/``spillover`` to skin vertex ids (empty without a trigger
    point). ``camera`` looks at the selected trigger point's zones (None without one, or
    when its essential zone is empty); ``focus`` frames the highlighted muscle (None without
    a muscle). Cameras are dicts ``{position, focal_point, view_up, view_angle}``.
    ``layers`` are those a view of the selection's mode opens with
    (:func:`anatomy.scene.palette.mode_layers`: the lungs and pleura in clinician mode).
    ``needle`` is the selected trigger point's needle line
    (:func:`anatomy.scene.needle.needle_view`), in clinician mode for a point with a depth
    profile; None otherwise.
    """

    selection: Selection
    highlight: tuple[str, ...] = ()
    markers: tuple[Marker, ...] = ()
    zones: dict[str, np.ndarray] = field(default_factory=dict)
    camera: dict[str, Any] | None = None
    focus: dict[str, Any] | None = None
    layers: tuple[str, ...] = mode_layers(Selection.mode)
    needle: dict[str, Any] | None = None
    opacity: dict[str, float] = field(default_factory=lambda: dict(OPACITY))
    colours: dict[str, Any] = field(default_factory=lambda: dict(PALETTE))


def describe(atlas: Any, selection: Selection, *, cameras: bool = True) -> SceneView:
    """The scene for ``selection`` over ``atlas`` (an :class:`anatomy.atlas.model.Atlas`).

    ``cameras=False`` leaves ``camera`` and ``focus`` out (None), for a caller that keeps
    its own view where it is (a session whose camera moves only when asked).

    Raises
    ------
    AtlasError
        For an unknown muscle, side, trigger point or mode.
    """
    if selection.side not in SIDES:
        raise AtlasError(f"side must be left or right, not {selection.side!r}", key="side")
    if selection.mode not in MODES:
        raise AtlasError(f"mode must be one of {', '.join(MODES)}, not {selection.mode!r}",
                         key="mode")  # fmt: skip
    layers = mode_layers(selection.mode)
    if not selection.muscle:
        return SceneView(selection, layers=layers)
    record = atlas.content.muscle(selection.muscle)  # raises AtlasError with a suggestion
    if selection.trigger_point:
        record.trigger_point(selection.trigger_point)  # likewise
    highlight = highlight_ids(record, selection.side)
    markers = tuple(
        Marker(id=f"{record.id}:{tp.id}", trigger_point=tp.id, label=tp.name,
               position=_point(atlas.trigger_point_position(record.id, tp.id, selection.side)),
               selected=tp.id == selection.trigger_point)
        for tp in record.trigger_points
    )  # fmt: skip
    zones = (zone_ids(atlas, record.id, selection.trigger_point, selection.side)
             if selection.trigger_point else {})  # fmt: skip
    selected = [m.position for m in markers if m.selected]
    return SceneView(
        selection, highlight=highlight, markers=markers, zones=zones, layers=layers,
        needle=needle_of(atlas, selection),
        camera=zone_view(atlas, zones, selected)[1] if zones and cameras else None,
        focus=muscle_view(atlas, highlight) if cameras else None,
    )  # fmt: skip


def needle_of(atlas: Any, selection: Selection) -> dict[str, Any] | None:
    """The selected trigger point's needle line, shown to clinicians only; None for another
    mode, no trigger point, a point away from the trunk or an atlas without depth profiles."""
    depths = getattr(atlas, "depths", None)
    if selection.mode != "clinician" or not selection.trigger_point or depths is None:
        return None
    profile = depths.profile(selection.muscle, selection.trigger_point, selection.side)
    return needle_view(profile) if profile is not None else None


def highlight_ids(record: Any, side: str) -> tuple[str, ...]:
    """The mesh ids a muscle record highlights on ``side``."""
    return tuple(f"{mesh}_{side}" for mesh in record.meshes)


def zone_ids(atlas: Any, muscle: str, trigger_point: str, side: str) -> dict[str, np.ndarray]:
    """A trigger point's essential and spillover zones as skin vertex ids."""
    return {kind: np.asarray(atlas.zone_vertices(muscle, trigger_point, side, kind), np.int64)
            for kind in ZONE_KINDS}  # fmt: skip


def zone_view(
    atlas: Any, zones: dict[str, np.ndarray], points: Any = ()
) -> tuple[str | None, dict[str, Any] | None]:
    """The camera that looks at painted ``zones`` (and ``points``, e.g. the selected marker).

    It looks along the essential zone's skin normal (turned so the body does not hide it),
    from close enough to see the zone with the body part around it.

    Returns
    -------
    preset, camera
        The named side the zone faces most and the camera; ``(None, None)`` when nothing is
        painted or the atlas has no skin mesh.
    """
    ids = zones.get("essential") if zones else None
    skin = getattr(getattr(atlas, "meshes", None), "skin", None)
    if ids is None or len(ids) == 0 or skin is None:
        return None, None
    vertices = np.asarray(skin.vertices)
    normals = skin_normals(skin.vertices, skin.faces)[ids]
    preset = facing_preset(normals)
    painted = np.concatenate([ids, zones.get("spillover", ids)])
    framed = [vertices[painted], *(np.asarray(p, dtype=float).reshape(1, 3) for p in points)]
    direction = zone_view_direction(normals, float(vertices[ids][:, 0].mean()))
    return preset, zone_camera(np.concatenate(framed), preset, direction)


def facing(atlas: Any, point: Any) -> float:
    """Which way a point on the body faces, front (< 0) or back (> 0): the y of the direction
    a camera looks at it from (:func:`anatomy.scene.camera.muscle_view_direction`)."""
    skin = atlas.meshes.skin
    return float(muscle_view_direction(np.asarray(point, dtype=float),
                                       np.asarray(skin.vertices))[1])  # fmt: skip


def points_camera(atlas: Any, points: Any) -> dict[str, Any] | None:
    """A camera that frames ``points`` (e.g. two trigger points that face the same way,
    :func:`facing`) from the side of the body they lie on. None when the atlas has no skin
    mesh."""
    skin = getattr(getattr(atlas, "meshes", None), "skin", None)
    if skin is None or len(points) == 0:
        return None
    p = np.asarray(points, dtype=float).reshape(-1, 3)
    direction = muscle_view_direction(p.mean(0), np.asarray(skin.vertices))
    return fit_camera(bounds_of(p), direction, margin=FOCUS_MARGIN * 1.3)


def muscle_view(atlas: Any, highlight: tuple[str, ...]) -> dict[str, Any] | None:
    """A camera that frames the highlighted meshes from the side of the body they lie on."""
    meshes: Any = getattr(atlas, "meshes", None)
    entries = getattr(meshes, "entries", None)
    if entries is None or not highlight:
        return None
    present = [m for m in highlight if m in entries]
    if not present or getattr(meshes, "skin", None) is None:
        return None
    points = np.concatenate([np.asarray(meshes.mesh(m).vertices) for m in present])
    direction = muscle_view_direction(points.mean(0), np.asarray(meshes.skin.vertices))
    return fit_camera(bounds_of(points), direction, margin=FOCUS_MARGIN)


def _point(p: Any) -> tuple[float, float, float]:
    x, y, z = (float(v) for v in np.asarray(p, dtype=float).ravel()[:3])
    return (x, y, z)
