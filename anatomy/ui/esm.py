"""The atlas's ES-module components (Panel ``JSComponent``) without es-module-shims.

Panel loads es-module-shims, a polyfill for import maps, on any page with an ES-module
component, and its start-up took ~0.25 s of script time before Bokeh's own scripts ran (A/B
on two cores: first frame median 3541 -> 3274 ms without it). The atlas's modules
(``viewer.js``, ``live_region.js``) import nothing and are served as written, so the browser's
native ``import()`` loads them: ``static/import-shim.js`` provides the ``importShim`` that
Panel calls, and :func:`without_module_shims` leaves es-module-shims off the page.
"""

from __future__ import annotations

IMPORT_SHIM = "static/import-shim.js"  # relative to anatomy/ui, for a component's __javascript__


def without_module_shims() -> None:
    """Leave es-module-shims out of the pages this process serves (idempotent).

    Every component served must then list :data:`IMPORT_SHIM` among its scripts and use no
    import map, as the atlas's do.
    """
    from panel.models.esm import ReactiveESM

    ReactiveESM.__javascript_raw__ = []
