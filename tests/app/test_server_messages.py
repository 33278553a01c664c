"""A click is answered in one websocket message, without Nagle's delay.

A real Bokeh server with the app runs in a thread of this process (``bench/server_thread.py``)
and ``bench/bokeh_session.py`` clicks as a browser does.
"""

from __future__ import annotations

import asyncio

import pytest
from support.bench import AtlasSession, ServerThread, run_in_thread

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def url(tiny_files):  # type: ignore[no-untyped-def]
    from anatomy.ui.layout import create_app
    from anatomy.ui.server import prepare, send_without_delay

    atlas, scene, _ = prepare(*tiny_files)
    send_without_delay()
    server = ServerThread(lambda: create_app(atlas, scene, mode="clinician"), timeout=30)
    yield server.url
    server.stop()


def test_each_click_is_answered_in_one_message(url):
    async def clicks() -> list[tuple[str, dict, set]]:
        session = AtlasSession(url, timeout=20)
        await session.open()
        await asyncio.sleep(0.5)  # the page has loaded (a person does not click within ms)
        viewer = session.viewer
        toggle = session.find(css="where-toggle")
        trips = []

        async def act(name: str, action) -> None:  # type: ignore[no-untyped-def]
            before = dict(session.last_values)
            await action
            await asyncio.sleep(0.3)  # anything sent late would arrive now
            changed = {k for k, v in session.last_values.items() if before.get(k) is not v}
            trips.append((name, session.last_trip, changed))

        try:
            await act("muscle", session.pick(
                [(viewer, "highlight"), (viewer, "markers")], kind="muscle",
                id="soleus_left", muscle="soleus", side="left"))  # fmt: skip
            await act("marker", session.pick(
                [(viewer, "zone_marker"), (viewer, "markers")], kind="marker",
                id="soleus:tp1"))  # fmt: skip
            await act("toggle", session.change(toggle, "active", True, [(viewer, "pick_mode")]))
        finally:
            await session.close()
        return trips

    trips = run_in_thread(clicks)
    for name, trip, changed in trips:
        assert trip["messages"] == 1, (name, trip)
        assert trip["events"] == len(changed) > 1, (name, trip, changed)
    viewer_changes = {attr for _model, attr in trips[0][2]}
    assert {"highlight", "markers", "description"} <= viewer_changes


def test_text_changes_send_the_text_and_no_new_stylesheets(url):
    """Loading the page and clicks that change every text pane send no stylesheet models.

    Panel's markup panes send all their properties again on a text change, stylesheets as
    new copies; swapping them makes the server walk the whole document once per pane.
    """

    async def load_and_click() -> tuple[set, set]:
        session = AtlasSession(url, timeout=20)
        await session.open()
        await asyncio.sleep(0.5)  # "document ready" and whatever the page does at load
        at_load = set(session.last_values)
        viewer = session.viewer
        detail = session.find(name="panel.models.markup.HTML", text="selection mode-")
        modes = session.find(css="mode-switch")
        try:
            await session.pick([(viewer, "highlight"), (detail, "text")], kind="muscle",
                               id="soleus_left", muscle="soleus", side="left")  # fmt: skip
            await session.pick([(viewer, "zone_marker"), (detail, "text")], kind="marker",
                               id="soleus:tp1")  # fmt: skip
            await session.change(modes, "active", 0, [(detail, "text")])
            await asyncio.sleep(0.3)
        finally:
            await session.close()
        return at_load, set(session.last_values)

    at_load, after_clicks = run_in_thread(load_and_click)
    texts = {key for key in after_clicks if key[1] == "text"}
    assert len(texts) >= 3, texts  # the detail, the legend, the live region... changed
    assert not [key for key in after_clicks | at_load if key[1] == "stylesheets"]


def test_the_page_websocket_sends_without_nagle_delay():
    from bokeh.server.urls import per_app_patterns

    from anatomy.ui.server import send_without_delay

    send_without_delay()
    send_without_delay()  # once per process, however often it is asked
    handlers = [handler for pattern, handler, *_ in per_app_patterns if pattern == "/ws"]
    assert len(handlers) == 1 and getattr(handlers[0], "_atlas_nodelay", False)


def test_serve_restarts_once_with_the_c_allocator_only_from_its_own_command_line():
    from anatomy.ui.server import system_allocator_command

    python = ["/usr/bin/python3", "-m", "anatomy.cli", "serve", "--port", "5006"]
    argv = ["/repo/anatomy/cli.py", "serve", "--port", "5006"]
    assert system_allocator_command({}, argv, python) == python
    script = ["/usr/bin/python3", "/usr/local/bin/myoatlas", "serve"]
    assert system_allocator_command({}, ["/usr/local/bin/myoatlas", "serve"], script) == script
    # already restarted, or opted out
    assert system_allocator_command({"PYTHONMALLOC": "malloc"}, argv, python) is None
    assert system_allocator_command({"PYTHONMALLOC": "pymalloc"}, argv, python) is None
    # main(["serve", ...]) called in-process by another program (pytest here)
    pytest_argv = ["/usr/bin/pytest", "tests/app"]
    assert system_allocator_command({}, pytest_argv, ["/usr/bin/python3", *pytest_argv]) is None
    assert system_allocator_command({}, ["x", "lookup"], ["python", "x", "lookup"]) is None
