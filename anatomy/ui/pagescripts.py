"""The scripts an atlas page loads: Panel's defaults less two the atlas does not need.

Every page first loads and runs ~3 MB of scripts, the largest part of its first frame on a
two-core machine (~1 s). Two of Panel's and Bokeh's defaults do nothing for the atlas:

- **es-module-shims**, a polyfill for import maps that Panel loads on any page with an
  ES-module component; its start-up took ~0.25 s before Bokeh's own scripts ran. The atlas's
  modules (``viewer.js``, ``live_region.js``) import nothing and are served as written, so the
  browser's native ``import()`` loads them: ``static/import-shim.js`` provides the
  ``importShim`` that Panel calls.
- **bokeh-gl**, Bokeh's WebGL renderers for its plots (0.19 MB): the atlas draws no Bokeh plot
  (its 3D view is vtk.js).

A/B on two cores, first frame median: 3541 -> 3274 ms without es-module-shims, 3322 -> 3184 ms
without bokeh-gl.
"""

from __future__ import annotations

IMPORT_SHIM = "static/import-shim.js"  # relative to anatomy/ui, for a component's __javascript__
UNUSED_BOKEH_BUNDLES = ("bokeh-gl",)


def trim_page_scripts() -> None:
    """Leave es-module-shims and bokeh-gl out of the pages this process serves (idempotent).

    Every ES-module component served must then list :data:`IMPORT_SHIM` among its scripts and
    use no import map, as the atlas's do; and no page may hold a Bokeh plot drawn with WebGL.
    """
    from bokeh.resources import Resources
    from panel.models.esm import ReactiveESM

    ReactiveESM.__javascript_raw__ = []
    Resources._default_components = [
        c for c in Resources._default_components if c not in UNUSED_BOKEH_BUNDLES
    ]
