"""The atlas web page: widgets and the 3D view wired to one :class:`AtlasState`.

Nothing here decides anything: every widget calls a state method, and every state change is
drawn by a watcher. The page keeps the URL query in step with the state (deep links).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import numpy as np
import panel as pn

from anatomy.errors import AtlasError
from anatomy.scene.camera import VIEW_ANGLE_DEG
from anatomy.scene.describe import ZONE_KINDS, Selection, describe, zone_ids
from anatomy.session import deeplink
from anatomy.session.state import AtlasState
from anatomy.ui import a11y, controls, pagescripts
from anatomy.ui.viewer import AtlasViewer

URL_PARAMS = [
    "mode", "muscle", "side", "trigger_point", "show_skin", "show_skeleton", "show_muscles",
    "show_pleura", "opacity_skin", "opacity_skeleton", "opacity_muscles", "opacity_pleura",
    "camera",
]  # fmt: skip
_VIEWER_LAYERS = {  # state param -> viewer param
    "show_skin": "show_skin", "show_skeleton": "show_skeleton", "show_muscles": "show_muscles",
    "show_pleura": "show_pleura",
    "opacity_skin": "skin_opacity", "opacity_skeleton": "skeleton_opacity",
    "opacity_muscles": "muscle_opacity", "opacity_pleura": "pleura_opacity",
}  # fmt: skip


class AtlasApp(pn.viewable.Viewer):
    """One browser session of the atlas.

    Parameters
    ----------
    atlas
        The loaded ``anatomy.atlas.model.Atlas`` (shared by all sessions).
    scene
        The packed browser geometry (``anatomy.scene.web.WebScene``, shared).
    mode
        The starting mode when the link does not say.
    document
        ``(title, sanitised HTML)`` of a clinic's own document, or None.
    query
        The page's URL query (name -> value or list of bytes) to restore a view from.
    lock_mode
        Keep ``mode`` for the whole session: no mode switch is drawn and a link's ``mode``
        is ignored (a patient kiosk cannot reach clinician text).
    """

    def __init__(
        self,
        atlas: Any,
        scene: Any,
        *,
        mode: str = "patient",
        document: tuple[str, str] | None = None,
        query: dict[str, Any] | None = None,
        lock_mode: bool = False,
        **params: Any,
    ) -> None:
        super().__init__(**params)
        self.state = state = AtlasState(atlas, mode=mode, mode_locked=lock_mode)
        if query:
            state.from_query({"mode": mode, **query} if "mode" not in query else query)
        self.viewer = AtlasViewer.from_scene(
            scene, sizing_mode="stretch_both", min_height=520, viewer_id="atlas",
            css_classes=["atlas-viewer"],
        )
        self.viewer.select_groups = select_groups_json(atlas, scene)
        self._live = a11y.LiveRegion(margin=0, height=0, sizing_mode="stretch_width")
        a11y.wire(state, self.viewer, self._live)
        self._camera_from_viewer = False
        self._applying_camera = False
        self._sync_viewer(initial=True)
        state.param.watch(self._on_scene, ["highlighted", "markers", "lookup_point", "pick_mode"])
        state.param.watch(self._on_zones, ["zones"])
        state.param.watch(lambda e: setattr(self.viewer, "needle", e.new), ["needle"])
        state.param.watch(self._on_layers, list(_VIEWER_LAYERS))
        state.param.watch(self._on_camera, ["camera"])
        state.param.watch(self._on_pick_mode, ["pick_mode"])
        state.param.watch(self._update_url, URL_PARAMS)
        self.viewer.on_pick(controls.held(self._on_pick))  # its changes go out as one message
        self.viewer.param.watch(self._on_viewer_camera, ["camera"])
        self._large_text = a11y.large_text_requested(query)
        self._layout = self._build(document)
        if pn.state.curdoc is not None:
            pn.state.onload(self._update_url)  # the browser's location is synced only then

    # --- state -> 3D view ---------------------------------------------------------------------
    def _sync_viewer(self, initial: bool = False) -> None:
        s, v = self.state, self.viewer
        markers = self._markers()
        v.param.update(
            highlight=list(s.highlighted), markers=markers,
            marker_zones=self._marker_zones(markers),
            pick_mode=s.pick_mode, needle=s.needle,
            **{vp: getattr(s, sp) for sp, vp in _VIEWER_LAYERS.items()},
        )  # fmt: skip
        self._on_zones()
        if initial:
            self._on_camera()

    def _markers(self) -> list[dict[str, Any]]:
        """Trigger-point markers, plus the spot last clicked in "where does it hurt?" mode."""
        s = self.state
        markers = list(s.markers)
        if s.pick_mode == "skin" and s.lookup_point is not None:
            markers.append({"id": "spot", "label": "the spot you clicked",
                            "position": list(s.lookup_point), "selected": True})  # fmt: skip
        return markers

    def _marker_zones(self, markers: list[dict[str, Any]]) -> dict[str, dict[str, list[int]]]:
        """Per trigger-point marker, the zones that selecting it paints (on the current side)."""
        out = {}
        for marker in markers:
            muscle, _, tp = str(marker["id"]).partition(":")
            if tp and muscle == self.state.muscle:  # a click selects only the muscle's points
                zones = zone_ids(self.state.atlas, muscle, tp, self.state.side)
                out[marker["id"]] = {kind: ids.tolist() for kind, ids in zones.items()}
        return out

    def _on_scene(self, *_: Any) -> None:
        markers = self._markers()
        self.viewer.param.update(highlight=list(self.state.highlighted), markers=markers,
                                 marker_zones=self._marker_zones(markers))

    def _on_zones(self, *_: Any) -> None:
        s, zones = self.state, self.state.zones
        if not zones:
            self.viewer.clear_zone()
            return
        # The selected trigger point's zones are in the browser already (marker_zones, sent
        # with its muscle): name them instead of sending the vertex ids again.
        marker = f"{s.muscle}:{s.trigger_point}" if s.trigger_point else ""
        known = self.viewer.marker_zones.get(marker) if not s.practice_active else None
        if known is not None and all(np.array_equal(known[kind], zones.get(kind, ()))
                                     for kind in ZONE_KINDS):  # fmt: skip
            self.viewer.paint_marker_zone(marker)
        else:
            self.viewer.paint_zone(zones.get("essential", ()), zones.get("spillover", ()))

    def _on_layers(self, *events: Any) -> None:
        self.viewer.param.update(**{_VIEWER_LAYERS[e.name]: e.new for e in events})

    def _on_pick_mode(self, *_: Any) -> None:
        self.viewer.pick_mode = self.state.pick_mode

    def _on_camera(self, *_: Any) -> None:
        if self._camera_from_viewer:
            return
        camera = self.state.camera
        self._applying_camera = True
        try:
            if "preset" in camera:
                self.viewer.view(str(camera["preset"]))
            else:
                self.viewer.camera = {"view_angle": VIEW_ANGLE_DEG, **camera}
        except AtlasError as exc:
            self.state.notice = exc.message
        finally:
            self._applying_camera = False

    # --- 3D view -> state ---------------------------------------------------------------------
    def _on_pick(self, pick: dict[str, Any]) -> None:
        try:
            self.state.handle_pick(pick)
        except AtlasError as exc:
            self.state.notice = exc.message

    def _on_viewer_camera(self, event: Any) -> None:
        if self._applying_camera or not event.new or "position" not in event.new:
            return
        self._camera_from_viewer = True
        try:
            self.state.camera = {
                k: list(event.new[k]) for k in ("position", "focal_point", "view_up")
            }
        finally:
            self._camera_from_viewer = False

    def _update_url(self, *_: Any) -> None:
        location = pn.state.location
        if location is not None:
            toggle = getattr(self, "_text_size", None)  # None while the page is being built
            large = bool(toggle is not None and toggle.value)
            query = {**self.state.to_query(), **a11y.text_size_query(large)}
            location.search = "?" + urlencode(query, safe=",:")

    # --- page ---------------------------------------------------------------------------------
    def _build(self, document: tuple[str, str] | None) -> pn.viewable.Viewable:
        s = self.state
        sidebar = controls.sidebar(s, self.viewer)
        tabs = pn.Tabs(
            ("This muscle", controls.html(s.detail_html, sizing_mode="stretch_width")),
            ("About dry needling", controls.html(s.explainer_html, sizing_mode="stretch_width")),
            sizing_mode="stretch_both", dynamic=False, css_classes=["text-tabs"],
        )  # fmt: skip
        if document is not None:
            tabs.append((document[0], controls.html(document[1], sizing_mode="stretch_width")))
        s.param.watch(lambda *_: setattr(tabs, "active", 0), ["muscle", "trigger_point"])
        header = pn.Row(
            pn.pane.HTML("<h1 class='app-title'>Myoatlas</h1>", margin=(0, 10)),
            _locked_mode_label(s.mode) if s.mode_locked else controls.mode_switch(s),
            controls.html(s.disclaimer_html, sizing_mode="stretch_width"),
            sizing_mode="stretch_width", css_classes=["app-header"],
        )  # fmt: skip
        centre = pn.Column(
            self.viewer, controls.legend(s), self._live, sizing_mode="stretch_both",
            min_width=420, css_classes=["atlas-centre"],
        )
        text_column = pn.Column(
            controls.notice(s), tabs, width=440, sizing_mode="stretch_height",
            css_classes=["text-column"], scroll=True,
        )  # fmt: skip
        self._text_size = a11y.text_size_toggle(text_column, large=self._large_text)
        self._text_size.param.watch(self._update_url, "value")
        text_column.insert(0, self._text_size)
        body = pn.Row(
            sidebar, centre, text_column, sizing_mode="stretch_both", css_classes=["atlas-body"]
        )
        page = pn.Column(
            header, body, sizing_mode="stretch_both", css_classes=["myoatlas", f"mode-{s.mode}"]
        )
        s.param.watch(
            lambda e: setattr(page, "css_classes", ["myoatlas", f"mode-{e.new}"]), ["mode"]
        )
        return page

    def __panel__(self) -> pn.viewable.Viewable:
        return self._layout


# Per atlas: (atlas, scene, groups, groups as JSON bytes), built once for every session.
_SELECT_GROUPS: dict[int, tuple[Any, Any, dict[str, Any], bytes]] = {}


def _select_groups_entry(atlas: Any, scene: Any) -> tuple[Any, Any, dict[str, Any], bytes]:
    cached = _SELECT_GROUPS.get(id(atlas))
    if cached is not None and cached[0] is atlas and cached[1] is scene:
        return cached
    groups: dict[str, dict[str, Any]] = {}
    for actor in scene.actors:
        if actor["kind"] != "muscle" or actor.get("side") not in ("left", "right"):
            continue
        try:
            record = atlas.content.muscle_for_mesh(actor["muscle"])
        except AtlasError:
            continue  # not annotated: a click selects nothing
        # Nothing but the muscle, as a click on it leaves the trigger point unchosen.
        view = describe(atlas, Selection(record.id, actor["side"]), cameras=False)
        groups[actor["id"]] = {"highlight": list(view.highlight),
                               "markers": [m.as_dict() for m in view.markers]}
    entry = (atlas, scene, groups, json.dumps(groups, separators=(",", ":")).encode())
    _SELECT_GROUPS[id(atlas)] = entry
    return entry


def select_groups(atlas: Any, scene: Any) -> dict[str, dict[str, Any]]:
    """Per muscle mesh of ``scene``: the ``highlight`` and ``markers`` a click on it selects.

    Exactly what :meth:`AtlasState.handle_pick` then sets (the annotated muscle on the clicked
    side, no trigger point chosen), so that the browser can show it at the click
    (:attr:`AtlasViewer.select_groups`). The same for every session: built once per atlas.
    """
    return _select_groups_entry(atlas, scene)[2]


def select_groups_json(atlas: Any, scene: Any) -> bytes:
    """:func:`select_groups` as UTF-8 JSON, encoded once: one ``bytes`` object for all sessions."""
    return _select_groups_entry(atlas, scene)[3]


_EXTENSION_LOADED: list[bool] = []


def _locked_mode_label(mode: str) -> pn.pane.HTML:
    """Shown instead of the mode switch when the mode is locked."""
    return pn.pane.HTML(
        f"<span class='locked-mode'>{mode.capitalize()} view</span>",
        margin=(18, 10), css_classes=["mode-locked"],
    )  # fmt: skip


def _guard_page_query() -> None:
    """Keep overlong query values from Panel's own parsing of the page's URL (see deeplink)."""
    context = pn.state.curdoc.session_context if pn.state.curdoc is not None else None
    request = context.request if context is not None else None
    uri = getattr(request, "uri", None)
    if isinstance(uri, str):
        # Bokeh's request proxy forwards unknown attributes to Tornado's request; an attribute
        # set on the proxy shadows that, for Panel's Location.from_request to read.
        request.uri = deeplink.uri_without_long_values(uri)  # type: ignore[union-attr]


def create_app(
    atlas: Any,
    scene: Any,
    *,
    mode: str = "patient",
    document: tuple[str, str] | None = None,
    lock_mode: bool = False,
) -> AtlasApp:
    """A new session's page, restoring the view from the request's URL query if any."""
    if not _EXTENSION_LOADED:
        # Once per process (a later call walks the caller's stack frames, 0.3 s a session).
        # No 'vtk' extension: the viewer brings its own small vtk.js (anatomy/ui/static).
        pn.extension(notifications=False)
        pagescripts.trim_page_scripts()  # no es-module-shims, no bokeh-gl
        _EXTENSION_LOADED.append(True)
    pn.config.design = a11y.AtlasDesign  # focus, touch targets, small screens
    _guard_page_query()
    query = {k: v for k, v in (pn.state.session_args or {}).items() if k != "bokeh-session-id"}
    app = AtlasApp(atlas, scene, mode=mode, document=document, query=query, lock_mode=lock_mode)
    pn.state.title = "Myoatlas"  # type: ignore[attr-defined]
    return app
