"""The app's vtk.js build exports every vtk.js class the viewers use.

``anatomy/ui/static/vtk-lite.js`` is built from ``tools/vtkjs/entry.js`` (only the classes
the viewers need); a viewer that starts using another class must fail here, not in a browser.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BUNDLE = REPO / "anatomy" / "ui" / "static" / "vtk-lite.js"
VIEWERS = [REPO / "anatomy" / "ui" / "viewer.js",
           REPO / "anatomy" / "ui" / "static" / "myoatlas_core.js",
           REPO / "anatomy" / "export" / "static" / "page_viewer.js"]


def used_names() -> set[tuple[str, ...]]:
    """Dotted paths such as ('Rendering', 'Core', 'vtkActor') that the viewers reach."""
    names = set()
    for path in VIEWERS:
        for match in re.finditer(r"\bvtk((?:\.[A-Za-z]\w*)+)", path.read_text(encoding="utf-8")):
            parts = tuple(match.group(1).lstrip(".").split("."))
            if parts[0] in ("Common", "Filters", "Rendering", "macro"):
                names.add(parts[:3] if parts[0] != "macro" else parts[:1])
    return names


def exported_tree() -> dict:
    """The object assigned to window.myoatlasVtk at the end of the bundle, as nested keys."""
    text = BUNDLE.read_text(encoding="utf-8")
    literal = text[text.rindex("window.myoatlasVtk={") + len("window.myoatlasVtk="):]
    tree: dict = {}
    stack = [tree]
    key = ""
    for token in re.finditer(r"([A-Za-z_$][\w$]*)\s*:|([{}])|,", literal):
        if token.group(1):
            key = token.group(1)
            stack[-1][key] = None
        elif token.group(2) == "{" and key:
            stack[-1][key] = {}
            stack.append(stack[-1][key])
        elif token.group(2) == "}":
            stack.pop()
            if len(stack) == 0:
                break
    return tree


def test_bundle_exports_every_class_the_viewers_use() -> None:
    tree = exported_tree()
    used = used_names()
    assert ("Rendering", "Misc", "vtkGenericRenderWindow") in used  # the parser found names
    for parts in sorted(used):
        node: object = tree
        for part in parts:
            name = ".".join(parts)
            assert isinstance(node, dict) and part in node, f"vtk-lite.js lacks vtk.{name}"
            node = node[part]


def test_bundle_is_small_and_does_not_claim_the_vtk_global() -> None:
    text = BUNDLE.read_text(encoding="utf-8")
    assert len(text.encode()) < 1_000_000  # Panel's whole vtk.js is ~3 MB
    # Panel's own VTK models look for window.vtk: the bundle must not shadow it.
    assert not re.search(r"window\.vtk\s*=", text)
