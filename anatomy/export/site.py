"""The static atlas: the whole atlas as plain files, for any web server or ``file://``.

``export_site(atlas, DIR)`` writes::

    DIR/index.html              muscles by region, a whole-body 3D view, the explainer
    DIR/muscles/<id>.html       one page per muscle: 3D view, trigger points, zones, text
    DIR/assets/vtk.js           the app's vtk.js build (anatomy/ui/static/vtk-lite.js), once
    DIR/assets/body.js          the whole-body geometry (compact, :mod:`anatomy.export.packing`)
    DIR/assets/page_viewer.js   the page viewer, after the drawing core it shares with the app
    DIR/assets/page.css         the styles (screen and print)

Data travels in ``<script>`` files and inline scripts, never through ``fetch()``, because
browsers refuse ``fetch()`` of local files under ``file://``. Each page's own data (its
trigger-point markers and the skin vertex ids of its zones, compressed) is inline. Text for
every mode is in each page; a selector shows one (``#mode=...&side=...&tp=...`` in the URL
restores a view).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import anatomy
from anatomy.content.schema import REGIONS
from anatomy.errors import AtlasError
from anatomy.export import assets
from anatomy.export.handout import swatches
from anatomy.export.packing import pack_geometry
from anatomy.export.scenes import body_meshes, muscle_page_scene, page_presets
from anatomy.frame import MODE_LABELS, MODES
from anatomy.scene.palette import COLOUR_WORDS, OPACITY, PALETTE
from anatomy.text import explainer
from anatomy.text import selection as text
from anatomy.text.search import REGION_LABELS

MARKER_FILE = ".myoatlas-site"


def _prepare_dir(out: Path) -> None:
    """Create ``out``; refuse to write into a non-empty directory we did not make."""
    if out.exists() and any(out.iterdir()) and not (out / MARKER_FILE).exists():
        raise AtlasError("the directory is not empty and is not a Myoatlas export; "
                         "give a new or empty directory", file=str(out))
    for sub in ("assets", "muscles"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    (out / "assets").mkdir(parents=True, exist_ok=True)
    (out / "muscles").mkdir(exist_ok=True)
    (out / MARKER_FILE).write_text("written by myoatlas export-site; safe to overwrite\n")


def _common(content: Any, mode: str, date: dt.date) -> dict[str, Any]:
    return {
        "version": anatomy.__version__, "modes": MODES, "mode": mode,
        "mode_labels": MODE_LABELS, "vtk_licence": assets.VTK_LICENCE,
        "date_text": f"{date.day} {date:%B %Y}",
        "disclaimers": {m: explainer.disclaimer_html(content, m) for m in MODES},
    }


def _scripts(start: str, *extra: str) -> dict[str, Any]:
    scripts = [assets.script_text(s) for s in (*extra, start)]
    return {"scripts": scripts, "script_hashes": [assets.csp_hash(s) for s in scripts]}


def _index(atlas: Any, common: dict[str, Any]) -> str:
    content = atlas.content
    regions = []
    for region in REGIONS:
        muscles = sorted((m for m in content.muscles if m.region == region),
                         key=lambda m: m.common_name.casefold())
        if muscles:
            regions.append({"label": REGION_LABELS.get(region, region), "muscles": muscles})
    pages = {mesh: f"muscles/{m.id}.html" for m in content.muscles for mesh in m.meshes}
    view = {"skin_opacity": OPACITY["skin"], "colours": PALETTE,
            "presets": page_presets(atlas.meshes.bounds())}
    start = (f"var PAGES = {assets.js_value(pages)}; MyoatlasPage.start({{"
             f"view: {assets.js_value(view)}, mode: {assets.js_value(common['mode'])}, "
             "geometry: 'body', element: '#view3d', useHash: true, onMuscleClick: "
             "function (rec) { if (PAGES[rec.muscle]) location.href = PAGES[rec.muscle]; }});")
    return assets.render(
        "site_index.html", **common, **_scripts(start), title="Myoatlas", root="",
        body_class="index", regions=regions, n_muscles=len(content.muscles),
        n_trigger_points=sum(1 for _ in content.trigger_points()),
        explainers={m: explainer.explainer_html(content, m) for m in MODES},
    )


def _muscle_page(atlas: Any, record: Any, common: dict[str, Any], prev: Any, nxt: Any) -> str:
    content = atlas.content
    scene = muscle_page_scene(atlas, record.id)
    zones = pack_geometry([], scene.arrays)
    start = (f"MyoatlasPage.start({{view: {assets.js_value(scene.view)}, "
             f"mode: {assets.js_value(common['mode'])}, geometry: 'body', arrays: 'zones', "
             "element: '#view3d', useHash: true});")
    texts = [{"mode": m, "tp": tp.id, "html": text.selection_html(content, m, record.id, tp.id)}
             for m in MODES for tp in record.trigger_points]
    ids = list(dict.fromkeys([*record.sources, *(s for tp in record.trigger_points
                                                 for s in tp.sources)]))
    return assets.render(
        "site_muscle.html", **common, **_scripts(start, assets.geometry_js("zones", zones)),
        title=text.muscle_title(record, "student"), root="../", body_class="muscle",
        latin=record.latin, common_name=record.common_name,
        region_label=REGION_LABELS.get(record.region, record.region),
        side=scene.view["side"], sides=list(scene.view["sides"]),
        trigger_points=record.trigger_points, first_tp=record.trigger_points[0].id,
        texts=texts, patient_sources=text.sources_html(content, ids), swatches=swatches(),
        colour_words=COLOUR_WORDS,
        prev=prev, next=nxt,
    )


def export_site(atlas: Any, out: str | Path, *, mode: str = "student",
                date: dt.date | None = None) -> dict[str, int]:
    """Write the static atlas into directory ``out``.

    Parameters
    ----------
    atlas
        An :class:`anatomy.atlas.model.Atlas`.
    out
        A new or empty directory, or an earlier export (overwritten).
    mode
        The text shown first (``patient``, ``student`` or ``clinician``); readers can switch.
    date
        The export date printed in the footers (default: today).

    Returns
    -------
    dict
        Bytes written per file, by path relative to ``out``.

    Raises
    ------
    AtlasError
        For an unknown mode, or a directory that holds other files.
    """
    if mode not in MODES:
        raise AtlasError(f"mode must be one of {', '.join(MODES)}, not {mode!r}", key="mode")
    root = Path(out)
    try:
        _prepare_dir(root)
        atlas.prefetch_zones()
        files: dict[str, str] = {
            "assets/vtk.js": assets.vtk_js(),
            "assets/body.js": assets.geometry_js("body", pack_geometry(body_meshes(atlas))),
            "assets/page_viewer.js": assets.page_viewer_js(),
            "assets/page.css": assets.static_text("page.css"),
        }
        common = _common(atlas.content, mode, date or dt.date.today())
        files["index.html"] = _index(atlas, common)
        muscles = sorted(atlas.content.muscles, key=lambda m: (REGIONS.index(m.region),
                                                               m.common_name.casefold()))
        for i, record in enumerate(muscles):
            prev = muscles[i - 1] if i > 0 else None
            nxt = muscles[i + 1] if i + 1 < len(muscles) else None
            files[f"muscles/{record.id}.html"] = _muscle_page(atlas, record, common, prev, nxt)
        sizes = {}
        for rel, body in files.items():
            data = body.encode("utf-8")
            (root / rel).write_bytes(data)
            sizes[rel] = len(data)
    except OSError as exc:
        raise AtlasError(f"cannot write the site: {exc.strerror}",
                         file=str(exc.filename or root)) from None
    return sizes

