"""The words of a depth profile: the model's figures along the needle line, the published
measurements of the site beside them, and the reminder that one generic body is not the
patient. Shown in clinician mode only (:func:`depth_html`).

Profiles and comparisons are :class:`anatomy.atlas.depth.DepthProfile` and ``Comparison``;
they are taken as they come (``Any``), since the words layer imports no geometry."""

from __future__ import annotations

from typing import Any

from anatomy.scene.palette import NEEDLE_COLOURS, NEEDLE_WORDS, css_hex
from anatomy.text.selection import esc

GENERIC_BODY = (
    "These depths come from one generic adult body, not from the person in front of you. "
    "Build, sex, age, breathing and position move them by many millimetres: palpate the "
    "ribs, and measure with ultrasound where you can."
)
TISSUE_WORDS = {
    "subcutaneous": "skin, fat and the tissue between layers",
    "muscle": "another muscle",
    "target": "this muscle",
    "bone": "bone",
    "beyond pleura": "past the pleura, where the lung is",
    "kidney": "the kidney",
}
WHAT = {
    "pleura": "skin to pleura",
    "rib": "skin to rib",
    "muscle_surface": "skin to the muscle",
    "muscle_deep": "skin to the muscle's far side",
    "muscle_thickness": "muscle thickness",
    "kidney_or_peritoneum": "skin to kidney or abdominal cavity",
}
VERDICT_WORDS = {
    "within": "within what was measured",
    "shallower": "shallower than measured",
    "deeper": "deeper than measured",
    "no range": "no range to compare",
    "not reached": "not on this line in the model",
    "not in the model": "not in the model",
}
PLEURA_SOURCE = "standring_2016"


def mm(value: float | None) -> str:
    """A depth in whole millimetres, or an en dash for none."""
    return "\u2013" if value is None else f"{value:.0f} mm"


def _bone_words(name: str) -> str:
    """``left rib 6`` -> ``rib 6``; other bones keep their name without the side."""
    for side in ("left ", "right "):
        name = name.removeprefix(side)
    return name


def line_words(profile: Any) -> str:
    """How the line runs: along the record's direction, or straight in."""
    if profile.line.direction_from == "record":
        return "along the usual needle direction for this point"
    return "straight in, at right angles to the skin"


def line_tissues(profile: Any) -> list[str]:
    """The tissues the drawn line passes through, in the legend's order."""
    present = {tissue for tissue, _, _ in profile.line.segments()}
    return [t for t in TISSUE_WORDS if t in present]


def figures_sentence(profile: Any) -> str:
    """``In this model, straight in: the muscle ends at 14 mm, rib 6 at 19 mm, the pleura at
    23 mm.`` (plain text)."""
    line, parts = profile.line, []
    if line.muscle_mm is not None:
        parts.append(f"the muscle ends at {mm(line.muscle_mm)}")
    if line.bone is not None:
        parts.append(f"{_bone_words(line.bone[0])} at {mm(line.bone[1])}")
    else:
        parts.append("no bone on this line")
    if line.pleura_mm is not None:
        parts.append(f"the pleura at {mm(line.pleura_mm)}")
    else:
        parts.append("no pleura within 12 cm on this line")
    if line.kidney_mm is not None:
        parts.append(f"the kidney at {mm(line.kidney_mm)}")
    return f"In this model, {line_words(profile)}: " + ", ".join(parts) + "."


def published_figure(c: Any) -> str:
    """A comparison's published figure as words (:func:`figure_words`)."""
    return figure_words(c.figure)


def figure_words(f: Any) -> str:
    """One published figure (a ``DepthFigure``) as words: ``28.4 ± 3.8 mm; n = 25``,
    ``median 35 mm; range 17\u201393 mm``."""
    bits = []
    if f.mean_mm is not None:
        bits.append(f"{f.mean_mm:g} \u00b1 {f.sd_mm:g} mm" if f.sd_mm else f"mean {f.mean_mm:g} mm")
    if f.median_mm is not None:
        bits.append(f"median {f.median_mm:g} mm")
    if f.range_mm is not None:
        bits.append(f"range {f.range_mm[0]:g}\u2013{f.range_mm[1]:g} mm")
    if f.deeper_than_mm is not None:
        bits.append(f"deeper than {f.deeper_than_mm:g} mm in every case")
    if f.change_mm is not None:
        ci = (f" (95% CI {f.change_ci_mm[0]:g}\u2013{f.change_ci_mm[1]:g})"
              if f.change_ci_mm else "")  # fmt: skip
        bits.append(f"{f.change_mm:+g} mm{ci}")
    if f.limit_mm is not None:
        bits.append(f"suggested limit {f.limit_mm:g} mm")
    if f.n is not None:
        bits.append(f"n = {f.n}")
    return "; ".join(bits)


def short_cite(content: Any, source_id: str) -> str:
    """``Kearns et al. 2022`` from a bibliography entry."""
    src = content.sources.get(source_id)
    if src is None:
        return source_id
    if src.authors.lower().startswith("authors"):  # an entry whose authors we do not have
        words = src.title.split()
        return f"\u201c{' '.join(words[:4])}\u2026\u201d {src.year or 'undated'}"
    names = [a.strip() for a in src.authors.split(",") if a.strip()]
    first = names[0].split()[0] if names else source_id
    who = first + (" et al." if len(names) > 1 or "et al" in src.authors else "")
    return f"{who} {src.year or 'undated'}"


def outside_sentence(c: Any) -> str:
    """Where the model falls outside a study's figure, that said in one sentence."""
    what = WHAT[c.figure.to]
    if c.verdict == "not reached":
        return f"Along the study's line the model has no {c.figure.to.replace('_', ' ')}."
    return (f"The model's {what} ({mm(c.model_mm)}) is {VERDICT_WORDS[c.verdict]} "
            f"({published_figure(c)}).")  # fmt: skip


def depth_html(content: Any, profile: Any) -> str:
    """The clinician panel: figures along the line, the tissue colours, the published
    measurements at this site with their verdicts, and the one-body reminder."""
    legend = "".join(
        f'<li class="needle-tissue needle-{esc(t.replace(" ", "-"))}">'
        f'<span class="swatch swatch-square" aria-hidden="true" '
        f'style="background:{css_hex(NEEDLE_COLOURS[t])}"></span> '
        f"<b>{esc(NEEDLE_WORDS[t])}</b>: {esc(TISSUE_WORDS[t])}</li>"
        for t in line_tissues(profile)
    )
    parts = [
        '<section class="needle-depth" aria-label="Needle depth in this model">',
        "<h4>Needle depth in this model</h4>",
        f'<p class="needle-figures">{esc(figures_sentence(profile))}</p>',
        f'<p class="needle-legend-title"><small>The line in the 3D view is coloured by what '
        f'it passes through:</small></p><ul class="needle-legend">{legend}</ul>',
        f'<p class="generic-body"><b>One body, not your patient.</b> {esc(GENERIC_BODY)}</p>',
    ]
    if profile.comparisons:
        rows = []
        for c in profile.comparisons:
            flag = ' class="outside"' if c.outside else ""
            rows.append(
                f"<tr{flag}><td>{esc(short_cite(content, c.study.source))}</td>"
                f"<td>{esc(WHAT[c.figure.to])}</td><td>{esc(c.figure.group)}</td>"
                f"<td>{esc(published_figure(c))}</td><td>{esc(mm(c.model_mm))}</td>"
                f"<td>{esc(VERDICT_WORDS[c.verdict])}</td></tr>"
            )
        parts.append(
            "<h4>Measured in people at this site</h4>"
            '<table class="depth-studies"><thead><tr><th scope="col">Study</th>'
            '<th scope="col">What</th><th scope="col">Who</th><th scope="col">Published</th>'
            '<th scope="col">Model</th><th scope="col">Model against study</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
        outside = [c for c in profile.comparisons if c.outside]
        if outside:
            items = "".join(f"<li>{esc(outside_sentence(c))}</li>" for c in outside)
            parts.append(f'<p class="depth-outside"><b>Where the model differs from the '
                         f'studies:</b></p><ul class="depth-outside">{items}</ul>')  # fmt: skip
        seen: list[str] = []
        for c in profile.comparisons:
            if c.study.source not in seen:
                seen.append(c.study.source)
        sites = "".join(
            f"<li>{esc(short_cite(content, c.study.source))}: {esc(c.study.site)}; "
            f"{esc(c.study.method)}.</li>"
            for c in _first_of_each_study(profile.comparisons)
        )
        parts.append(f'<details class="depth-sites"><summary>Where and how each study '
                     f"measured</summary><ul>{sites}</ul></details>")  # fmt: skip
        cites = "".join(
            f"<li>{esc(content.sources[s].citation())}</li>" for s in seen if s in content.sources
        )
        parts.append(f'<ol class="sources depth-sources">{cites}</ol>')
    if PLEURA_SOURCE in content.sources:
        parts.append(
            '<p class="pleura-source"><small>The pleura in the model follows the textbook '
            "borders: its apex 2.5 cm above the inner third of the collarbone, its lower edge "
            "at the 8th rib in the mid-clavicular line, the 10th in the mid-axillary line and "
            f"the 12th beside the spine ({esc(short_cite(content, PLEURA_SOURCE))}).</small></p>"
        )
    parts.append("</section>")
    return "".join(parts)


def _first_of_each_study(comparisons: tuple[Any, ...]) -> list[Any]:
    out: list[Any] = []
    for c in comparisons:
        if all(o.study.id != c.study.id for o in out):
            out.append(c)
    return out
