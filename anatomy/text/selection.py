"""Content to HTML, per mode. Every piece of content text is escaped or sanitised here.

Modes decide what is said:

- ``patient``: plain names, what it feels like, what makes it worse, self-care, when to seek
  care. Nothing about needling, palpation technique or structures at risk.
- ``student``: Latin and common names, actions, locations, referral maps, palpation,
  contested notes and sources.
- ``clinician``: everything a student sees plus the needling approach, the structures at risk
  with a risk badge, and full citations.

No Panel import.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any, TypeVar

import bleach
from markdown_it import MarkdownIt

from anatomy.scene.palette import RISK_BADGES, RiskBadge
from anatomy.text.places import plain_place
from anatomy.text.search import REGION_LABELS

# class -> (words, background colour); the badges' tiers, symbols, colours: anatomy.scene.palette.
RISK_LABELS = {name: (b.label, b.background) for name, b in RISK_BADGES.items()}
_TAGS = [
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td",
]  # fmt: skip
T = TypeVar("T")
_MD = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


_SHARED: dict[int, tuple[Any, dict[Any, Any]]] = {}
_SHARED_CONTENTS = 4  # content objects whose pieces are kept (a server has one)


def shared(content: Any, key: Any, build: Callable[[], T]) -> T:
    """``build()`` once per content object and ``key``, then the same value for every session.

    The HTML of a (mode, muscle, trigger point) or of the explainer is the same for everyone
    who asks, and the loaded content never changes while a server runs, so sessions share one
    copy instead of rendering (Markdown, bleach) and holding their own. Values are kept for
    the last few content objects only.
    """
    entry = _SHARED.get(id(content))
    if entry is None or entry[0] is not content:
        while len(_SHARED) >= _SHARED_CONTENTS:
            del _SHARED[next(iter(_SHARED))]
        entry = _SHARED[id(content)] = (content, {})
    cache = entry[1]
    try:
        return cache[key]  # type: ignore[no-any-return]
    except KeyError:
        value = cache[key] = build()
        return value


def esc(value: object) -> str:
    """Escape text for HTML (quotes included)."""
    return html.escape(str(value), quote=True)


def markdown_html(source: str) -> str:
    """Render Markdown to HTML that is safe to insert into the page.

    Raw HTML in the source is not interpreted, the result is filtered by bleach to a fixed
    list of tags, links keep only ``http``, ``https`` and ``mailto`` targets, and images are
    dropped (they could fetch from outside and the app must work offline).
    """
    rendered = _MD.render(source)
    clean = bleach.clean(
        rendered,
        tags=_TAGS,
        attributes={"a": ["href", "title"], "th": ["align"], "td": ["align"]},
        protocols=["http", "https", "mailto"],
        strip=True,
    )
    return clean.replace("<a ", '<a rel="noopener noreferrer" target="_blank" ')


def muscle_title(muscle: Any, mode: str) -> str:
    """The muscle's name as this mode calls it (plain text, not escaped)."""
    if mode == "patient":
        return _cap(f"{muscle.patient_name} ({muscle.common_name})")
    return _cap(muscle.common_name)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def risk_badge(risk_class: str) -> str:
    """A badge naming the risk class in words, with its tier's symbol and colours.

    Tiers differ by words, symbol, fill and lightness, so colour is never the only cue.
    """
    b = RISK_BADGES.get(risk_class) or RiskBadge(
        label=risk_class, tier="", background="#555555", text="#ffffff", border="#555555",
        symbol="⚠",
    )
    return (
        f'<span class="risk-badge risk-{esc(risk_class)} risk-tier-{esc(b.tier)}" '
        f'style="background:{b.background};color:{b.text};border:2px solid {b.border};'
        f'border-radius:4px;padding:1px 8px;font-weight:600"><span aria-hidden="true">'
        f"{b.symbol}</span> {esc(b.label)}</span>"
    )


def _items(title: str, values: list[str], cls: str = "") -> str:
    if not values:
        return ""
    lis = "".join(f"<li>{esc(v)}</li>" for v in values)
    return f'<h4>{esc(title)}</h4><ul class="{cls}">{lis}</ul>'


def place_words(discs: list[Any], plain: bool = False) -> list[str]:
    """Landmark discs as place words: ``angle_of_jaw`` -> ``"angle of jaw"``.

    With ``plain`` (patient mode) anatomical names become everyday words
    (``posterior_neck`` -> ``"back of the neck"``).
    """
    if plain:
        return [plain_place(d.landmark) for d in discs]
    return [d.landmark.replace("_", " ") for d in discs]


def sources_html(content: Any, source_ids: list[str]) -> str:
    """A numbered list of full citations."""
    lis = []
    for sid in source_ids:
        src = content.sources.get(sid)
        lis.append(f"<li>{esc(src.citation() if src else sid)}</li>")
    return f'<h4>Sources</h4><ol class="sources">{"".join(lis)}</ol>' if lis else ""


def zones_checked_html(content: Any, tp: Any) -> str:
    """The published figure the trigger point's zones were compared against, as a small
    line under the referral pattern."""
    check = tp.zones_checked
    src = content.sources.get(check.source)
    if src is None:
        return ""
    names = [a.strip() for a in src.authors.split(",") if a.strip()]
    who = names[0].split()[0] + (" et al." if len(names) > 1 else "")
    note = f" ({check.note})" if check.note else ""
    return (f'<p class="zones-checked"><small>Zones compared with {esc(who)} {src.year}, '
            f"{esc(check.figure)}{esc(note)}.</small></p>")  # fmt: skip


def muscle_html(content: Any, muscle: Any, mode: str) -> str:
    """HTML about one muscle record in ``mode`` (the app's text, and the handout's)."""
    parts: list[str] = []
    if mode == "patient":
        n = len(muscle.trigger_points)
        parts.append(
            f"<p>This muscle has {n} common trigger point{'s' if n != 1 else ''} in this atlas. "
            "Choose one to see where it can send pain.</p>"
        )
        return "".join(parts)
    region = REGION_LABELS.get(muscle.region, muscle.region)
    parts.append(
        f'<p class="latin"><em>{esc(muscle.latin)}</em> &middot; {esc(region)}</p>'
        + _items("Actions", list(muscle.actions))
    )
    tps = "".join(
        f"<li><b>{esc(tp.name)}</b>: {esc(tp.location)}</li>" for tp in muscle.trigger_points
    )
    parts.append(f"<h4>Trigger points</h4><ul>{tps}</ul>")
    if mode == "clinician":
        parts.append(sources_html(content, list(muscle.sources)))
    return "".join(parts)


def trigger_point_html(content: Any, muscle: Any, tp: Any, mode: str) -> str:
    """HTML about one trigger point of ``muscle`` in ``mode`` (the app's and the handout's)."""
    plain = mode == "patient"
    essential = esc(", ".join(place_words(tp.essential, plain)))
    spillover = esc(", ".join(place_words(tp.spillover, plain)))
    if plain:
        return "".join(
            [
                f"<h3>{esc(tp.name)}</h3>",
                f'<p class="patient-text">{esc(tp.patient_text)}</p>',
                f"<h4>Where it can send pain</h4><p>Mostly: {essential}"
                + (f"; sometimes also: {spillover}" if tp.spillover else "")
                + ".</p>",
                _items("How it can feel", list(tp.symptoms)),
                _items("What can make it worse", list(tp.aggravating)),
                _items("Things you can try", list(tp.self_care), "self-care"),
                _items("See a doctor promptly if", list(tp.red_flags), "red-flags"),
            ]
        )  # fmt: skip
    parts = [
        f"<h3>{esc(tp.name)}</h3>",
        f'<p class="risk">{risk_badge(tp.risk_class)}</p>' if mode == "clinician" else "",
        f"<p><b>Location:</b> {esc(tp.location)}</p>",
        "<h4>Referral pattern</h4>",
        f"<p><b>Essential zone</b> (most people): {essential}</p>",
    ]
    if tp.spillover:
        parts.append(f"<p><b>Spillover zone</b> (some people): {spillover}</p>")
    parts.append(zones_checked_html(content, tp))
    parts += [
        _items("Symptoms", list(tp.symptoms)),
        _items("Aggravating activities", list(tp.aggravating)),
        f"<h4>Palpation</h4><p>{esc(tp.clinician_text.palpation)}</p>",
    ]
    if mode == "clinician":
        structures = "".join(
            f"<li>{esc(s.structure)} {risk_badge(s.risk_class)}</li>" for s in tp.structures_at_risk
        )
        parts += [
            f"<h4>Structures at risk</h4><ul>{structures}</ul>",
            f'<h4>Needling approach (teaching level)</h4><p class="needling">'
            f"{esc(tp.clinician_text.needling)}</p>",
        ]
    parts.append(_items("Self-care advice", list(tp.self_care)))
    parts.append(_items("Red flags", list(tp.red_flags), "red-flags"))
    if tp.contested:
        parts.append(f'<p class="contested"><b>Contested:</b> {esc(tp.contested_note or "")}</p>')
    parts.append(sources_html(content, list(tp.sources)))
    return "".join(parts)


def selection_html(content: Any, mode: str, muscle_id: str, trigger_point_id: str) -> str:
    """HTML for the selected muscle and trigger point in ``mode``; a hint when none."""
    if not muscle_id:
        hint = (
            "Search for a muscle by name, pick one from the list, or click a muscle in the 3D "
            "view. Use &ldquo;Where does it hurt?&rdquo; to start from a painful spot."
        )
        return f'<div class="selection mode-{esc(mode)}"><p>{hint}</p></div>'
    muscle = content.muscle(muscle_id)
    body = f"<h2>{esc(muscle_title(muscle, mode))}</h2>"
    if trigger_point_id:
        # The chosen trigger point first; the muscle's overview follows.
        body += trigger_point_html(content, muscle, muscle.trigger_point(trigger_point_id), mode)
        if mode != "patient":
            body += f"<h3>About the muscle</h3>{muscle_html(content, muscle, mode)}"
    else:
        body += muscle_html(content, muscle, mode)
    return f'<div class="selection mode-{esc(mode)}">{body}</div>'


def lookup_html(hits: list[dict]) -> str:
    """The ranked 'where does it hurt' results with the reason for each."""
    if not hits:
        return "<p>Click a spot on the skin to see which muscles can refer pain there.</p>"
    rows = "".join(f"<li><b>{esc(h['label'])}</b> &mdash; {esc(h['why'])}</li>" for h in hits)
    return f'<ol class="lookup-hits">{rows}</ol>'
