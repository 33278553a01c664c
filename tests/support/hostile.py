"""Hostile content for the security tests: a payload in every text field, and its detector.

:func:`hostile_annotations` writes a copy of an annotations file whose every free-text value
(names, locations, patient and clinician text, symptoms, self-care, red flags, structure names,
source citations, general sections...) carries :data:`PAYLOAD`: a script tag, an image with
``onerror``, a ``javascript:`` link in HTML and in Markdown, an ``onclick`` attribute, an SVG
``onload``, an iframe and a style tag. Every one of them sets ``window.__pwned`` (or hides the
page) if it ever runs. Ids, mesh names, landmarks and enums are left alone, so the copy still
validates.

:func:`dangerous_markup` lists what in an HTML string could run the payload: an element the
payload introduced, any attribute carrying it, or a script body containing it.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

MARK = "__pwned"
PAYLOAD = (
    "<script>window.__pwned='script'</script>"
    "<img src=x onerror=\"window.__pwned='img'\">"
    "<a href=\"javascript:window.__pwned='link'\">link</a>"
    "<b onclick=\"window.__pwned='click'\" onmouseover=\"window.__pwned='over'\">bold</b>"
    "<svg onload=\"window.__pwned='svg'\"></svg>"
    "<iframe src=\"javascript:window.__pwned='iframe'\"></iframe>"
    "<style>body{display:none}</style>"
    " [md](javascript:window.__pwned='md')"
)
# Keys whose values are identifiers or fixed vocabularies, not text shown to people.
NOT_TEXT = {
    "id", "mesh", "meshes", "landmark", "toward", "risk_class", "region", "sources", "source",
    "format", "from",
}  # fmt: skip
# Tags the payload brings that must never reach a page as markup.
PAYLOAD_TAGS = {"script", "img", "svg", "iframe", "style", "object", "embed"}


def poison(node: Any, key: str | None = None) -> Any:
    """``node`` with :data:`PAYLOAD` appended to every free-text string."""
    if isinstance(node, dict):
        return {k: (v if k in NOT_TEXT else poison(v, k)) for k, v in node.items()}
    if isinstance(node, list):
        return [poison(v, key) for v in node]
    if isinstance(node, str):
        return f"{node} {PAYLOAD}"
    return node


def hostile_annotations(source: Path, out: Path) -> Path:
    """Write ``source`` with every text field poisoned (and the source urls made hostile)."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    poisoned = {k: (v if k == "sources" else poison(v)) for k, v in data.items()}
    poisoned["sources"] = {
        sid: {**poison(src), "url": "javascript:window.__pwned='url'"}
        for sid, src in data["sources"].items()
    }  # source ids stay (records refer to them); their fields are text
    for src in poisoned["sources"].values():
        src.pop("doi", None)  # so that the hostile url is the one a citation shows
    out.write_text(yaml.safe_dump(poisoned, allow_unicode=True, sort_keys=False), "utf-8")
    return out


_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.tags: dict[str, int] = {}
        self.inline_scripts: list[str] = []
        self._script: dict[str, str | None] | None = None
        self._script_body: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for name, value in attrs:
            value = value or ""
            if MARK in name:
                self.problems.append(f"<{tag}> has an attribute named from the payload: {name}")
            if name.startswith("on") and MARK in value:
                self.problems.append(f"<{tag}> has a payload event handler {name}={value[:40]!r}")
            if name in _URL_ATTRS and (
                value.strip().lower().startswith("javascript:") or MARK in value
            ):
                self.problems.append(f"<{tag} {name}={value[:40]!r}> is a payload URL")
        if tag == "script":
            self._script, self._script_body = dict(attrs), []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            body = "".join(self._script_body)
            kind = (self._script.get("type") or "").lower()
            if "json" in kind:
                try:
                    json.loads(body)
                except ValueError:
                    self.problems.append("a JSON script was broken out of")
            elif "src" not in self._script:
                self.inline_scripts.append(body)
                lowered = body.lower()
                for bad in PAYLOAD_TAGS:
                    if f"<{bad}" in lowered and MARK in body:
                        self.problems.append(f"raw <{bad}> payload inside a script")
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_body.append(data)
        else:
            self.text.append(data)


def scan(html: str) -> _Scanner:
    """Parse ``html``: ``problems``, ``tags`` (start-tag counts), ``inline_scripts``, ``text``."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner


def dangerous_markup(html: str, baseline: str | None = None) -> list[str]:
    """What in ``html`` could run :data:`PAYLOAD` (empty when it is all shown as text).

    Parameters
    ----------
    html
        A page or a fragment built from hostile content.
    baseline
        The same page built from clean content: elements of the payload's kinds (script,
        img, svg, iframe, style, a, ...) may occur as often as there, no more. Without a
        baseline none may occur at all, links excepted.
    """
    found = scan(html)
    problems = list(found.problems)
    unlimited = 10**9  # fragments may hold links and bold text of their own
    allowed = scan(baseline).tags if baseline is not None else {"a": unlimited, "b": unlimited}
    for tag in sorted(PAYLOAD_TAGS | {"a", "b", "form", "input", "button", "base", "meta"}):
        if found.tags.get(tag, 0) > allowed.get(tag, 0):
            problems.append(
                f"{found.tags[tag]} <{tag}> elements where the clean page has "
                f"{allowed.get(tag, 0)}"
            )
    return problems


def visible_text(html: str) -> str:
    """The text a reader would see (outside scripts), entities decoded."""
    return "".join(scan(html).text)
