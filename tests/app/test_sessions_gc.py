"""Sessions' objects stay out of the collector's walks, and are collected when sessions end."""

from __future__ import annotations

import gc
import weakref

from anatomy.ui import sessions


class _Node:
    """Something in a reference cycle, as a session's widgets and models are."""

    def __init__(self) -> None:
        self.me = self


def test_frozen_cycles_are_collected_by_the_release_when_sessions_end(monkeypatch):
    trimmed: list[bool] = []
    monkeypatch.setattr(sessions, "_trim", lambda: trimmed.append(True))
    node = _Node()
    ref = weakref.ref(node)
    try:
        gc.freeze()  # what keep_out_of_gc_once_loaded does when a page has loaded
        del node
        gc.collect()
        assert ref() is not None  # frozen: ordinary collections never walk it
        sessions.release_memory()
        assert ref() is None  # the release collects frozen garbage too
        assert gc.get_freeze_count() > 0  # and freezes what is still alive
        assert trimmed == [True]
    finally:
        gc.unfreeze()  # leave the test process as it was


def test_outside_a_served_session_nothing_is_registered(monkeypatch):
    import panel as pn

    registered: list = []
    monkeypatch.setattr(pn.state, "onload", lambda cb: registered.append(cb))
    monkeypatch.setattr(pn.state, "on_session_destroyed", lambda cb: registered.append(cb))
    sessions.keep_out_of_gc_once_loaded()
    sessions.release_memory_when_sessions_end()
    assert registered == []
