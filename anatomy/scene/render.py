"""The atlas's 3D scene as plain data (colours, cameras) and an off-screen PyVista render.

``COLOURS`` and ``CAMERA_PRESETS`` are plain data shared with the web view. Importing this
module needs no display: PyVista's plotting side is imported only inside ``render_atlas``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from anatomy.errors import AtlasError
from anatomy.scene.palette import BODY

# RGB colours (0..1) by kind of actor; the body's from anatomy.scene.palette.
COLOURS: dict[str, tuple[float, float, float]] = {
    **BODY,
    "landmark": (0.15, 0.45, 0.85),
    "trigger_point": (1.00, 0.85, 0.10),
    "essential_zone": (0.85, 0.10, 0.10),
    "spillover_zone": (0.98, 0.55, 0.45),
}
# Opacity by kind in the default scene: the skin is see-through so muscles show.
OPACITY: dict[str, float] = {"skin": 0.28, "bone": 1.0, "muscle": 1.0}

# Where the camera stands for each named view (atlas frame: metres, +z up, the body faces
# -y, +x is the character's left). ``left`` looks at the character's left side from +x.
_CENTRE = (0.0, 0.15, 0.88)
_DIST = 3.2
CAMERA_PRESETS: dict[str, dict[str, tuple[float, float, float]]] = {
    "anterior": {"position": (0.0, 0.15 - _DIST, 0.88), "focal_point": _CENTRE,
                 "view_up": (0.0, 0.0, 1.0)},
    "posterior": {"position": (0.0, 0.15 + _DIST, 0.88), "focal_point": _CENTRE,
                  "view_up": (0.0, 0.0, 1.0)},
    "left": {"position": (_DIST, 0.15, 0.88), "focal_point": _CENTRE,
             "view_up": (0.0, 0.0, 1.0)},
    "right": {"position": (-_DIST, 0.15, 0.88), "focal_point": _CENTRE,
              "view_up": (0.0, 0.0, 1.0)},
}  # fmt: skip
VIEWS = tuple(CAMERA_PRESETS)


@dataclass(frozen=True)
class Actor:
    """One mesh in the scene: what it is and how it is drawn."""

    id: str
    kind: str
    vertices: np.ndarray
    faces: np.ndarray
    colour: tuple[float, float, float]
    opacity: float


def atlas_actors(meshes_dir: Path | str | None = None) -> list[Actor]:
    """Every mesh of a ``meshes/`` directory as an actor with its default colour and opacity."""
    from anatomy.geometry.meshset import MeshSet

    meshes = MeshSet.load(meshes_dir)
    out = []
    for mesh_id, entry in sorted(meshes.entries.items()):
        mesh = meshes.mesh(mesh_id)
        out.append(Actor(mesh_id, entry.kind, mesh.vertices, mesh.faces,
                         COLOURS[entry.kind], OPACITY[entry.kind]))  # fmt: skip
    return out


def render_atlas(
    out: Path | str, view: str = "anterior", size: tuple[int, int] = (900, 1400),
    meshes_dir: Path | str | None = None,
) -> Path:  # fmt: skip
    """Render the default scene off-screen to a PNG file; return its path.

    Parameters
    ----------
    out
        PNG file to write.
    view
        One of ``CAMERA_PRESETS`` (anterior, posterior, left, right).
    size
        Image width and height in pixels.
    meshes_dir
        The ``meshes/`` directory (default: the atlas's own).
    """
    if view not in CAMERA_PRESETS:
        raise AtlasError(f"unknown view {view!r} (expected one of {', '.join(VIEWS)})")
    import pyvista as pv

    actors = atlas_actors(meshes_dir)
    plotter = pv.Plotter(off_screen=True, window_size=list(size))
    plotter.set_background("white")  # type: ignore[arg-type]
    for actor in sorted(actors, key=lambda a: a.kind == "skin"):  # translucent skin last
        cells = np.hstack([np.full((len(actor.faces), 1), 3), actor.faces]).astype(np.int64)
        surface = pv.PolyData(actor.vertices.astype(np.float64), cells.ravel())
        plotter.add_mesh(surface, color=actor.colour, opacity=actor.opacity,
                         smooth_shading=actor.kind != "bone", name=actor.id)  # fmt: skip
    cam = CAMERA_PRESETS[view]
    plotter.camera_position = [cam["position"], cam["focal_point"], cam["view_up"]]
    plotter.camera.view_angle = 30.0
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    plotter.screenshot(str(path))
    plotter.close()
    return path
