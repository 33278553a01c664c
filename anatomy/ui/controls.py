"""The atlas page's widgets, each bound to :class:`AtlasState` (no logic of their own)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import panel as pn

from anatomy.errors import AtlasError
from anatomy.frame import MODE_LABELS
from anatomy.scene.palette import COLOUR_WORDS, LAYER_LABELS, LAYER_MODES, LAYERS, layer_offered
from anatomy.session.practice import DepthQuestion
from anatomy.session.state import LOOKUP_TOP, AtlasState
from anatomy.text import selection as text
from anatomy.ui import a11y, widgets
from anatomy.ui.handout_button import handout_button

CSS = (Path(__file__).with_name("atlas.css")).read_text(encoding="utf-8")
_NONE = "— choose a muscle —"
# Long names wrap inside their buttons instead of being cut off.
WRAP = [":host .bk-btn { white-space: normal; text-align: left; line-height: 1.3; }"]


def held(action: Callable[..., Any]) -> Callable[..., Any]:
    """``action`` with every page change it causes sent to the browser as one message.

    Without it each widget or view property that changes goes out as its own websocket
    message as soon as it is set (a muscle click set ~15), and the 3D view's highlight and
    markers arrive apart.
    """

    @functools.wraps(action)
    def run(*args: Any, **kwargs: Any) -> Any:
        with pn.io.hold():
            return action(*args, **kwargs)

    return run


@held
def _safely(state: AtlasState, action: Any, *args: Any) -> None:
    """Run a state method; an ``AtlasError`` becomes the notice instead of a traceback."""
    try:
        action(*args)
    except AtlasError as exc:
        state.notice = exc.message


def _on_click(button: pn.widgets.Button, state: AtlasState, action: Any, *args: Any) -> None:
    """Make ``button`` call ``action(*args)`` on the state (errors become the notice)."""

    def clicked(_event: Any) -> None:
        _safely(state, action, *args)

    button.on_click(clicked)


class _SendsOnlyText:
    """Mixin for text panes: a new ``object`` sends the browser its text and nothing else.

    Panel's markup panes send every property again when their text changes, stylesheets
    included, as new copies of the models the page already has. Swapping them changes the
    document's model graph, which makes the server walk the whole document (~20 ms) per pane,
    and the first text change of each pane in a session did so. This sends what the pane
    re-renders on (its ``_rerender_params``: the text, and an alert's CSS classes); other
    properties (visible...) go out as Panel sends them, one change at a time.
    """

    def _update(self, ref: str, model: Any) -> None:
        rerender = {p: getattr(self, p) for p in self._rerender_params}  # type: ignore[attr-defined]
        model.update(**self._process_param_change(rerender))  # type: ignore[attr-defined]


class TextPane(_SendsOnlyText, pn.pane.HTML):
    """An HTML pane whose text changes send only the text (see :class:`_SendsOnlyText`)."""


class NoticePane(_SendsOnlyText, pn.pane.Alert):
    """An alert whose text changes send only the text (see :class:`_SendsOnlyText`)."""


def html(obj: Any, **kwargs: Any) -> pn.pane.HTML:
    """An HTML pane carrying the atlas stylesheet (panes style their own shadow DOM)."""
    return TextPane(obj, stylesheets=[CSS], **kwargs)


def mode_switch(state: AtlasState) -> widgets.RadioButtonGroup:
    """Patient / Student / Clinician."""
    switch = widgets.RadioButtonGroup(
        options={label: mode for mode, label in MODE_LABELS.items()}, value=state.mode,
        color="primary", variant="outline",
        label="Mode", css_classes=["mode-switch"], margin=(12, 10),
    )  # fmt: skip
    _link_both_ways(switch, state, "mode")
    return switch


def _link_both_ways(widget: Any, state: AtlasState, name: str) -> None:
    """``widget.value`` and ``state.<name>`` follow each other (a change is one message)."""
    widget.param.watch(held(lambda e: setattr(state, name, e.new)), "value")
    state.param.watch(lambda e: setattr(widget, "value", e.new), [name])


def literal_markdown(message: str) -> str:
    """``message`` as Markdown that renders exactly as typed, never as HTML or a link.

    Notices quote what a link or a search box held (``?muscle=<img onerror=...>``), and
    Panel's Markdown (the Alert pane) passes raw HTML through: every ASCII punctuation
    character is backslash-escaped, which CommonMark turns back into that character as text.
    """
    return "".join("\\" + c if c in _PUNCTUATION else c for c in message)


_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def notice(state: AtlasState) -> pn.pane.Alert:
    """A visible message (e.g. a broken link was partly ignored), hidden when empty."""
    alert = NoticePane(
        literal_markdown(state.notice), alert_type="warning", visible=bool(state.notice)
    )

    def show(*_: Any) -> None:
        alert.param.update(object=literal_markdown(state.notice), visible=bool(state.notice))

    state.param.watch(show, ["notice"])
    return alert


def legend(state: AtlasState) -> pn.pane.HTML:
    """What the colours mean, in words (colour is never the only cue)."""

    def render(zones: dict, practice_active: bool, organs: bool) -> str:
        return a11y.legend_html(bool(zones), organs_shown=organs)

    return html(
        pn.bind(render, state.param.zones, state.param.practice_active, state.param.show_pleura),
        sizing_mode="stretch_width",
    )


def muscle_pickers(state: AtlasState) -> list[Any]:
    """Search with suggestions, a list grouped by body region, and the side."""
    search = widgets.AutocompleteInput(
        label="Find a muscle", options=list(state.index.labels), case_sensitive=False,
        search_strategy="includes", min_characters=1, restrict=False,
        placeholder="e.g. trapezius, calf, Musculus soleus", sizing_mode="stretch_width",
        css_classes=["muscle-search"],
    )  # fmt: skip
    search.param.watch(
        lambda e: _safely(state, state.select_by_text, e.new) if e.new.strip() else None, "value"
    )
    groups = {"": {_NONE: ""}, **state.index.by_region}
    chooser = widgets.Select(
        label="Or choose from the list", groups=groups, value=state.muscle,
        sizing_mode="stretch_width", css_classes=["muscle-list"],
    )  # fmt: skip

    def chosen(event: Any) -> None:
        if event.new == state.muscle:
            return  # the list following the state (below), not a person's choice
        if event.new:
            _safely(state, state.select_muscle, event.new)
        else:
            _safely(state, state.clear_selection)

    chooser.param.watch(chosen, "value")
    side = widgets.RadioButtonGroup(
        label="Side", options={"Right side": "right", "Left side": "left"}, value=state.side,
        sizing_mode="stretch_width", css_classes=["side-switch"],
    )  # fmt: skip
    _link_both_ways(side, state, "side")
    state.param.watch(lambda e: setattr(chooser, "value", e.new), ["muscle"])
    return [search, chooser, side]


def trigger_point_list(state: AtlasState) -> pn.Column:
    """One button per trigger point of the selected muscle; the selected one stands out.

    The buttons are made once (as many as the muscle with most trigger points needs) and
    relabelled on every selection: new widgets per click cost the server ~10x more.
    """
    most = max((len(m.trigger_points) for m in state.content.muscles), default=0)
    heading = pn.pane.HTML("<b>Trigger points</b>", margin=(4, 10, 0, 10), visible=False)
    buttons = [
        pn.widgets.Button(label="", sizing_mode="stretch_width", visible=False)
        for _ in range(most)
    ]  # fmt: skip
    shown: list[str] = [""] * most  # the trigger point id each button stands for

    def choose(i: int) -> None:
        if shown[i]:
            _safely(state, state.select_trigger_point, shown[i])

    for i, button in enumerate(buttons):
        _on_click(button, state, choose, i)

    def rebuild(*_: Any) -> None:
        tps = state.content.muscle(state.muscle).trigger_points if state.muscle else []
        heading.visible = bool(tps)
        for i, button in enumerate(buttons):
            if i >= len(tps):  # hidden, and no stale tp-<id> class for tests to find
                shown[i] = ""
                button.param.update(visible=False, css_classes=["tp-button"])
                continue
            tp = tps[i]
            shown[i] = tp.id
            button.param.update(
                label=tp.name, visible=True, css_classes=["tp-button", f"tp-{tp.id}"],
                color="primary" if tp.id == state.trigger_point else "light",
            )  # fmt: skip

    state.param.watch(rebuild, ["muscle", "trigger_point"])
    rebuild()
    return pn.Column(heading, *buttons, sizing_mode="stretch_width", css_classes=["tp-list"])


def needle_button(state: AtlasState) -> pn.widgets.Button:
    """"See the needle line from the side": shown while a needle line is drawn (a clinician's
    trigger point over the trunk), it turns the camera at right angles to the line."""
    button = pn.widgets.Button(
        label="See the needle line from the side", color="light", sizing_mode="stretch_width",
        css_classes=["needle-view"], visible=bool(state.needle),
        description="Turn the view to see the whole needle line, skin to pleura, from the side",
    )  # fmt: skip
    _on_click(button, state, state.view_needle)
    state.param.watch(lambda e: setattr(button, "visible", bool(e.new)), ["needle"])
    return button


# The tooltip of every result button. Each result's reason is listed under the buttons; a
# tooltip per result would be a new Bokeh model per button and lookup, and each new model makes
# the server walk the session's whole document (~20 ms).
HIT_TOOLTIP = "Select this muscle and show where its trigger point refers pain"


def where_does_it_hurt(state: AtlasState) -> pn.Column:
    """The skin-pick toggle and the ranked muscles, each a button that selects it."""
    toggle = widgets.Toggle(
        label="Where does it hurt? Click the skin", value=state.pick_mode == "skin",
        color="warning", sizing_mode="stretch_width", css_classes=["where-toggle"],
    )  # fmt: skip
    toggle.param.watch(
        held(lambda e: setattr(state, "pick_mode", "skin" if e.new else "select")), "value"
    )
    state.param.watch(lambda e: setattr(toggle, "value", e.new == "skin"), ["pick_mode"])
    # Result buttons made on the first lookup, then relabelled (see trigger_point_list), and
    # the reasons in one text pane: every HTML pane update costs the server a document walk.
    # Turning the mode off hides the whole column (one change) and keeps the results in it.
    heading = html(text.lookup_html([]))
    buttons: list[Any] = []
    reasons = html("", visible=False, sizing_mode="stretch_width", css_classes=["hit-reasons"])
    results = pn.Column(
        heading, reasons, sizing_mode="stretch_width", css_classes=["lookup-results"],
        visible=state.pick_mode == "skin",
    )  # fmt: skip

    def make_buttons() -> None:
        for i in range(LOOKUP_TOP):
            button = pn.widgets.Button(
                label="", sizing_mode="stretch_width", color="light",
                css_classes=["hit-button"], visible=False, description=HIT_TOOLTIP,
            )  # fmt: skip
            _on_click(button, state, state.choose_hit, i)
            buttons.append(button)
        results.objects = [heading, *buttons, reasons]

    def show(*_: Any) -> None:
        results.visible = state.pick_mode == "skin"

    def rebuild(*_: Any) -> None:
        hits = state.lookup_hits
        if hits and not buttons:
            make_buttons()
        heading.object = (
            text.lookup_html([]) if not hits
            else "<p><b>Muscles that can refer pain here</b> (best first):</p>"
        )  # fmt: skip
        for i, button in enumerate(buttons):
            if i >= len(hits):
                button.visible = False
                continue
            button.param.update(label=f"{i + 1}. {hits[i]['label']}", visible=True)
        why = "".join(f"<li>{text.esc(h['why'])}</li>" for h in hits)
        reasons.param.update(
            object=f"<p class='why'><b>Why:</b></p><ol class='why'>{why}</ol>" if hits else "",
            visible=bool(hits),
        )

    state.param.watch(rebuild, ["lookup_hits"])
    state.param.watch(show, ["pick_mode"])
    rebuild()
    return pn.Column(toggle, results, sizing_mode="stretch_width")


def layers(state: AtlasState, viewer: Any) -> pn.Card:
    """Layer toggles, opacities and camera presets, in a card that starts closed.

    Its 13 controls are made (and sent) when a person first opens it: a fifth of a page's
    models, which every new session would otherwise cost the server while others click.
    A layer that the mode does not offer (the lungs and pleura for patients) is hidden, and
    in a session locked to such a mode its controls are never made.
    """
    card = widgets.Card(
        title="Layers and view", collapsed=True, sizing_mode="stretch_width",
        css_classes=["layers-card"],
    )  # fmt: skip

    def opened(*_: Any) -> None:
        if not card.collapsed and not card.objects:
            card.objects = _layer_rows(state)

    card.param.watch(opened, "collapsed")
    return card


def _layer_rows(state: AtlasState) -> list[Any]:
    rows: list[Any] = []
    for name in LAYERS:
        if state.mode_locked and not layer_offered(name, state.mode):
            continue
        label = LAYER_LABELS[name]
        box = widgets.Checkbox.from_param(
            state.param[f"show_{name}"], label=label, margin=(8, 10, 0, 10),
            css_classes=[f"layer-{name}"],
        )  # fmt: skip
        slider = pn.widgets.FloatSlider.from_param(
            state.param[f"opacity_{name}"], label=f"{label} opacity", step=0.05,
            sizing_mode="stretch_width", css_classes=[f"opacity-{name}"],
        )  # fmt: skip
        if name in LAYER_MODES:  # hidden as a group: the layer rows' own display is fixed
            group = pn.Column(box, slider, sizing_mode="stretch_width", margin=0,
                              css_classes=[f"{name}-controls"])  # fmt: skip
            _offer_in_mode(state, name, group)
            rows.append(group)
        else:
            rows += [box, slider]
    presets = []
    for preset in ("anterior", "posterior", "left", "right", "focus"):
        button = pn.widgets.Button(
            label=preset.capitalize(), color="light", width=70, css_classes=[f"cam-{preset}"]
        )
        _on_click(button, state, state.set_camera_preset, preset)
        presets.append(button)
    # Two rows of buttons: Bokeh makes a Row at least as wide as all its buttons side by side
    # (a wrapping Row of five pushed the card out of the 300 px sidebar), and a FlexBox is a
    # ReactiveHTML component that costs each new session twice as much server time.
    rows += [pn.Row(*presets[:3], sizing_mode="stretch_width"),
             pn.Row(*presets[3:], sizing_mode="stretch_width")]  # fmt: skip
    return rows


def _offer_in_mode(state: AtlasState, layer: str, controls: Any) -> None:
    """Show ``controls`` only in the modes that offer ``layer``."""

    def show(*_: Any) -> None:
        controls.visible = layer_offered(layer, state.mode)

    state.param.watch(show, ["mode"])
    show()


def practice_card(state: AtlasState) -> pn.Column:
    """The practice card of student mode, built the first time the session is in student mode.

    Most sessions never practise: the card's widgets are not made (nor sent) until needed.
    """
    holder = pn.Column(
        sizing_mode="stretch_width", visible=False, margin=0, css_classes=["practice-holder"]
    )

    def show(*_: Any) -> None:
        student = state.mode == "student"
        if student and not holder.objects:
            holder.objects = [_practice_card(state)]
        holder.visible = student

    state.param.watch(show, ["mode"])
    show()
    return holder


def _practice_card(state: AtlasState) -> pn.Card:
    """Student practice: "which muscle refers pain to the painted area?", scored."""
    prompt = html("", sizing_mode="stretch_width", css_classes=["practice-prompt"])
    choices = pn.Column(sizing_mode="stretch_width", css_classes=["practice-choices"])
    start = pn.widgets.Button(
        label="Which muscle refers here?", color="primary", css_classes=["practice-start"]
    )
    start_depth = pn.widgets.Button(
        label="Which is deeper?", color="primary", css_classes=["practice-start-depth"],
        description="Two points over the chest wall: under which is the pleura nearer the skin?",
    )  # fmt: skip
    nxt = pn.widgets.Button(
        label="Next question", color="primary", css_classes=["practice-next"]
    )
    stop = pn.widgets.Button(label="Stop", color="light", css_classes=["practice-stop"])
    start.on_click(lambda _e: _safely(state, state.start_practice, "zone"))
    start_depth.on_click(lambda _e: _safely(state, state.start_practice, "depth"))
    nxt.on_click(lambda _e: _safely(state, state.next_question))
    stop.on_click(held(lambda _e: state.stop_practice()))

    def rebuild(*_: Any) -> None:
        p, q = state.practice, state.practice.question
        active = state.practice_active and q is not None
        start.visible = start_depth.visible = not active
        nxt.visible, stop.visible = active, active
        if q is None or not active:
            score = f" Score so far: {p.score_text}." if p.asked else ""
            prompt.object = (
                "<p>Test yourself: the atlas paints a referral zone and you name the muscle, "
                "or it marks two points over the chest wall and you say under which the "
                f"pleura lies nearer the skin.{score}</p>"
            )
            choices.objects = []
            return
        if isinstance(q, DepthQuestion):
            _depth_question(state, q, prompt, choices)
            return
        lines = [f"<p><b>Which muscle refers pain to the painted area</b> ({q.side} side)?</p>"]
        if p.answer is not None:
            right = p.answer == q.muscle
            name = text.muscle_title(state.content.muscle(q.muscle), "student")
            tp_name = state.content.trigger_point(q.muscle, q.trigger_point).name
            verdict = "Correct" if right else "Not this time"
            lines.append(
                f'<p class="feedback {"right" if right else "wrong"}"><b>{verdict}.</b> '
                f"It is the {text.esc(name)} ({text.esc(tp_name)}).</p>"
            )
        lines.append(f'<p class="score">Score: {p.score_text}</p>')
        prompt.object = "".join(lines)
        buttons = []
        for mid in q.choices:
            label = text.muscle_title(state.content.muscle(mid), "student")
            kind = "light"
            if p.answer is not None:
                kind = "success" if mid == q.muscle else ("danger" if mid == p.answer else "light")
            b = pn.widgets.Button(
                label=label,
                color=kind,
                sizing_mode="stretch_width",
                css_classes=["practice-choice", f"choice-{mid}"],
                disabled=p.answer is not None,
            )
            _on_click(b, state, state.answer_practice, mid)
            buttons.append(b)
        choices.objects = buttons

    state.param.watch(rebuild, ["practice_active", "practice_revision"])
    rebuild()
    return pn.Card(
        prompt,
        choices,
        pn.Row(start, start_depth),
        pn.Row(nxt, stop),
        title="Practice",
        sizing_mode="stretch_width",
        css_classes=["practice-card"],
    )


def _point_words(state: AtlasState, muscle: str, tp: str) -> str:
    """A trigger point's name (it names its muscle: "Rhomboid major", "Teres major, ...")."""
    return str(state.content.trigger_point(muscle, tp).name)


def _depth_question(state: AtlasState, q: DepthQuestion, prompt: Any, choices: Any) -> None:
    """The prompt and the two points' buttons of a depth question, with the answer's
    depths once answered."""
    p = state.practice
    looks = (COLOUR_WORDS["marker_selected"], COLOUR_WORDS["marker"])
    lines = [f"<p><b>Under which point does the pleura lie nearer the skin</b>, straight in, "
             f"in this model ({q.side} side)?</p>"]  # fmt: skip
    if p.answer is not None:
        right = p.answer == q.right
        depths = "; ".join(
            f"Point {letter} ({text.esc(_point_words(state, m, tp))}): {mm:.0f} mm"
            for letter, (m, tp), mm in zip("AB", q.points, q.depths_mm, strict=True)
        )
        lines.append(
            f'<p class="feedback {"right" if right else "wrong"}"><b>'
            f'{"Correct" if right else "Not this time"}.</b> Skin to pleura in this model: '
            f"{depths}. One generic body: in a patient these depths differ by build.</p>"
        )
    lines.append(f'<p class="score">Score: {p.score_text}</p>')
    prompt.object = "".join(lines)
    buttons = []
    for letter, key, look, (m, tp) in zip("AB", q.choices, looks, q.points, strict=True):
        kind = "light"
        if p.answer is not None:
            kind = "success" if key == q.right else ("danger" if key == p.answer else "light")
        b = pn.widgets.Button(
            label=f"Point {letter} ({look}): {_point_words(state, m, tp)}", color=kind,
            sizing_mode="stretch_width", disabled=p.answer is not None, stylesheets=WRAP,
            css_classes=["practice-choice", f"choice-point-{letter.lower()}"],
        )  # fmt: skip
        _on_click(b, state, state.answer_practice, key)
        buttons.append(b)
    choices.objects = buttons


def sidebar(state: AtlasState, viewer: Any) -> pn.Column:
    """The left column: find a muscle, its trigger points, where it hurts, practice, layers."""
    return pn.Column(
        *muscle_pickers(state), trigger_point_list(state), a11y.trigger_point_stepper(state),
        needle_button(state), handout_button(state),
        where_does_it_hurt(state),
        practice_card(state), layers(state, viewer),
        width=300, sizing_mode="stretch_height", scroll=True, css_classes=["sidebar"],
    )  # fmt: skip
