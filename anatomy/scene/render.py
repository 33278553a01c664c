"""The atlas drawn off-screen to a PNG, from the same scene description as the browser views.

Importing this module needs no display: PyVista's plotting side is imported only inside
:func:`render_atlas`. Colours, opacities, markers, zones and cameras come from
:mod:`anatomy.scene.describe`, :mod:`anatomy.scene.palette` and :mod:`anatomy.scene.camera`,
so a render of a selection shows what the app shows for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from anatomy.errors import AtlasError
from anatomy.scene.camera import VIEW_ANGLE_DEG, VIEWS, preset_camera
from anatomy.scene.describe import SceneView, Selection
from anatomy.scene.palette import (
    MARKER_RADIUS_M,
    VIEW,
    ZONE_OPACITY,
    draw_rank,
    layer_of,
    mesh_colour,
    mesh_opacity,
)

# The camera of a selection: its trigger point's zones, else its muscle.
SELECTION_VIEW = "selection"


@dataclass(frozen=True)
class Actor:
    """One mesh in the scene: what it is and how it is drawn."""

    id: str
    kind: str
    vertices: np.ndarray
    faces: np.ndarray
    colour: tuple[float, float, float]
    opacity: float
    vertex_colours: np.ndarray | None = None  # (n, 4) RGBA 0..1: the skin with zones painted


def scene_actors(meshes: Any, view: SceneView) -> list[Actor]:
    """Every mesh of ``meshes`` (a :class:`~anatomy.geometry.meshset.MeshSet`) as drawn in
    ``view``: the highlighted muscle in the highlight colour and the others dimmed, the
    zones painted on the skin, each layer at its opacity; hidden layers, and organs in no
    layer, left out. Translucent meshes come in the order they are drawn: the lungs, the
    pleura, the skin last."""
    highlight = set(view.highlight)
    out = []
    for mesh_id, entry in sorted(meshes.entries.items(),
                                 key=lambda item: (draw_rank(item[1].kind, item[1].organ),
                                                   item[0])):  # fmt: skip
        layer = layer_of(entry.kind, entry.organ)
        if layer is None or layer not in view.layers:
            continue
        mesh = meshes.mesh(mesh_id)
        colour = mesh_colour(entry.kind, entry.organ)
        if entry.kind == "muscle" and highlight:
            colour = VIEW["highlight"] if mesh_id in highlight else VIEW["dimmed"]
        painted = None
        if entry.kind == "skin" and view.zones:  # as the browsers paint it: zone colour and
            painted = np.tile([*colour, view.opacity[layer]], (len(mesh.vertices), 1))
            for kind in ("spillover", "essential"):  # opacity, the essential zone on top
                painted[view.zones.get(kind, ())] = [*VIEW[kind], ZONE_OPACITY]
        out.append(Actor(mesh_id, entry.kind, mesh.vertices, mesh.faces, colour,
                         mesh_opacity(view.opacity[layer], entry.organ), painted))  # fmt: skip
    return out


def scene_camera(meshes: Any, view: SceneView, name: str) -> dict[str, Any]:
    """The camera ``name``: one of the named views of the whole body, or ``selection``."""
    if name == SELECTION_VIEW:
        camera = view.camera or view.focus
        if camera is None:
            raise AtlasError("nothing is selected to look at: choose a muscle", key="view")
        return camera
    if name not in VIEWS:
        raise AtlasError(f"unknown view {name!r} (expected one of "
                         f"{', '.join((*VIEWS, SELECTION_VIEW))})", key="view")  # fmt: skip
    return preset_camera(name, meshes.bounds())


def render_atlas(
    out: Path | str, view: str = "anterior", size: tuple[int, int] = (900, 1400),
    meshes_dir: Path | str | None = None, scene: SceneView | None = None,
    meshes: Any = None,
) -> Path:  # fmt: skip
    """Render a scene off-screen to a PNG file; return its path.

    Parameters
    ----------
    out
        PNG file to write.
    view
        A named view (anterior, posterior, left, right) or ``selection`` (the scene's own
        camera: its trigger point's zones, else its muscle).
    size
        Image width and height in pixels.
    meshes_dir
        The ``meshes/`` directory (default: the atlas's own), when ``meshes`` is not given.
    scene
        What to show (:func:`anatomy.scene.describe.describe`); default: nothing selected.
    meshes
        The loaded :class:`~anatomy.geometry.meshset.MeshSet` (an atlas's ``meshes``).
    """
    if meshes is None:
        from anatomy.geometry.meshset import MeshSet

        meshes = MeshSet.load(meshes_dir)
    scene = scene if scene is not None else SceneView(Selection())
    camera = scene_camera(meshes, scene, view)

    import pyvista as pv

    plotter = pv.Plotter(off_screen=True, window_size=list(size))
    plotter.set_background(VIEW["background"])  # type: ignore[arg-type]
    for actor in scene_actors(meshes, scene):  # in drawing order, the skin last
        cells = np.hstack([np.full((len(actor.faces), 1), 3), actor.faces]).astype(np.int64)
        surface = pv.PolyData(actor.vertices.astype(np.float64), cells.ravel())
        options: dict[str, Any] = {"color": actor.colour, "opacity": actor.opacity}
        if actor.vertex_colours is not None:  # the opacity is in the colours' alpha
            surface.point_data["rgba"] = np.round(actor.vertex_colours * 255).astype(np.uint8)
            options = {"scalars": "rgba", "rgba": True}
        plotter.add_mesh(surface, smooth_shading=actor.kind != "bone", name=actor.id,
                         **options)  # fmt: skip
    for marker in scene.markers:
        radius = MARKER_RADIUS_M["selected" if marker.selected else "normal"]
        plotter.add_mesh(pv.Sphere(radius=radius, center=marker.position),
                         color=VIEW["marker_selected" if marker.selected else "marker"],
                         name=marker.id)  # fmt: skip
    plotter.camera_position = [camera["position"], camera["focal_point"], camera["view_up"]]
    plotter.camera.view_angle = camera.get("view_angle", VIEW_ANGLE_DEG)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    plotter.screenshot(str(path))
    plotter.close()
    return path
