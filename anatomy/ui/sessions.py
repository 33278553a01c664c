"""A browser session's objects and the garbage collector; memory back to the OS when they end.

Each session builds ~100k Python objects that live as long as it does. Left to the cyclic
garbage collector, they are walked again and again: with 20 sessions open, a full collection
took up to 0.3 s, and it came every time a few more sessions had opened, stalling every click
meanwhile. :func:`keep_out_of_gc_once_loaded` moves a session's objects (everything alive
once its page has loaded) out of the collector's reach with ``gc.freeze()``; they are still
freed by reference counting, and whatever sits in reference cycles is collected when sessions
end.

A closed session's objects are freed by Python (``tests/app/test_session_memory.py``), but the
C allocator keeps the freed pages for reuse, so the server's resident memory stays at its
peak after a busy hour. :func:`release_memory_when_sessions_end` schedules, shortly after a
session is destroyed, one full garbage collection (frozen objects included) and one glibc
``malloc_trim`` for all sessions ending around the same time.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
from typing import Any

import panel as pn

DELAY_S = 1.0  # after the last session ended: Bokeh has dropped its references by then
_scheduled: list[bool] = []


def _trim() -> None:
    """Return free heap pages to the OS (glibc only; a no-op elsewhere)."""
    name = ctypes.util.find_library("c")
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(name or "libc.so.6").malloc_trim(0)


def release_memory() -> None:
    """Collect all garbage, frozen objects included, freeze the survivors, trim the C heap."""
    _scheduled.clear()
    gc.unfreeze()  # ended sessions' objects were frozen with the live ones
    gc.collect()
    gc.freeze()
    _trim()


def _on_destroyed(_context: Any) -> None:
    if _scheduled:
        return  # one release for a burst of sessions ending
    _scheduled.append(True)
    from tornado.ioloop import IOLoop

    IOLoop.current().call_later(DELAY_S, release_memory)


def release_memory_when_sessions_end() -> None:
    """Register the release for the current session (call from the session's app function)."""
    if pn.state.curdoc is not None and pn.state.curdoc.session_context is not None:
        pn.state.on_session_destroyed(_on_destroyed)


def keep_out_of_gc_once_loaded() -> None:
    """Freeze the current session's objects once its page has loaded (see the module doc)."""
    if pn.state.curdoc is not None and pn.state.curdoc.session_context is not None:
        pn.state.onload(gc.freeze)
