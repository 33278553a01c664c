"""Sessions share one copy of what is the same for all of them: text, names, options."""

from __future__ import annotations

from anatomy.session.state import AtlasState
from anatomy.text import selection as text


def test_two_sessions_get_the_same_html_objects(atlas):
    first, second = AtlasState(atlas), AtlasState(atlas)
    for state in (first, second):
        state.mode = "clinician"
        state.select_trigger_point("tp1", "upper_trapezius")
    assert first.detail_html() is second.detail_html()
    assert first.explainer_html() is second.explainer_html()
    assert first.disclaimer_html() is second.disclaimer_html()
    assert first.index is second.index
    assert first.practice.pool is second.practice.pool
    assert first.practice is not second.practice  # scores are each session's own


def test_shared_html_is_the_html_of_that_mode_and_selection(atlas):
    state = AtlasState(atlas)
    state.select_trigger_point("tp1", "upper_trapezius")
    for mode in ("patient", "student", "clinician"):
        state.mode = mode
        expected = text.selection_html(atlas.content, mode, "upper_trapezius", "tp1")
        assert state.detail_html() == expected
    state.clear_selection()
    assert state.detail_html() == text.selection_html(atlas.content, "clinician", "", "")


def test_another_content_object_gets_its_own_values(atlas):
    other = type(atlas)()  # a fresh copy of the same content file
    built: list[str] = []

    def build(name: str):  # type: ignore[no-untyped-def]
        return lambda: built.append(name) or name

    assert text.shared(atlas.content, "k", build("a")) == "a"
    assert text.shared(atlas.content, "k", build("again")) == "a"  # cached
    assert text.shared(other.content, "k", build("b")) == "b"
    assert built == ["a", "b"]


def test_only_the_last_few_contents_are_kept():
    contents = [object() for _ in range(text._SHARED_CONTENTS + 2)]
    for i, content in enumerate(contents):
        text.shared(content, "k", lambda i=i: i)
    kept = [c for c in contents if id(c) in text._SHARED and text._SHARED[id(c)][0] is c]
    assert kept == contents[-text._SHARED_CONTENTS:]


def test_a_server_builds_every_shared_piece_up_front(atlas, monkeypatch):
    from anatomy.session.state import share_texts

    content = atlas.content
    n_selections = sum(1 + len(m.trigger_points) for m in content.muscles) + 1
    assert share_texts(content) == 2 + 3 * (2 + n_selections)
    calls: list[tuple] = []
    monkeypatch.setattr(text, "selection_html", lambda *a: calls.append(a) or "")
    state = AtlasState(atlas)
    for mode in ("patient", "student", "clinician"):
        state.mode = mode
        for muscle in content.muscles:
            state.select_muscle(muscle.id)
            state.detail_html()
            for tp in muscle.trigger_points:
                state.select_trigger_point(tp.id)
                state.detail_html()
    assert calls == []  # every page was already there
