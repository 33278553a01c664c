"""The patient handout: one self-contained HTML file about one muscle (and trigger point).

Everything is inside the file: vtk.js, the page viewer, the styles, the geometry of the
muscle's region (compact, :mod:`anatomy.export.packing`) and the text. It opens from a USB
stick or an e-mail attachment with no network, and a Content-Security-Policy that allows only
its own inline scripts (by hash) forbids any request. Printing shows a still image of the 3D
view in place of the canvas.

>>> html = build_handout(load_atlas(), "upper_trapezius", "tp1", side="right")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import anatomy
from anatomy.errors import AtlasError
from anatomy.export import assets
from anatomy.export.packing import pack_geometry
from anatomy.export.scenes import handout_scene
from anatomy.frame import MODE_LABELS, MODES, SIDES
from anatomy.scene.palette import COLOUR_WORDS, PALETTE
from anatomy.text import explainer
from anatomy.text import selection as text


def hex_colour(rgb: list[float]) -> str:
    """``[r, g, b]`` in 0..1 as ``#rrggbb``."""
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def swatches() -> dict[str, str]:
    """The palette as CSS colours, for legends."""
    return {name: hex_colour(rgb) for name, rgb in PALETTE.items() if isinstance(rgb, list)}


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def handout_text(content: Any, record: Any, trigger_points: list[Any], mode: str) -> dict[str, Any]:
    """The handout's text parts for ``mode``, as sanitised HTML (see :mod:`anatomy.text.selection`).

    Returns
    -------
    dict
        ``muscle_html``, ``tp_texts`` (``[{id, name, html}]``), ``about_title``,
        ``about_html``, ``disclaimer_html`` and ``sources_html``.
    """
    # text.muscle_html / trigger_point_html are the app's per-mode texts; reused as they are.
    tp_texts = [{"id": tp.id, "name": tp.name,
                 "html": text.trigger_point_html(content, record, tp, mode)}
                for tp in trigger_points]
    about = content.general.trigger_points_explained
    muscle_html = text.muscle_html(content, record, mode)
    if mode == "patient" and len(trigger_points) == 1:
        muscle_html = ""  # it only says "choose a trigger point"; this handout has chosen
    sources = ""
    if mode == "patient":  # the clinician texts carry their own source lists
        ids = _unique(list(record.sources) + [s for tp in trigger_points for s in tp.sources])
        sources = text.sources_html(content, ids)
    return {
        "muscle_html": muscle_html,
        "tp_texts": tp_texts,
        "about_title": about.title,
        "about_html": text.markdown_html(about.patient if mode == "patient" else about.clinician),
        "disclaimer_html": explainer.disclaimer_html(content, mode),
        "sources_html": sources,
    }


def build_handout(atlas: Any, muscle: str, trigger_point: str | None = None, *,
                  side: str = "right", mode: str = "patient",
                  date: dt.date | None = None) -> str:
    """The handout HTML for a muscle (and optionally one of its trigger points).

    Parameters
    ----------
    atlas
        An :class:`anatomy.atlas.model.Atlas`.
    muscle
        A muscle record id (or a geometry muscle id it maps).
    trigger_point
        One trigger point id: the handout is about it alone. ``None``: about all the
        muscle's trigger points, with buttons to show each one's zones.
    side
        ``left`` or ``right``.
    mode
        ``patient`` (plain words, no needling detail), ``student`` (anatomy, palpation) or
        ``clinician`` (also the needling approach and the structures at risk).
    date
        The date printed on the handout (default: today).

    Raises
    ------
    AtlasError
        For an unknown muscle, trigger point, side or mode.
    """
    if mode not in MODES:
        raise AtlasError(f"mode must be one of {', '.join(MODES)}, not {mode!r}", key="mode")
    if side not in SIDES:
        raise AtlasError(f"side must be 'left' or 'right', not {side!r}", key="side")
    record = atlas.record(muscle)
    chosen = ([record.trigger_point(trigger_point)] if trigger_point
              else list(record.trigger_points))
    if len(chosen) == 1:
        trigger_point = chosen[0].id  # a muscle with one trigger point: a handout about it
    scene = handout_scene(atlas, record.id, side, trigger_point)
    if trigger_point:  # only the chosen trigger point's zones travel with the file
        view = scene.view["sides"][side]
        view["zones"] = {trigger_point: view["zones"][trigger_point]}
        keep = set(view["zones"][trigger_point].values())
        scene.arrays = {k: v for k, v in scene.arrays.items() if k in keep}
    packed = pack_geometry(scene.meshes, scene.arrays)
    selectable = "false" if trigger_point else "true"
    start = (f"MyoatlasPage.start({{view: {assets.js_value(scene.view)}, geometry: 'handout', "
             f"element: '#view3d', selectable: {selectable}}});")
    scripts = [assets.script_text(s) for s in (
        assets.vtk_js(), assets.geometry_js("handout", packed),
        assets.page_viewer_js(), start)]
    date = date or dt.date.today()
    name = text.muscle_title(record, mode)
    title = f"{name}: {chosen[0].name}" if trigger_point else name
    parts = handout_text(atlas.content, record, chosen, mode)
    return assets.render(
        "handout.html",
        title=title, mode=mode, mode_label=MODE_LABELS[mode], side=side,
        version=anatomy.__version__,
        date_iso=date.isoformat(), date_text=f"{date.day} {date:%B %Y}",
        muscle_name=record.common_name, vtk_licence=assets.VTK_LICENCE,
        css=assets.static_text("page.css"), swatches=swatches(), colour_words=COLOUR_WORDS,
        still_alt=f"3D view of the {side} {record.common_name} with its trigger points and "
                  "where they can send pain",
        tp_buttons=[] if trigger_point else [{"id": tp.id, "name": tp.name} for tp in chosen],
        scripts=scripts, script_hashes=[assets.csp_hash(s) for s in scripts], **parts,
    )


def write_handout(atlas: Any, out: str | Path, muscle: str, trigger_point: str | None = None,
                  **options: Any) -> Path:
    """Build the handout (see :func:`build_handout`) and write it to ``out``; return the path."""
    html = build_handout(atlas, muscle, trigger_point, **options)
    path = Path(out)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise AtlasError(f"cannot write the handout: {exc.strerror}", file=str(path)) from None
    return path
