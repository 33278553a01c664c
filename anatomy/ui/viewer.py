"""The atlas's 3D view: a Panel component that drives vtk.js directly.

The geometry (:mod:`anatomy.scene.web`) goes to the browser once as one binary buffer; every
later change (highlight, layers, markers, zone paint, camera) is a small param message, and
clicks come back as :attr:`AtlasViewer.pick`. vtk.js comes from ``static/vtk-lite.js`` beside
this module (only the classes the viewer uses; built by ``tools/vtkjs/build.sh``), which Panel
serves with the page (nothing is fetched from the internet). Serve with
``pn.serve(..., **SERVE_OPTIONS)`` (gzip over HTTP: the page's scripts shrink from 5.5 to
1.5 MB, keeping a first visit under 5 MB with the geometry).

Python API
----------
>>> import panel as pn
>>> pn.extension()
>>> viewer = AtlasViewer.from_meshes()            # or AtlasViewer.from_scene(web_scene)
>>> viewer.highlight = ['upper_trapezius']        # muscle ids or mesh ids; others are dimmed
>>> viewer.markers = [{'id': 'tp1', 'position': [x, y, z], 'label': 'TP1', 'selected': True}]
>>> viewer.paint_zone(essential_vertex_ids, spillover_vertex_ids)
>>> viewer.clear_zone()
>>> viewer.view('posterior')                      # anterior|posterior|left|right|focus
>>> viewer.pick_mode = 'skin'                     # 'select': muscles, bones, markers; 'skin'
>>> viewer.on_pick(lambda pick: print(pick))

Params: ``show_skin``/``show_skeleton``/``show_muscles``/``show_pleura`` (bool; the last the
lungs and pleura, off unless asked), ``skin_opacity``/``skeleton_opacity``/``muscle_opacity``/
``pleura_opacity`` (0..1; each actor of a layer is drawn at the layer's opacity times its own
relative ``opacity``), ``highlight`` (list of ids), ``markers`` (list of ``{id, position, label,
selected}``), ``zone_essential``/``zone_spillover`` (uint32 skin vertex ids as bytes; use
:meth:`paint_zone`), ``camera`` (``{position, focal_point, view_up, view_angle}``, set from
Python and sent back after each interaction; an optional ``section``, metres from the camera,
cuts away what lies nearer until the view is turned), ``pick_mode`` and ``pick`` (read-only from
Python's point of view: ``{kind: muscle|bone|skin|marker|none, id, muscle, side, position,
vertex, n, pick_ms, client_time}``; ``n`` counts picks so a repeated click on the same muscle is
still a change), ``description`` (the canvas's accessible name), ``fast_translucency`` (one-pass
skin blending; see the param's doc), ``select_groups`` (UTF-8 JSON bytes: per muscle mesh, the
``highlight`` and ``markers`` that selecting it shows: a click in ``select`` mode applies them
in the browser at once and sends them with the pick, so the highlight does not wait for the
server; Python's answer must be the same values), ``marker_zones`` (per shown marker, the zone
vertex ids its selection paints: likewise painted at the click), ``zone_marker`` (the marker
whose ``marker_zones`` are painted; use :meth:`paint_marker_zone`, so that a selected trigger
point's zones reach the browser once), ``needle`` (a depth profile's needle line,
``anatomy.scene.needle.needle_view``, drawn in a second renderer over the body so it shows
through the muscles it passes; None for none).

Interaction: drag to rotate, wheel to zoom, shift-drag to pan (vtk.js trackball); a press
and release within 3 px (10 px for touch) is a click and picks instead of rotating.

In the browser, ``window.__myoatlas.viewers[i]`` reports ``ready``, ``buildMs`` (building the
vtk.js objects), ``firstRenderCallMs``, ``firstFrameAt`` and ``firstFrameDrawnAt`` (ms since
navigation start: first render call returned, first frame finished), ``renders``, ``events``
and ``picks``, ``needleShown`` (a needle line is drawn), ``software`` (the WebGL renderer's
name if it draws on the CPU, e.g. SwiftShader, else null) and ``multisample`` (false there:
a software renderer draws without anti-aliasing, which took most of a frame's time);
``sectioned()`` (the view is a section cut by the camera's ``section``); the element carries
``data-ready`` and ``data-renders``.
Each event is one applied message: ``what`` (the changed params joined by ``+``), ``applied``
(ms from its arrival to the render call returning), ``drawn`` (ms until a WebGL fence says the
frame is finished), and ``sinceClick``/``drawnSinceClick`` when a click preceded it by < 5 s.
``findScreenPoint(id)`` returns a client point where an actor or marker is visible and
pickable, ``markerIds()`` the ids of the markers shown, ``getCamera()`` the camera as drawn
(for tests and the bench).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import param
from panel.custom import JSComponent

from anatomy.errors import AtlasError
from anatomy.scene.camera import (
    FOCUS_MARGIN,
    PRESET_DIRECTIONS,
    PRESETS,
    UP,
    fit_camera,
    preset_camera,
)
from anatomy.scene.palette import OPACITY, PALETTE
from anatomy.scene.web import WebScene, load_web_scene
from anatomy.ui.pagescripts import IMPORT_SHIM

# Server options for apps showing the viewer (Tornado compresses HTTP responses).
SERVE_OPTIONS: dict[str, Any] = {"compress_response": True}


class AtlasViewer(JSComponent):
    """The 3D atlas view (skin, skeleton, muscles, lungs and pleura, markers, zones) with
    picking."""

    geometry = param.Bytes(default=b"", doc="All meshes in one buffer (anatomy.scene.web).")
    actors = param.List(default=[], doc="One record per mesh: id, kind, offsets, colour...")
    colours = param.Dict(default=dict(PALETTE), doc="Palette, RGB 0..1 (see PALETTE).")
    viewer_id = param.String(default="atlas", doc="Name of this viewer in window.__myoatlas.")

    show_skin = param.Boolean(default=True)
    show_skeleton = param.Boolean(default=True)
    show_muscles = param.Boolean(default=True)
    show_pleura = param.Boolean(default=False, doc="The lungs and pleura.")
    skin_opacity = param.Number(default=OPACITY["skin"], bounds=(0, 1))
    skeleton_opacity = param.Number(default=OPACITY["skeleton"], bounds=(0, 1))
    muscle_opacity = param.Number(default=OPACITY["muscles"], bounds=(0, 1))
    pleura_opacity = param.Number(default=OPACITY["pleura"], bounds=(0, 1))

    highlight = param.List(default=[], item_type=str, doc="Muscle or mesh ids to highlight.")
    markers = param.List(default=[], doc="Trigger-point markers {id, position, label, selected}.")
    zone_essential = param.Bytes(default=b"", doc="Essential-zone skin vertex ids, uint32.")
    zone_spillover = param.Bytes(default=b"", doc="Spillover-zone skin vertex ids, uint32.")
    zone_marker = param.String(default="", doc=(
        "A shown marker's id whose ``marker_zones`` are the painted zones (then the zone "
        "bytes are empty); '' when the zone bytes are painted."))

    select_groups = param.Bytes(default=b"", doc=(
        "UTF-8 JSON, mesh id -> {highlight, markers}: what a click on that mesh selects. The "
        "browser shows it at the click, before Python answers; Python must then set the same "
        "values. Bytes, so that every session shares one encoded object (no per-session JSON)."))
    marker_zones = param.Dict(default={}, doc=(
        "Marker id -> {essential, spillover} skin vertex ids: the zones a click on that marker "
        "selects. The browser paints them at the click; Python must then paint the same."))
    needle = param.Dict(default=None, allow_None=True, doc=(
        "A depth profile's needle line (anatomy.scene.needle.needle_view: segments coloured "
        "by tissue, radius), drawn over the body; None for none."))
    camera = param.Dict(default={}, doc="{position, focal_point, view_up, view_angle}.")
    pick_mode: str = param.Selector(default="select", objects=["select", "skin"])  # type: ignore[assignment]
    description = param.String(
        default="3D view of the body",
        doc="What the view shows in words: the canvas's accessible name (anatomy.ui.a11y).",
    )
    fast_translucency = param.Boolean(default=True, constant=True, doc=(
        "Blend the translucent skin in one pass instead of vtk.js's order-independent "
        "transparency (which re-draws the opaque scene; ~4x slower on software WebGL)."))
    pick = param.Dict(default={}, doc="The last click in the canvas (set by the browser).")

    # The component's ES module, served as it is written: a module given as source text is
    # transpiled in the browser (sucrase) on every page load, ~0.1 s before the first frame.
    _bundle = Path(__file__).parent / "viewer.js"
    _esm = _bundle
    # Classic scripts the module uses: vtk.js, and the drawing core it shares with exported
    # pages (geometry, actors, zone paint, markers, ray casts). Both live in static/ because
    # Panel serves a component's files only from below its module's folder; anatomy.export
    # reads them from there by path.
    __javascript__: ClassVar[list[str]] = [IMPORT_SHIM, "static/vtk-lite.js",
                                           "static/myoatlas_core.js"]
    # Panel waits 50 ms before handling a change from the browser; a click should not.
    _priority_changes: ClassVar[list[str]] = ["pick"]

    def __init__(self, scene: WebScene | None = None, **params: Any) -> None:
        if scene is not None:
            params.setdefault("geometry", scene.buffer)
            params.setdefault("actors", scene.actors)
        params.setdefault("sizing_mode", "stretch_both")
        params.setdefault("min_height", 300)
        super().__init__(**params)
        self._scene = scene
        if not self.camera and scene is not None:
            self.camera = self.preset_camera("anterior")

    @classmethod
    def from_scene(cls, scene: WebScene, **params: Any) -> AtlasViewer:
        """A viewer of a packed scene (its bytes are shared, not copied)."""
        return cls(scene, **params)

    @classmethod
    def from_meshes(cls, meshes_dir: Path | str | None = None, **params: Any) -> AtlasViewer:
        """A viewer of a meshes directory (default: the atlas's), packed once per process."""
        return cls(load_web_scene(meshes_dir), **params)

    # ---- camera ------------------------------------------------------------------------------
    def preset_camera(self, preset: str, direction: str | None = None) -> dict[str, Any]:
        """The camera of a preset: anterior, posterior, left, right, or focus (on the highlight).

        ``focus`` fits the bounds of the highlighted muscles, looking from ``direction`` (a
        preset name) or else along the current view direction.

        Raises
        ------
        AtlasError
            For an unknown preset, or ``focus`` with nothing highlighted.
        """
        if self._scene is None:
            raise AtlasError("the viewer has no scene to frame")
        if preset in PRESET_DIRECTIONS:
            return preset_camera(preset, self._scene.bounds)
        if preset != "focus":
            raise AtlasError(f"unknown camera preset {preset!r} (expected one of "
                             f"{', '.join(PRESETS)})", key="camera")
        box = self._scene.bounds_of(self.highlight)
        if box is None:
            raise AtlasError("nothing is selected to focus on", key="camera")
        if direction is not None:
            d, up = PRESET_DIRECTIONS[direction], UP
        elif self.camera.get("position"):
            d = tuple(np.subtract(self.camera["position"], self.camera["focal_point"]))
            up = tuple(self.camera["view_up"])
        else:
            d, up = PRESET_DIRECTIONS["anterior"], UP
        return fit_camera(box, d, up, margin=FOCUS_MARGIN)

    def view(self, preset: str, direction: str | None = None) -> None:
        """Move the camera to a preset (see :meth:`preset_camera`); re-sent even if unchanged."""
        camera = self.preset_camera(preset, direction)
        if camera == self.camera:
            self.param.trigger("camera")
        else:
            self.camera = camera

    # ---- zones --------------------------------------------------------------------------------
    def paint_zone(self, essential: Iterable[int] = (), spillover: Iterable[int] = ()) -> None:
        """Paint skin vertices: ``essential`` strongly, ``spillover`` lightly (one message)."""
        n = self._scene.skin_vertex_count if self._scene is not None else None

        def pack(ids: Iterable[int], name: str) -> bytes:
            arr = np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids)
            if arr.size and (arr.min() < 0 or (n is not None and arr.max() >= n)):
                raise AtlasError(f"{name} zone has vertex ids outside the skin (0..{n})")
            return np.ascontiguousarray(arr, dtype="<u4").tobytes()

        self.param.update(zone_essential=pack(essential, "essential"),
                          zone_spillover=pack(spillover, "spillover"), zone_marker="")

    def paint_marker_zone(self, marker_id: str) -> None:
        """Paint the zones of a shown marker, which the browser already holds in
        ``marker_zones``: only the marker's id travels, not the vertex ids again.

        Raises
        ------
        AtlasError
            If ``marker_id`` is not a key of ``marker_zones``.
        """
        if marker_id not in self.marker_zones:
            raise AtlasError(f"no shown marker {marker_id!r} has zones to paint", key="marker")
        self.param.update(zone_marker=marker_id, zone_essential=b"", zone_spillover=b"")

    def clear_zone(self) -> None:
        """Remove any painted zone."""
        self.param.update(zone_essential=b"", zone_spillover=b"", zone_marker="")

    def painted_zones(self) -> dict[str, np.ndarray]:
        """The skin vertex ids painted now, ``{essential, spillover}``, whichever way sent."""
        if self.zone_marker:
            zones = self.marker_zones[self.zone_marker]
            return {k: np.asarray(zones.get(k, ()), dtype=np.int64)
                    for k in ("essential", "spillover")}  # fmt: skip
        return {"essential": np.frombuffer(self.zone_essential, "<u4").astype(np.int64),
                "spillover": np.frombuffer(self.zone_spillover, "<u4").astype(np.int64)}

    # ---- picking ----------------------------------------------------------------------------
    def on_pick(self, callback: Callable[[dict[str, Any]], None]) -> None:
        """Call ``callback(pick)`` on every click in the canvas (``pick`` as documented above)."""
        self.param.watch(lambda event: callback(event.new), "pick")
