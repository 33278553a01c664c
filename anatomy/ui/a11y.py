"""Accessibility of the atlas page: what the 3D view shows in words, announcements, keys, text size.

- :func:`describe_view` says in words what the canvas shows (the selected muscle and side,
  the trigger points, the painted zones as places on the body); the viewer carries it as the
  canvas's accessible name, so a screen reader reads the picture.
- :func:`announcement` is the short sentence a screen reader announces after a change,
  through :class:`LiveRegion` (a persistent ``role="status"`` element).
- :func:`step_trigger_point` and :func:`trigger_point_stepper` walk through the selected
  muscle's trigger points without a mouse.
- :func:`text_size_toggle` scales the text panel (patients asked for larger type).

The text functions take an :class:`~anatomy.session.state.AtlasState` and import no Panel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import panel as pn
import param
from panel.custom import JSComponent
from panel.theme.base import Inherit
from panel.theme.native import Native
from panel.viewable import Viewable

from anatomy.errors import AtlasError
from anatomy.scene.palette import COLOUR_WORDS, LAYER_LABELS, LAYERS, colour, css_hex
from anatomy.session.practice import DepthQuestion
from anatomy.text import selection as text
from anatomy.text.places import plain_place
from anatomy.ui import widgets
from anatomy.ui.pagescripts import IMPORT_SHIM

LARGE_TEXT_CLASS = "text-large"
_MIDLINE = {"vertex", "forehead", "chin", "sternal_notch", "sternum", "xiphoid", "navel",
            "lower_abdomen", "upper_thoracic_spine", "mid_thoracic_spine", "lumbar_spine",
            "sacrum"}  # fmt: skip


def place(landmark: str, side: str) -> str:
    """A landmark as a place on this side of the body: ``temple`` -> ``the right temple``."""
    words = plain_place(landmark)
    if landmark in _MIDLINE:
        return f"the {words}"
    if words.startswith(("back of", "front of", "side of", "top of", "outside of", "inside of",
                         "angle of", "area", "inner", "outer", "base of", "lower", "upper", "thumb",
                         "little")):  # fmt: skip
        return f"the {words} ({side})"
    return f"the {side} {words}"


def _places(discs: Any, side: str) -> str:
    names = [place(d.landmark, side) for d in discs]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _muscle_name(state: Any, muscle_id: str) -> str:
    return text.muscle_title(state.content.muscle(muscle_id), state.mode)


def describe_view(state: Any) -> str:
    """What the 3D view shows, in words (the canvas's accessible name)."""
    parts = ["3D view of the body."]
    if state.practice_active and isinstance(state.practice.question, DepthQuestion):
        q = state.practice.question
        parts.append(f"Practice question on the {q.side} side: two trigger points are marked, "
                     f"point A as a {COLOUR_WORDS['marker_selected']} and point B as a "
                     f"{COLOUR_WORDS['marker']}.")  # fmt: skip
        if state.practice.answer is not None:
            parts.append(f"Both points' muscles are shown in {COLOUR_WORDS['highlight']}.")
        return " ".join(parts)
    if state.practice_active and state.practice.question is not None:
        q = state.practice.question
        tp = state.content.trigger_point(q.muscle, q.trigger_point)
        parts.append(f"Practice question: a referral zone is painted on the {q.side} side, "
                     f"around {_places(tp.essential, q.side)}.")  # fmt: skip
        if state.practice.answer is not None:
            parts.append(f"The answer, {_muscle_name(state, q.muscle)}, is shown in "
                         f"{COLOUR_WORDS['highlight']}.")  # fmt: skip
        return " ".join(parts)
    if not state.muscle:
        parts.append("No muscle is selected; all muscles are shown in their natural colour.")
    else:
        muscle = state.content.muscle(state.muscle)
        name = _muscle_name(state, state.muscle)
        colour = COLOUR_WORDS["highlight"]
        parts.append(f"Selected: {name}, {state.side} side, shown in {colour}; others dimmed.")
        n = len(muscle.trigger_points)
        parts.append(f"{n} trigger point{'s are' if n != 1 else ' is'} marked with dots.")
        if state.trigger_point:
            tp = muscle.trigger_point(state.trigger_point)
            parts.append(f"Chosen trigger point: {tp.name} ({COLOUR_WORDS['marker_selected']}).")
            parts.append(f"Essential zone, painted {COLOUR_WORDS['essential']}: around "
                         f"{_places(tp.essential, state.side)}.")  # fmt: skip
            if tp.spillover:
                parts.append(f"Spillover zone, painted {COLOUR_WORDS['spillover']}: around "
                             f"{_places(tp.spillover, state.side)}.")  # fmt: skip
    if getattr(state, "needle", None):
        pleura = state.needle.get("pleura") is not None
        parts.append("A needle line runs in from the skin over the chosen trigger point, "
                     "drawn over the body and coloured by the tissue it passes"
                     + (", red past the pleura." if pleura else "."))  # fmt: skip
    layers = [LAYER_LABELS[n].lower() for n in LAYERS if getattr(state, f"show_{n}")]
    parts.append("Layers shown: " + (", ".join(layers) if layers else "none") + ".")
    if state.show_pleura:
        parts.append(f"The lungs ({COLOUR_WORDS['lung']}) show inside the pleura "
                     f"({COLOUR_WORDS['pleura']}), which reaches below them.")  # fmt: skip
    if state.pick_mode == "skin":
        parts.append("Where does it hurt: tap or click the skin where it hurts.")
    return " ".join(parts)


def announcement(state: Any, changed: str) -> str:
    """The sentence to announce after ``changed`` (a state parameter's name) changed."""
    if changed == "mode":
        return f"{state.mode.capitalize()} view: the text now speaks to {state.mode}s."
    if changed == "lookup_hits":
        n = len(state.lookup_hits)
        return f"{n} muscle{'s' if n != 1 else ''} can refer pain to that spot." if n else ""
    if changed == "practice_revision" and state.practice_active:
        return describe_view(state)
    if changed in ("muscle", "side", "trigger_point"):
        if not state.muscle:
            return "No muscle selected."
        name = _muscle_name(state, state.muscle)
        if state.trigger_point:
            tp = state.content.trigger_point(state.muscle, state.trigger_point)
            zone = f" Essential zone: around {_places(tp.essential, state.side)}."
            return f"{tp.name}, {state.side} side, selected.{zone}"
        return f"{name}, {state.side} side, selected."
    return ""


def legend_html(zones_shown: bool, organs_shown: bool = False) -> str:
    """What the colours mean: each entry has a shape, a colour word and its meaning in words.

    ``organs_shown``: the lungs-and-pleura layer is on, and the legend names its colours.
    """

    def swatch(name: str, shape: str) -> str:
        return (f'<span class="swatch swatch-{shape}" aria-hidden="true" '
                f'style="background:{css_hex(colour(name))}"></span>')  # fmt: skip

    items = [
        f"{swatch('highlight', 'square')} <b>Selected muscle</b> ({COLOUR_WORDS['highlight']})",
        f"{swatch('marker', 'dot')} <b>Trigger point</b> ({COLOUR_WORDS['marker']}; "
        "tap or click it)",
        f"{swatch('marker_selected', 'big-dot')} <b>Chosen trigger point</b> "
        f"({COLOUR_WORDS['marker_selected']})",
    ]
    if zones_shown:
        items = [
            f"{swatch('essential', 'square')} <b>Essential zone</b> "
            f"({COLOUR_WORDS['essential']}): where most people with this trigger point feel pain",
            f"{swatch('spillover', 'square')} <b>Spillover zone</b> "
            f"({COLOUR_WORDS['spillover']}): where some people also feel it",
            *items,
        ]
    if organs_shown:
        items += [
            f"{swatch('lung', 'square')} <b>Lung</b> ({COLOUR_WORDS['lung']})",
            f"{swatch('pleura', 'square')} <b>Pleura</b> ({COLOUR_WORDS['pleura']}): "
            "it reaches below the lung",
        ]
    lis = "".join(f"<li>{item}</li>" for item in items)
    return f'<ul class="legend" aria-label="Legend of the 3D view">{lis}</ul>'


def step_trigger_point(state: Any, step: int) -> str:
    """Select the next (``step=1``) or previous (``-1``) trigger point of the selected muscle.

    Wraps around; with none chosen, ``1`` picks the first and ``-1`` the last. Returns the
    chosen trigger point's id.

    Raises
    ------
    AtlasError
        When no muscle is selected.
    """
    if not state.muscle:
        raise AtlasError("choose a muscle first, then step through its trigger points")
    ids = [tp.id for tp in state.content.muscle(state.muscle).trigger_points]
    if state.trigger_point in ids:
        target = ids[(ids.index(state.trigger_point) + step) % len(ids)]
    else:
        target = ids[0] if step > 0 else ids[-1]
    state.select_trigger_point(target)
    return target


class AtlasDesign(Native):
    """Panel's native design plus ``responsive.css`` in every component (focus, touch, layout).

    Set it before building the page: ``pn.config.design = AtlasDesign``.
    """

    modifiers: ClassVar[dict[Any, dict[str, Any]]] = {
        Viewable: {"stylesheets": [Inherit, "responsive.css"]}
    }


class LiveRegion(JSComponent):
    """A visually hidden ``role="status"`` region; setting :attr:`message` announces it.

    It also gives the page a ``<meta name="viewport">`` (Panel's page template has none, so
    phones would lay the page out 980 px wide and zoom out), and gives Bokeh's checkboxes and
    sliders, which have none, an accessible name from their visible label.
    """

    message = param.String(default="", doc="the latest announcement")

    # Served as written (a module given as source text is transpiled in the browser).
    _bundle = Path(__file__).parent / "live_region.js"
    _esm = _bundle
    __javascript__: ClassVar[list[str]] = [IMPORT_SHIM]  # stands in for es-module-shims
    _stylesheets: ClassVar[list[str]] = [
        ".sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;"
        " overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }"
    ]


def wire(state: Any, viewer: Any, live: LiveRegion) -> None:
    """Keep the viewer's description and the live region in step with ``state``."""

    def describe(*_: Any) -> None:
        if "description" in viewer.param:
            viewer.description = describe_view(state)

    def announce(*events: Any) -> None:
        message = ""
        for event in events:
            message = announcement(state, event.name) or message
        if message:
            live.message = message
        describe()

    watched = ["muscle", "side", "trigger_point", "mode", "lookup_hits", "practice_revision"]
    state.param.watch(announce, watched)
    state.param.watch(describe, [*(f"show_{n}" for n in LAYERS), "pick_mode"])
    describe()


def trigger_point_stepper(state: Any) -> pn.Row:
    """"Previous / next trigger point" buttons (shown when a muscle is selected)."""

    def stepper(step: int, label: str, css: str) -> pn.widgets.Button:
        button = pn.widgets.Button(
            label=label, sizing_mode="stretch_width", css_classes=[css],
        )  # fmt: skip

        def clicked(_event: Any) -> None:
            with pn.io.hold():  # the step's page changes in one message
                try:
                    step_trigger_point(state, step)
                except AtlasError as exc:
                    state.notice = exc.message

        button.on_click(clicked)
        return button

    row = pn.Row(
        stepper(-1, "\u2190 Previous trigger point", "tp-previous"),
        stepper(1, "Next trigger point \u2192", "tp-next"),
        sizing_mode="stretch_width", visible=bool(state.muscle), css_classes=["tp-stepper"],
    )  # fmt: skip
    state.param.watch(lambda e: setattr(row, "visible", bool(e.new)), ["muscle"])
    return row


def large_text_requested(query: Any) -> bool:
    """Whether a page's URL query asks for larger text (``text=large``)."""
    value = (query or {}).get("text")
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return value == "large"


def text_size_query(large: bool) -> dict[str, str]:
    """The deep-link parameter of the text size (nothing for the default size)."""
    return {"text": "large"} if large else {}


def text_size_toggle(page: Any, large: bool = False) -> widgets.Toggle:
    """A "Larger text" toggle that scales the text panel (adds a class to ``page``)."""
    toggle = widgets.Toggle(
        label="A+ Larger text", value=False, css_classes=["text-size"],
        margin=(12, 10), width=130,
    )  # fmt: skip

    def apply(event: Any) -> None:
        classes = [c for c in page.css_classes if c != LARGE_TEXT_CLASS]
        page.css_classes = [*classes, LARGE_TEXT_CLASS] if event.new else classes

    toggle.param.watch(apply, "value")
    toggle.value = large
    return toggle
