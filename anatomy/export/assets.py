"""The files an exported page is made of, and how to put them inside HTML safely.

- vtk.js is the app's own small build (``anatomy/ui/static/vtk-lite.js``, the same file the
  app serves; see ``tools/vtkjs/``);
- the drawing core (``anatomy/ui/static/myoatlas_core.js``: geometry, actors, zone paint,
  markers) is the same file the app's viewer uses, so pages and app draw alike;
- the page viewer script and the stylesheet live in ``anatomy/export/static/``;

The two shared browser scripts sit in ``anatomy/ui/static`` because Panel serves a component's
files only from below its module's folder; they are read here by path (no ``anatomy.ui``
import).
- templates (Jinja2, autoescaping on) in ``anatomy/export/templates/``.

Anything placed inside a ``<script>`` element goes through :func:`script_text` or
:func:`js_value`, so no data can close the element early.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import jinja2

from anatomy.errors import AtlasError
from anatomy.export.packing import PackedGeometry

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
VTK_LITE = HERE.parent / "ui" / "static" / "vtk-lite.js"
CORE_JS = HERE.parent / "ui" / "static" / "myoatlas_core.js"
VTK_LICENCE = ("vtk.js 30.10 (the parts used) © Kitware, Inc., BSD-3-Clause licence "
               "(https://github.com/Kitware/vtk-js); gl-matrix and small helpers, MIT")


def vtk_js_path() -> Path:
    """The app's vtk.js bundle (``anatomy/ui/static/vtk-lite.js``).

    Raises
    ------
    AtlasError
        If the bundle is missing from the installed package.
    """
    if not VTK_LITE.is_file():
        raise AtlasError(f"the vtk.js bundle is missing (looked for {VTK_LITE}); "
                         "rebuild it with tools/vtkjs/build.sh")
    return VTK_LITE


@functools.lru_cache(maxsize=1)
def vtk_js() -> str:
    """vtk.js for an exported page, as the global ``vtk`` that the page viewer uses."""
    text = vtk_js_path().read_text(encoding="utf-8")
    text = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", text)
    return text + "\nwindow.vtk=window.myoatlasVtk;\n"


def static_text(name: str) -> str:
    """A file of ``anatomy/export/static`` as text."""
    return (STATIC / name).read_text(encoding="utf-8")


def page_viewer_js() -> str:
    """The page viewer as one script: the drawing core it uses, then the viewer itself.

    Raises
    ------
    AtlasError
        If the drawing core is missing from the installed package.
    """
    if not CORE_JS.is_file():
        raise AtlasError(f"the viewers' drawing core is missing (looked for {CORE_JS})")
    core = CORE_JS.read_text(encoding="utf-8")
    return f"{core}\n{static_text('page_viewer.js')}"


def script_text(js: str) -> str:
    """JavaScript made safe to place between ``<script>`` and ``</script>``.

    ``</script`` and ``<!--`` cannot occur in the result; the replacements mean the same to
    JavaScript inside strings, regular expressions and comments, which is the only place
    they can appear in valid code.
    """
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    return js.replace("<!--", "<\\!--")


def js_value(value: Any) -> str:
    """``value`` as a JavaScript literal (JSON) that is safe inside an HTML ``<script>``."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def geometry_js(name: str, packed: PackedGeometry) -> str:
    """A script that registers packed geometry as ``window.MYOATLAS_GEOMETRY[name]``."""
    return (
        "(window.MYOATLAS_GEOMETRY = window.MYOATLAS_GEOMETRY || {})"
        f"[{js_value(name)}] = {{manifest: {js_value(packed.manifest)}, "
        f'data: "{packed.base64()}"}};\n'
    )


def csp_hash(script: str) -> str:
    """The Content-Security-Policy source expression allowing exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@functools.lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    """The Jinja2 environment of the export templates (autoescaping always on)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context: Any) -> str:
    """Render one export template."""
    return templates().get_template(template).render(**context)
