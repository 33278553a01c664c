"""A small app around :class:`anatomy.ui.viewer.AtlasViewer` for its browser tests and the bench.

A click on a muscle highlights it; a click on a marker paints a zone around the marker
(the skin vertices within 6 cm essential, 6-12 cm spillover). Markers sit on the most
anterior vertex of a few muscles (``demo_markers``), so they are clickable in the first
view. ``make_app`` records each session's viewer in ``VIEWERS`` (and its page in ``PAGES``)
so that in-process tests can drive it from Python.
``panel serve tests/browser/viewer_app.py`` serves it too (meshes from ``MYOATLAS_MESHES``).
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import panel as pn

from anatomy.scene.web import load_web_scene
from anatomy.ui.viewer import AtlasViewer

VIEWERS: list[AtlasViewer] = []
PAGES: list[pn.Column] = []


def skin_vertices(meshes_dir: str | None) -> np.ndarray:
    """The skin's vertex positions from the packed scene (float32 view on the shared buffer)."""
    scene = load_web_scene(meshes_dir)
    rec = next(a for a in scene.actors if a["kind"] == "skin")
    n = rec["counts"]["points"]
    return np.frombuffer(scene.buffer, dtype="<f4", count=n * 3,
                         offset=rec["offsets"]["points"]).reshape(n, 3)


def zone_around(skin: np.ndarray, position: Any) -> tuple[np.ndarray, np.ndarray]:
    """Skin vertex ids within 6 cm (essential) and 6-12 cm (spillover) of a point."""
    d = np.linalg.norm(skin - np.asarray(position, dtype=np.float32), axis=1)
    return np.flatnonzero(d < 0.06), np.flatnonzero((d >= 0.06) & (d < 0.12))


DEMO_MUSCLES = ("rectus_femoris", "tibialis_anterior", "pectoralis_major", "biceps_brachii",
                "vastus_lateralis", "gastrocnemius", "upper_trapezius")


def demo_markers(meshes_dir: str | None, count: int = 6) -> list[dict[str, Any]]:
    """Markers on the most anterior (-y) vertex of up to ``count`` muscle meshes."""
    scene = load_web_scene(meshes_dir)
    records = [a for a in scene.actors if a["kind"] == "muscle"]
    rank = {m: i for i, m in enumerate(DEMO_MUSCLES)}
    records.sort(key=lambda a: (rank.get(a["muscle"], len(rank)), a["id"]))
    markers = []
    for rec in records[:count]:
        n = rec["counts"]["points"]
        pts = np.frombuffer(scene.buffer, dtype="<f4", count=n * 3,
                            offset=rec["offsets"]["points"]).reshape(n, 3)
        front = pts[int(np.argmin(pts[:, 1]))]
        markers.append({"id": f"tp_{rec['id']}", "position": [float(x) for x in front],
                        "label": rec["id"], "selected": False})
    return markers


def make_app(meshes_dir: str | None = None) -> pn.viewable.Viewable:
    """One session's page: the viewer filling the window, wired as the module says."""
    viewer = AtlasViewer.from_meshes(meshes_dir, markers=demo_markers(meshes_dir))
    args = pn.state.session_args if pn.state.curdoc is not None else {}
    if args.get("view"):  # ?view=posterior: a camera chosen before the page is drawn
        viewer.camera = viewer.preset_camera(args["view"][0].decode())
    skin = skin_vertices(meshes_dir)

    def picked(pick: dict[str, Any]) -> None:
        if pick.get("kind") == "muscle":
            viewer.highlight = [pick["id"]]
        elif pick.get("kind") == "marker":
            marker = next(m for m in viewer.markers if m["id"] == pick["id"])
            viewer.paint_zone(*zone_around(skin, marker["position"]))

    viewer.on_pick(picked)
    VIEWERS.append(viewer)
    page = pn.Column(viewer, sizing_mode="stretch_both", margin=0)
    PAGES.append(page)
    return page


if __name__.startswith("bokeh"):
    pn.extension()
    make_app(os.environ.get("MYOATLAS_MESHES")).servable()
