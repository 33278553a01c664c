"""The atlas app's state: what is selected, shown and asked; no Panel import.

:class:`AtlasState` is the single source of truth of a browser session. Widgets and the 3D
view (see :mod:`anatomy.ui.layout`) only set it through its methods and draw what it holds,
so the behaviour is testable without a browser.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import param

from anatomy.errors import AtlasError
from anatomy.scene.describe import (
    SceneView,
    Selection,
    describe,
    facing,
    needle_of,
    points_camera,
    zone_ids,
    zone_view,
)
from anatomy.scene.needle import needle_camera
from anatomy.scene.palette import LAYER_ON_IN, OPACITY, mode_layers
from anatomy.session import deeplink
from anatomy.session.deeplink import LAYERS, MODES, SIDES
from anatomy.session.practice import DepthQuestion, Practice
from anatomy.text import explainer
from anatomy.text import needle as needle_text
from anatomy.text import selection as text
from anatomy.text.search import MuscleIndex

LOOKUP_TOP = 8
PRACTICE_KINDS = ("zone", "depth")
# A depth question's marker (on the skin) still shows when something lies this close in front.
SIGHT_CLEARANCE_M = 0.012


class AtlasState(param.Parameterized):
    """Everything one session shows, with the operations a user can perform.

    Parameters
    ----------
    atlas
        An ``anatomy.atlas.model.Atlas`` (or an object with the same ``content``,
        ``trigger_point_position``, ``zone_vertices`` and ``lookup``).
    """

    mode: param.Selector = param.Selector(default="patient", objects=list(MODES))
    mode_locked = param.Boolean(
        default=False, constant=True,
        doc="the mode can never change (``myoatlas serve --mode patient --lock-mode``)",
    )  # fmt: skip
    muscle = param.String(default="", doc="selected muscle record id, '' for none")
    side: param.Selector = param.Selector(default="right", objects=list(SIDES))
    trigger_point = param.String(default="", doc="selected trigger point id, '' for none")
    show_skin = param.Boolean(default=True)
    show_skeleton = param.Boolean(default=True)
    show_muscles = param.Boolean(default=True)
    show_pleura = param.Boolean(default=False, doc=(
        "the lungs and pleura: on in clinician mode, off in the others (a switch of mode sets "
        "it); patient mode never shows them"))
    opacity_skin = param.Number(default=OPACITY["skin"], bounds=(0.0, 1.0))
    opacity_skeleton = param.Number(default=OPACITY["skeleton"], bounds=(0.0, 1.0))
    opacity_muscles = param.Number(default=OPACITY["muscles"], bounds=(0.0, 1.0))
    opacity_pleura = param.Number(default=OPACITY["pleura"], bounds=(0.0, 1.0))
    camera = param.Dict(default={"preset": "anterior"}, doc=(
        "a preset or position/focal/up, with an optional section (metres from the camera: "
        "what lies nearer is cut away; the side view of a needle line)"))
    pick_mode: param.Selector = param.Selector(default="select", objects=["select", "skin"])
    lookup_hits = param.List(default=[], doc="ranked 'where does it hurt' results as dicts")
    lookup_point = param.Parameter(default=None, doc="the skin point last looked up")
    notice = param.String(default="", doc="a message for the user (e.g. a bad link)")
    # What the 3D view draws, derived from the above.
    highlighted = param.List(default=[], doc="mesh ids of the highlighted muscle")
    markers = param.List(default=[], doc="trigger-point markers: id, label, position")
    zones = param.Dict(default={}, doc="skin vertex ids: {'essential': ..., 'spillover': ...}")
    needle = param.Dict(default=None, allow_None=True, doc=(
        "the selected trigger point's needle line (clinician mode, a point with a depth "
        "profile; anatomy.scene.needle.needle_view), None otherwise"))
    # Practice (student mode).
    practice_active = param.Boolean(default=False)
    practice_revision = param.Integer(default=0, doc="bumped on every practice change")

    def __init__(self, atlas: Any, *, practice_seed: int | None = None, **params: Any) -> None:
        super().__init__(**params)
        if self.mode_locked:  # setting it now raises TypeError, whatever the caller
            self.param.mode.constant = True
        # The layers that depend on the mode start as the starting mode has them.
        shown = mode_layers(self.mode)
        self.param.update({f"show_{n}": n in shown for n in LAYER_ON_IN
                           if f"show_{n}" not in params})  # fmt: skip
        self.atlas = atlas
        self.content = atlas.content
        # The same for every session of this content: built once, shared.
        self.index = _shared_index(self.content)
        self.practice = Practice(_shared_practice_pool(self.content), seed=practice_seed)
        self.param.watch(self._refresh_scene, ["muscle", "side", "trigger_point"])
        self.param.watch(self._mode_changed, ["mode"])

    # --- selection -------------------------------------------------------------------------
    def select_muscle(self, muscle_id: str, side: str | None = None) -> None:
        """Select a muscle record (and optionally a side); clears the trigger point.

        Raises
        ------
        AtlasError
            If ``muscle_id`` is not a muscle of the content or ``side`` not left/right.
        """
        self.content.muscle(muscle_id)  # raises AtlasError with a suggestion
        if side is not None and side not in SIDES:
            raise AtlasError(f"side must be left or right, not {side!r}")
        self.param.update(muscle=muscle_id, side=side or self.side, trigger_point="", notice="")

    def select_by_text(self, query: str) -> bool:
        """Select the best muscle for a typed name (Latin, common or patient name).

        Returns False, with a notice, when nothing matches.
        """
        found = self.index.search(query, limit=1)
        if not found:
            self.notice = f"No muscle matches {query.strip()[:60]!r}."
            return False
        self.select_muscle(found[0])
        return True

    def select_trigger_point(self, trigger_point_id: str, muscle_id: str | None = None) -> None:
        """Select a trigger point of the selected muscle (or of ``muscle_id``)."""
        muscle = muscle_id or self.muscle
        if not muscle:
            raise AtlasError("select a muscle before choosing a trigger point")
        self.content.trigger_point(muscle, trigger_point_id)  # raises AtlasError if unknown
        self.param.update(muscle=muscle, trigger_point=trigger_point_id, notice="")
        self.face_zone()

    def clear_selection(self) -> None:
        """Select nothing."""
        self.param.update(muscle="", trigger_point="")

    def set_side(self, side: str) -> None:
        """Show the selected muscle (and trigger point) on ``side``."""
        if side not in SIDES:
            raise AtlasError(f"side must be left or right, not {side!r}")
        self.side = side

    def handle_pick(self, event: Mapping[str, Any]) -> None:
        """React to a click in the 3D view: ``{kind: muscle|marker|skin, id, position, vertex}``.

        A muscle click selects it on the clicked side, a marker click selects that trigger
        point, a skin click runs "where does it hurt?" when that mode is on.
        """
        kind, ident = event.get("kind"), str(event.get("id") or "")
        if kind == "muscle":
            geometry_id, side = event.get("muscle"), event.get("side")
            if not geometry_id:  # only a mesh id such as "soleus_left"
                geometry_id, _, side = ident.rpartition("_")
            if side not in SIDES:
                side = self.side
            try:
                record = self.content.muscle_for_mesh(geometry_id)
            except AtlasError:
                return  # a click on something that is not an annotated muscle
            self.select_muscle(record.id, side)
        elif kind == "marker" and self.muscle:
            tp_id = ident.rsplit(":", 1)[-1]
            self.select_trigger_point(tp_id)
        elif kind == "skin" and self.pick_mode == "skin":
            self.where_does_it_hurt(point=event.get("position"), vertex=event.get("vertex"))

    # --- "where does it hurt?" ------------------------------------------------------------
    def where_does_it_hurt(
        self, point: Any = None, vertex: int | None = None, vertices: Any = None
    ) -> list[dict]:
        """Rank the muscles whose referral zones cover a skin point, vertex or painted area.

        One row per muscle and side, with its best trigger point first (the others that also
        cover the spot are named in ``also``), at most ``LOOKUP_TOP`` rows.
        """
        if vertices is not None:
            query: dict[str, Any] = {"vertices": np.asarray(vertices, dtype=np.int64).ravel()}
        elif vertex is not None:
            query = {"vertices": np.array([int(vertex)])}
        elif point is not None:
            query = {"points": np.asarray(point, dtype=float).reshape(1, 3)}
        else:
            raise AtlasError("where_does_it_hurt needs a point, a skin vertex or vertices")
        hits = self.atlas.lookup(**query, top=LOOKUP_TOP * 4)
        rows: dict[tuple[str, str], dict] = {}
        for hit in hits:
            muscle = self.content.muscle(hit.muscle)
            tp = muscle.trigger_point(hit.trigger_point)
            key = (hit.muscle, hit.side)
            if key in rows:
                rows[key]["also"].append(tp.name)
                continue
            if len(rows) == LOOKUP_TOP:
                continue
            rows[key] = {
                "muscle": hit.muscle, "side": hit.side, "trigger_point": hit.trigger_point,
                "score": float(hit.score), "zone": hit.zone, "why": hit.why, "also": [],
                "label": f"{text.muscle_title(muscle, 'student')} ({hit.side}) — {tp.name}",
                "plain_name": muscle.patient_name,
            }  # fmt: skip
        self.lookup_point = None if point is None else [float(v) for v in np.ravel(point)]
        self.lookup_hits = list(rows.values())
        if not rows:
            self.notice = "No referral zone in this atlas covers that spot."
        return self.lookup_hits

    def choose_hit(self, index: int) -> None:
        """Select the muscle, side and trigger point of lookup result ``index``."""
        hit = self.lookup_hits[index]
        self.param.update(
            muscle=hit["muscle"], side=hit["side"], trigger_point=hit["trigger_point"]
        )
        self.face_zone()

    # --- practice ---------------------------------------------------------------------------
    def start_practice(self, kind: str = "zone") -> None:
        """Start practice with a new question; student mode only.

        ``kind``: ``zone`` ("which muscle refers pain to the painted area?") or ``depth``
        ("under which of two points does the pleura lie closer to the skin?").
        """
        if self.mode != "student":
            raise AtlasError("practice is part of student mode")
        if kind not in PRACTICE_KINDS:
            raise AtlasError(f"practice is one of {', '.join(PRACTICE_KINDS)}, not {kind!r}")
        self.practice_active = True
        self.next_question(kind)

    @property
    def practice_kind(self) -> str:
        """The kind of the current practice question (``zone`` before any)."""
        return "depth" if isinstance(self.practice.question, DepthQuestion) else "zone"

    def next_question(self, kind: str | None = None) -> None:
        """A new question of ``kind`` (default: the kind of the current one)."""
        if (kind or self.practice_kind) == "depth":
            self._next_depth_question()
            return
        q = self.practice.next_question()
        self._paint(q.muscle, q.trigger_point, q.side)
        self.param.update(highlighted=[], markers=[], needle=None,
                          practice_revision=self.practice_revision + 1)  # fmt: skip
        self.face_zone()

    def _next_depth_question(self) -> None:
        """Mark two points on the skin over the chest wall, each where a needle for a trigger
        point goes in, and ask under which the pleura is nearer the skin (in this body)."""
        side = self.practice.pick_side()

        def entry(m: str, tp: str) -> list[float]:
            return [float(v) for v in self.atlas.depths.profile(m, tp, side).line.entry]

        def both_seen(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
            return _shared_both_seen(self.atlas, entry(*a[:2]), entry(*b[:2]))

        if getattr(self.atlas, "depths", None) is None:
            raise AtlasError("this atlas has no depth profiles to ask about")
        try:
            q = self.practice.next_depth_question(_shared_pleura_depths(self.atlas, side),
                                                  side, can_pair=both_seen)  # fmt: skip
        except ValueError as exc:
            raise AtlasError(f"no depth question: {exc}") from None
        markers = [{"id": f"{m}:{tp}", "label": f"Point {letter}", "selected": letter == "A",
                    "position": entry(m, tp)}
                   for letter, (m, tp) in zip("AB", q.points, strict=True)]  # fmt: skip
        self.param.update(highlighted=[], markers=markers, zones={}, needle=None,
                          practice_revision=self.practice_revision + 1)  # fmt: skip
        camera = points_camera(self.atlas, [mk["position"] for mk in markers])
        if camera is not None:
            self.camera = {k: camera[k] for k in ("position", "focal_point", "view_up")}

    def answer_practice(self, choice: str) -> bool:
        """Score an answer (a muscle id; for a depth question a point's ``muscle/point``
        key); reveals the right muscle and its trigger point, or both points' muscles."""
        right = self.practice.submit(choice)
        q = self.practice.question
        assert q is not None  # submit() raised otherwise
        if isinstance(q, DepthQuestion):
            self.highlighted = [h for m, _ in q.points
                                for h in self.scene_view(Selection(m, q.side)).highlight]
        else:
            view = self.scene_view(Selection(q.muscle, q.side, q.trigger_point, self.mode))
            self.highlighted = list(view.highlight)
            self.markers = [m.as_dict() for m in view.markers if m.selected]
        self.practice_revision += 1
        return right

    def stop_practice(self) -> None:
        """Leave practice and show the selection again."""
        self.practice_active = False
        self.practice_revision += 1
        self._refresh_scene()

    def face_zone(self) -> str | None:
        """Turn the camera to the painted zone: from the side it faces, close enough to see it.

        The camera is :func:`anatomy.scene.describe.zone_view`'s, as in every other view of
        the atlas. Returns the side (a preset name), or None when nothing is painted or the
        atlas has no skin mesh.
        """
        selected = [m["position"] for m in self.markers if m.get("selected")]
        preset, camera = zone_view(self.atlas, self.zones, selected)
        if camera is not None:
            self.camera = {k: camera[k] for k in ("position", "focal_point", "view_up")}
        return preset

    def view_needle(self) -> None:
        """Turn the camera to see the needle line from the side, its whole length in view.

        Raises
        ------
        AtlasError
            When no needle line is shown.
        """
        if not self.needle:
            raise AtlasError("choose a trigger point over the chest or back in clinician mode "
                             "to see its needle line", key="camera")  # fmt: skip
        camera = needle_camera(self.needle)
        self.camera = {k: camera[k] for k in ("position", "focal_point", "view_up", "section")}

    def set_camera_preset(self, preset: str) -> None:
        """Ask for a camera preset (re-sent even when it is the current one)."""
        if preset not in deeplink.CAMERA_PRESETS:
            raise AtlasError(f"unknown camera preset {preset!r}")
        if self.camera == {"preset": preset}:
            self.param.trigger("camera")
        else:
            self.camera = {"preset": preset}

    # --- deep links ------------------------------------------------------------------------
    def to_query(self) -> dict[str, str]:
        """The current view as URL query parameters (see :mod:`anatomy.session.deeplink`)."""
        view = deeplink.View(
            mode=self.mode, muscle=self.muscle, side=self.side,
            trigger_point=self.trigger_point,
            layers=tuple(n for n in LAYERS if getattr(self, f"show_{n}")),
            opacity={n: float(getattr(self, f"opacity_{n}")) for n in LAYERS},
            camera=dict(self.camera),
        )  # fmt: skip
        return deeplink.view_to_query(view)

    def from_query(self, query: Mapping[str, Any]) -> list[str]:
        """Restore a view from URL query parameters; returns what was refused, in words.

        Unknown or malformed values never raise: they are replaced by defaults and
        reported in :attr:`notice`, so every link opens a working view.
        """
        known = {m.id: [tp.id for tp in m.trigger_points] for m in self.content.muscles}
        view, problems = deeplink.query_to_view(
            query, known, locked_mode=self.mode if self.mode_locked else None
        )
        if not self.mode_locked:
            self.mode = view.mode  # first: a switch of mode shows that mode's layers...
        updates: dict[str, Any] = {
            "muscle": view.muscle, "side": view.side,
            "trigger_point": view.trigger_point, "camera": view.camera,
            "notice": " ".join(problems),
        }  # fmt: skip
        for name in LAYERS:  # ...then the link's own
            updates[f"show_{name}"] = name in view.layers
            updates[f"opacity_{name}"] = view.opacity[name]
        self.param.update(**updates)
        if view.trigger_point and "cam" not in query:
            self.face_zone()  # a link to a trigger point opens on its zone, as a click does
        return problems

    # --- text -------------------------------------------------------------------------------
    @param.depends("mode", "muscle", "side", "trigger_point")
    def detail_html(self) -> str:
        """HTML for the selected muscle / trigger point in the current mode; for a clinician,
        a trigger point over the trunk adds its needle depths on the current side."""
        page = _shared_selection(self.content, self.mode, self.muscle, self.trigger_point)
        if self.mode == "clinician" and self.trigger_point:
            page += _shared_depth(self.atlas, self.muscle, self.trigger_point, self.side)
        return page

    @param.depends("mode")
    def explainer_html(self) -> str:
        """HTML of the 'About dry needling' explainer in the current mode."""
        return _shared_explainer(self.content, self.mode)

    @param.depends("mode")
    def disclaimer_html(self) -> str:
        """The 'educational, not a diagnosis' notice in the current mode."""
        return _shared_disclaimer(self.content, self.mode)

    # --- internals --------------------------------------------------------------------------
    def _mode_changed(self, _event: Any) -> None:
        if self.practice_active and self.mode != "student":
            self.stop_practice()
        # Switching mode shows the layers of the new mode: the lungs and pleura go on for a
        # clinician and off for a student or a patient (a student can turn them on again).
        shown = mode_layers(self.mode)
        updates: dict[str, Any] = {f"show_{n}": n in shown for n in LAYER_ON_IN}
        if not self.practice_active:  # the needle line is a clinician's
            updates["needle"] = needle_of(
                self.atlas, Selection(self.muscle, self.side, self.trigger_point, self.mode))
        self.param.update(updates)

    def scene_view(self, selection: Selection | None = None) -> SceneView:
        """What the 3D view shows for ``selection`` (default: the current one)."""
        if selection is None:
            selection = Selection(self.muscle, self.side, self.trigger_point, self.mode)
        return describe(self.atlas, selection, cameras=False)

    def _paint(self, muscle_id: str, tp_id: str, side: str) -> None:
        record = self.content.muscle(muscle_id)
        self.zones = zone_ids(self.atlas, record.id, tp_id, side)

    def _refresh_scene(self, *_events: Any) -> None:
        if self.practice_active:
            self.practice_active = False  # selecting something ends the practice question
            self.practice_revision += 1
        if not self.muscle:
            self.param.update(highlighted=[], markers=[], zones={}, needle=None)
            return
        view = self.scene_view()
        # One batch: the view's watchers run once, with highlight, markers and zones together.
        self.param.update(highlighted=list(view.highlight), needle=view.needle,
                          markers=[m.as_dict() for m in view.markers], zones=view.zones)


# --- what every session of one content shares (anatomy.text.selection.shared) ----------------
def _shared_index(content: Any) -> MuscleIndex:
    return text.shared(content, "index", lambda: MuscleIndex(content))


def _shared_practice_pool(content: Any) -> tuple[tuple[str, str, str], ...]:
    return text.shared(content, "practice_pool", lambda: tuple(
        (m.id, tp.id, m.region) for m, tp in content.trigger_points()))  # fmt: skip


def _shared_selection(content: Any, mode: str, muscle: str, trigger_point: str) -> str:
    return text.shared(content, ("selection", mode, muscle, trigger_point),
                       lambda: text.selection_html(content, mode, muscle, trigger_point))


def _shared_depth(atlas: Any, muscle: str, trigger_point: str, side: str) -> str:
    """A trigger point's needle depths in clinician words ("" for a point without a profile)."""
    def build() -> str:
        depths = getattr(atlas, "depths", None)
        profile = depths.profile(muscle, trigger_point, side) if depths is not None else None
        return needle_text.depth_html(atlas.content, profile) if profile is not None else ""

    return text.shared(atlas.content, ("depth", id(atlas), muscle, trigger_point, side), build)


def _shared_pleura_depths(atlas: Any, side: str) -> list[tuple[str, str, float, str]]:
    """``(muscle, trigger point, skin-to-pleura mm, front|back)`` for every point with pleura
    on its line on ``side``: the depth questions' pool (a question pairs points that face the
    same way, so that one view shows both)."""

    def build() -> list[tuple[str, str, float, str]]:
        out = []
        for muscle, tp in atlas.depths.points():
            profile = atlas.depths.profile(muscle, tp, side)
            if profile is not None and profile.line.pleura_mm is not None:
                face = "back" if facing(atlas, profile.line.entry) > 0 else "front"
                out.append((muscle, tp, float(profile.line.pleura_mm), face))
        return out

    return text.shared(atlas.content, ("pleura_depths", id(atlas), side), build)


def _shared_both_seen(atlas: Any, a: list[float], b: list[float]) -> bool:
    """Whether the camera that frames skin points ``a`` and ``b`` sees both, no muscle or
    bone in front of either (kept per pair: a ray test over the body's meshes)."""

    def build() -> bool:
        camera = points_camera(atlas, [a, b])
        if camera is None:
            return True
        eye = camera["position"]
        return not any(atlas.depths.tracer.sight_blocked(eye, p, SIGHT_CLEARANCE_M)
                       for p in (a, b))  # fmt: skip

    return text.shared(atlas.content, ("both_seen", id(atlas), tuple(a), tuple(b)), build)


def _shared_explainer(content: Any, mode: str) -> str:
    return text.shared(content, ("explainer", mode),
                       lambda: explainer.explainer_html(content, mode))  # fmt: skip


def _shared_disclaimer(content: Any, mode: str) -> str:
    return text.shared(content, ("disclaimer", mode),
                       lambda: explainer.disclaimer_html(content, mode))  # fmt: skip


def share_texts(content: Any) -> int:
    """Build everything sessions of ``content`` share, before the first session asks.

    A server calls this once at start: no click then pays for rendering text, and the shared
    pieces are allocated together instead of scattered among sessions' objects (which keeps
    the heap from holding freed sessions' pages). Returns how many pieces there are.
    """
    _shared_index(content)
    _shared_practice_pool(content)
    pieces = 2
    for mode in MODES:
        _shared_explainer(content, mode)
        _shared_disclaimer(content, mode)
        _shared_selection(content, mode, "", "")
        pieces += 3
        for muscle in content.muscles:
            for tp_id in ("", *(tp.id for tp in muscle.trigger_points)):
                _shared_selection(content, mode, muscle.id, tp_id)
                pieces += 1
    return pieces
