"""Many sessions, one copy of the geometry; a closed session leaves nothing behind.

A real Bokeh server runs in a thread of this process (so its objects can be inspected), and
``bench/bokeh_session.py`` opens real websocket sessions against it.
"""

from __future__ import annotations

import gc
import time
import weakref

import pytest
from support.bench import AtlasSession, ServerThread, run_in_thread

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tiny_files):  # type: ignore[no-untyped-def]
    from anatomy.ui.server import prepare, session_app

    atlas, scene, _ = prepare(*tiny_files)
    apps: weakref.WeakSet = weakref.WeakSet()
    viewers: list = []

    def session():  # type: ignore[no-untyped-def]
        app = session_app(atlas, scene)  # as `myoatlas serve` and app.py build a session
        apps.add(app)
        apps.add(app.state)
        viewers.append(weakref.ref(app.viewer))
        return app

    server = ServerThread(
        session, timeout=30,
        unused_session_lifetime_milliseconds=200, check_unused_sessions_milliseconds=100,
    )  # fmt: skip
    yield {"url": server.url, "apps": apps, "viewers": viewers, "scene": scene}
    server.stop()


def _sessions(url: str, n: int, clicks: bool = True) -> None:
    async def main() -> None:
        sessions = [AtlasSession(url) for _ in range(n)]
        for s in sessions:
            await s.open()
        if clicks:
            for s in sessions:
                await s.pick([(s.viewer, "highlight")], kind="muscle", id="soleus_left",
                             muscle="soleus", side="left")  # fmt: skip
                await s.pick([(s.viewer, "zone_marker")], kind="marker", id="soleus:tp1")
        for s in sessions:
            await s.close()

    run_in_thread(main)


def test_sessions_share_one_geometry_buffer(server):
    _sessions(server["url"], 3, clicks=False)
    alive = [ref() for ref in server["viewers"][-3:]]
    buffers = {id(v.geometry) for v in alive if v is not None}
    assert buffers == {id(server["scene"].buffer)}  # the same bytes object, never copied


def test_closed_sessions_are_freed(server):
    apps = server["apps"]
    _sessions(server["url"], 4)
    deadline = time.monotonic() + 20
    while len(apps) and time.monotonic() < deadline:
        time.sleep(0.3)
        gc.collect()
    leftover = sorted(type(a).__name__ for a in apps)
    assert leftover == [], f"still alive after the sessions closed: {leftover}"
