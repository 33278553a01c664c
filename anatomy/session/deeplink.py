"""Deep links: the atlas view as URL query parameters, and back, with validation.

A view link looks like::

    ?mode=clinician&muscle=upper_trapezius&side=right&tp=tp1
     &layers=skin,muscles,pleura&opacity=skin:0.35,skeleton:1,muscles:1,pleura:0.35
     &cam=0.0,-2.5,1.2,0.0,0.0,1.2,0,0,1

``cam`` is either a preset name or nine numbers (camera position, focal point and view-up,
metres in the atlas frame). Every value is checked; a bad value is dropped with a message in
words and the default used instead, so a mangled link still opens a working view. A link
without ``layers`` shows the layers of its mode (:func:`anatomy.scene.palette.mode_layers`:
clinicians see the lungs and pleura); a layer its mode does not offer (the lungs and pleura in
patient mode) is dropped with a message.

No Panel import: the state object and the tests use this module directly.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from anatomy.frame import MODES
from anatomy.scene.camera import PRESETS as CAMERA_PRESETS
from anatomy.scene.palette import LAYER_LABELS, LAYERS, layer_offered, mode_layers
from anatomy.scene.palette import OPACITY as DEFAULT_OPACITY

SIDES = ("right", "left")

MAX_VALUE_CHARS = 200  # longer query values are refused outright
# The body is ~1.8 m tall around the origin; a camera further than this is a broken link.
MAX_CAMERA_DISTANCE_M = 20.0
MIN_CAMERA_TO_FOCUS_M = 0.02
_ID = re.compile(r"^[a-z0-9_]{1,64}$")


@dataclass
class View:
    """A validated view: what a deep link can carry. Empty strings mean "nothing chosen"."""

    mode: str = "patient"
    muscle: str = ""
    side: str = "right"
    trigger_point: str = ""
    layers: tuple[str, ...] = mode_layers("patient")
    opacity: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_OPACITY))
    camera: dict[str, object] = field(default_factory=lambda: {"preset": "anterior"})


def _first(value: object) -> str:
    """A query value as one string (``pn.state.session_args`` gives lists of bytes)."""
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return str(value)


def camera_to_text(camera: Mapping[str, object]) -> str:
    """Encode a camera dict (``preset`` or position/focal_point/view_up) for a URL."""
    if "preset" in camera:
        return str(camera["preset"])
    numbers = [*camera["position"], *camera["focal_point"], *camera["view_up"]]  # type: ignore[misc]
    return ",".join(f"{float(v):.4g}" for v in numbers)


def parse_camera(text: str) -> dict[str, object]:
    """Decode ``cam``: a preset name or nine finite numbers in a plausible range.

    Raises
    ------
    ValueError
        With a sentence saying what is wrong.
    """
    text = text.strip()
    if text in CAMERA_PRESETS:
        return {"preset": text}
    parts = text.split(",")
    if len(parts) != 9:
        raise ValueError(
            f"camera must be one of {', '.join(CAMERA_PRESETS)} or 9 numbers, got {len(parts)} "
            "values"
        )
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise ValueError("camera values must be numbers") from None
    if not all(math.isfinite(v) for v in numbers):
        raise ValueError("camera values must be finite numbers")
    position, focal, up = numbers[0:3], numbers[3:6], numbers[6:9]
    if max(abs(v) for v in position + focal) > MAX_CAMERA_DISTANCE_M:
        raise ValueError(f"camera is more than {MAX_CAMERA_DISTANCE_M:g} m from the body")
    if math.dist(position, focal) < MIN_CAMERA_TO_FOCUS_M:
        raise ValueError("camera position and focal point coincide")
    if math.hypot(*up) < 1e-6:
        raise ValueError("camera view-up vector is zero")
    return {"position": position, "focal_point": focal, "view_up": up}


def uri_without_long_values(uri: str) -> str:
    """``uri`` less the query parameters whose name or value is over ``MAX_VALUE_CHARS``.

    Panel reads a page's query itself before the app sees it, turning digit strings into
    ``int`` (which Python refuses past 4,300 digits). The app keeps its own copy of the raw
    parameters, so a parameter dropped here is still refused with a notice in words.
    """
    path, sep, query = uri.partition("?")
    if not sep:
        return uri
    query, hash_sep, fragment = query.partition("#")
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if len(k) <= MAX_VALUE_CHARS and len(v) <= MAX_VALUE_CHARS]
    if len(kept) == len(pairs):
        return uri
    return path + ("?" + urlencode(kept) if kept else "") + hash_sep + fragment


def view_to_query(view: View) -> dict[str, str]:
    """The query parameters for a view (only those that carry information)."""
    query = {"mode": view.mode}
    if view.muscle:
        query["muscle"] = view.muscle
        query["side"] = view.side
        if view.trigger_point:
            query["tp"] = view.trigger_point
    query["layers"] = ",".join(view.layers)
    query["opacity"] = ",".join(f"{k}:{view.opacity[k]:.2g}" for k in LAYERS)
    query["cam"] = camera_to_text(view.camera)
    return query


def _parse_layers(text: str) -> tuple[str, ...]:
    names = [p.strip() for p in text.split(",") if p.strip()]
    unknown = [n for n in names if n not in LAYERS]
    if unknown:
        raise ValueError(f"unknown layer {unknown[0]!r}; layers are {', '.join(LAYERS)}")
    return tuple(n for n in LAYERS if n in names)


def _parse_opacity(text: str) -> dict[str, float]:
    out = dict(DEFAULT_OPACITY)
    for item in text.split(","):
        name, sep, value = item.partition(":")
        if not sep or name.strip() not in LAYERS:
            raise ValueError(f"opacity entries look like skin:0.35, got {item[:30]!r}")
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"opacity of {name.strip()} must be a number") from None
        if not 0.0 <= number <= 1.0:
            raise ValueError(f"opacity of {name.strip()} must be between 0 and 1")
        out[name.strip()] = number
    return out


def layers_for_mode(layers: tuple[str, ...] | None, mode: str) -> tuple[tuple[str, ...], list[str]]:
    """The layers a view in ``mode`` shows: a link's ``layers`` less those ``mode`` does not
    offer, or the mode's own (:func:`~anatomy.scene.palette.mode_layers`) when the link names
    none; and one sentence per layer dropped."""
    if layers is None:
        return mode_layers(mode), []
    dropped = [n for n in layers if not layer_offered(n, mode)]
    problems = [f"The {LAYER_LABELS[n].lower()} layer is not shown in {mode} mode."
                for n in dropped]  # fmt: skip
    return tuple(n for n in layers if n not in dropped), problems


def query_to_view(
    query: Mapping[str, object], trigger_points: Mapping[str, list[str]],
    locked_mode: str | None = None,
) -> tuple[View, list[str]]:  # fmt: skip
    """Validate query parameters into a :class:`View`.

    Parameters
    ----------
    query
        Parameter name to value (a string, or a list of str/bytes as Tornado gives them).
    trigger_points
        Every known muscle id mapped to its trigger-point ids.
    locked_mode
        The mode of a session locked to one: the view has it whatever the link says (a
        different mode in the link is a problem), and its layers are that mode's.

    Returns
    -------
    view, problems
        The view (defaults where a value was refused) and one sentence per refused value.
    """
    view, problems = View(), []
    raw = {k: _first(v) for k, v in query.items()}
    for key, value in list(raw.items()):
        if len(key) > MAX_VALUE_CHARS:
            problems.append(f"A link parameter's name is too long ({len(key)} characters); "
                            "ignored.")  # fmt: skip
            del raw[key]
        elif len(value) > MAX_VALUE_CHARS:
            problems.append(
                f"Link parameter {key!r} is too long ({len(value)} characters); ignored."
            )
            del raw[key]
    if "mode" in raw:
        if raw["mode"] in MODES:
            view.mode = raw["mode"]
        else:
            problems.append(f"Unknown mode {raw['mode'][:40]!r}; showing {view.mode} mode.")
    if locked_mode is not None:
        if "mode" in raw and view.mode != locked_mode:
            problems.append(
                f"This atlas is locked to {locked_mode} mode; the link's mode is ignored."
            )
        view.mode = locked_mode
    muscle = raw.get("muscle", "")
    if muscle:
        if _ID.match(muscle) and muscle in trigger_points:
            view.muscle = muscle
        else:
            problems.append(f"Unknown muscle {muscle[:40]!r} in the link; nothing selected.")
    if "side" in raw:
        if raw["side"] in SIDES:
            view.side = raw["side"]
        else:
            problems.append(f"Side must be left or right, not {raw['side'][:20]!r}; using right.")
    tp = raw.get("tp", "")
    if tp and view.muscle:
        if tp in trigger_points[view.muscle]:
            view.trigger_point = tp
        else:
            problems.append(f"Muscle {view.muscle} has no trigger point {tp[:40]!r}.")
    layers: tuple[str, ...] | None = None
    if "layers" in raw:
        try:
            layers = _parse_layers(raw["layers"])
        except ValueError as exc:
            problems.append(f"Link parameter 'layers': {exc}; using the default.")
    view.layers, dropped = layers_for_mode(layers, view.mode)
    problems += dropped
    for key, parse, attr in (
        ("opacity", _parse_opacity, "opacity"),
        ("cam", parse_camera, "camera"),
    ):
        if key in raw:
            try:
                setattr(view, attr, parse(raw[key]))
            except ValueError as exc:
                problems.append(f"Link parameter {key!r}: {exc}; using the default.")
    return view, problems
