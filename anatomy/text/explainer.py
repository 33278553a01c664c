"""The "About dry needling" explainer and the clinic's own document, as sanitised HTML.

The explainer is built from the content's ``general`` sections. Patients read each section's
plain-language ``patient`` text only; students and clinicians read the ``clinician`` text with
the mechanisms, adverse-event figures, contraindications, contested notes and sources.
No Panel import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from anatomy.errors import AtlasError
from anatomy.text.selection import esc, markdown_html, sources_html

MAX_DOCUMENT_BYTES = 1_000_000


def _contested(section: Any) -> str:
    note = getattr(section, "contested_note", None)
    if not getattr(section, "contested", False):
        return ""
    return f'<p class="contested"><b>Contested:</b> {esc(note or "")}</p>'


def _mechanisms(section: Any) -> str:
    rows = []
    for m in section.mechanisms:
        flag = " <em>(contested)</em>" if m.contested else ""
        note = f" {esc(m.contested_note)}" if m.contested and m.contested_note else ""
        rows.append(f"<li><b>{esc(m.name)}</b>{flag}: {esc(m.explanation)}{note}</li>")
    return f"<ul>{''.join(rows)}</ul>"


def _adverse_events(content: Any, section: Any) -> str:
    head = (
        "<tr><th>Study</th><th>Sample</th><th>Treatments</th><th>Any minor event</th>"
        "<th>Most common</th><th>Serious</th></tr>"
    )
    rows = []
    for s in section.studies:
        src = content.sources.get(s.source)
        who = f"{src.authors.split(',')[0]} {src.year}" if src else s.source
        common = ", ".join(f"{e.event} {e.percent:g}%" for e in s.common_minor)
        rows.append(
            f"<tr><td>{esc(who)}</td><td>{esc(s.sample)}</td><td>{s.treatments:,}</td>"
            f"<td>{s.any_minor_percent:g}%</td><td>{esc(common)}</td><td>{esc(s.serious)}</td></tr>"
        )
    serious = "".join(f"<li>{esc(e)}</li>" for e in section.serious_events)
    return (
        f'<table class="adverse-events"><thead>{head}</thead><tbody>{"".join(rows)}</tbody>'
        f"</table><h4>Serious events reported</h4><ul>{serious}</ul>"
    )


def _contraindications(section: Any) -> str:
    absolute = "".join(f"<li>{esc(e)}</li>" for e in section.absolute)
    relative = "".join(f"<li>{esc(e)}</li>" for e in section.relative)
    return (
        f"<h4>Usually absolute</h4><ul>{absolute}</ul>"
        f"<h4>Relative (precautions)</h4><ul>{relative}</ul>"
    )


def explainer_html(content: Any, mode: str) -> str:
    """The dry-needling explainer for ``mode`` (patient text only in patient mode)."""
    parts = [f'<div class="explainer mode-{esc(mode)}">']
    for key, section in content.general.sections():
        if key == "disclaimer":
            continue  # shown above every panel instead
        parts.append(f'<section class="general-{esc(key)}"><h3>{esc(section.title)}</h3>')
        if mode == "patient":
            parts.append(markdown_html(section.patient))
        else:
            parts.append(markdown_html(section.clinician))
            if hasattr(section, "mechanisms"):
                parts.append(_mechanisms(section))
            if hasattr(section, "studies"):
                parts.append(_adverse_events(content, section))
            if hasattr(section, "absolute"):
                parts.append(_contraindications(section))
            parts.append(_contested(section))
            parts.append(sources_html(content, list(section.sources)))
        parts.append("</section>")
    parts.append("</div>")
    return "".join(parts)


def disclaimer_html(content: Any, mode: str) -> str:
    """The 'educational, not a diagnosis' notice from the content, for ``mode``."""
    section = content.general.disclaimer
    body = section.patient if mode == "patient" else section.clinician
    return f'<div class="disclaimer" role="note">{markdown_html(body)}</div>'


def load_document(path: str | Path) -> tuple[str, str]:
    """Read a clinic's Markdown document; return ``(title, sanitised HTML)``.

    Raises
    ------
    AtlasError
        If the file is missing, larger than 1 MB, or not UTF-8, naming the file.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AtlasError(f"cannot read the document: {exc.strerror}", file=str(path)) from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise AtlasError(
            f"the document is {len(data):,} bytes; the limit is {MAX_DOCUMENT_BYTES:,}",
            file=str(path),
        )
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise AtlasError("the document is not UTF-8 text", file=str(path), line=line) from None
    title = path.stem.replace("_", " ").replace("-", " ").strip() or "Clinic notes"
    for raw in source.splitlines():
        if raw.startswith("# "):
            title = raw[2:].strip()[:60] or title
            break
    return title, f'<div class="document">{markdown_html(source)}</div>'
