"""A headless atlas session: the page request and Bokeh websocket a browser would open.

:class:`AtlasSession` requests the page over HTTP (the server builds the session's document
then), opens the websocket with the page's token, pulls the document (the packed geometry
included), says "document ready" as BokehJS does, and then sends the same property changes a
browser sends when a person clicks: a pick in the 3D view (``pick`` of the viewer's data
model), a mode button, the "where does it hurt?" toggle. It waits for the server's answers
(``PATCH-DOC`` events on given models) and times them. No browser, no WebGL: many of these fit
on one small machine, so the server, not the clients, is what gets measured.

Used by ``bench/load.py`` and the isolation tests; no Panel import.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from bokeh.client.websocket import WebSocketClientConnectionWrapper
from bokeh.protocol import Protocol
from bokeh.protocol.messages.patch_doc import patch_doc
from bokeh.protocol.receiver import Receiver
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

T = TypeVar("T")
_TOKEN = re.compile(r'"token":\s*"([^"]+)"')
_MAX_MESSAGE = 256 * 2**20


def run_in_thread(coroutine_function: Callable[[], Awaitable[T]], timeout: float = 120.0) -> T:
    """Run an async session body to completion in a thread and event loop of its own.

    ``asyncio.run`` refuses to start inside a running loop, and a caller's thread may hold one
    (Playwright's sync API does, in a test process that also drives a browser). Exceptions are
    raised again in the caller's thread.
    """
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["value"] = asyncio.run(coroutine_function())  # type: ignore[arg-type]
        except BaseException as exc:
            out["error"] = exc

    worker = threading.Thread(target=run, name="atlas-session")
    worker.start()
    worker.join(timeout=timeout)
    if worker.is_alive():
        raise TimeoutError(f"the session did not finish within {timeout:g} s")
    if "error" in out:
        raise out["error"]
    return out["value"]  # type: ignore[no-any-return]


class SessionError(RuntimeError):
    """The server refused, closed or failed a session, or did not answer in time."""


def _as_map(value: Any) -> Any:
    """Python dicts in Bokeh's wire format (``{"type": "map", "entries": ...}``)."""
    if isinstance(value, dict):
        return {"type": "map", "entries": [[k, _as_map(v)] for k, v in value.items()]}
    if isinstance(value, list | tuple):
        return [_as_map(v) for v in value]
    return value


def _objects(tree: Any, out: dict[str, dict[str, Any]]) -> None:
    """Collect every serialised Bokeh model (``{"type": "object", "id": ...}``) in ``tree``."""
    if isinstance(tree, dict):
        if tree.get("type") == "object" and "id" in tree and "attributes" in tree:
            out[tree["id"]] = tree
        for value in tree.values():
            _objects(value, out)
    elif isinstance(tree, list):
        for value in tree:
            _objects(value, out)


class AtlasSession:
    """One live session of the atlas app on a running server.

    Parameters
    ----------
    url
        The app's page, e.g. ``http://127.0.0.1:5006/`` (a query string restores a view).
    timeout
        Seconds to wait for any one answer before the action counts as failed.
    """

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url
        self.timeout = timeout
        self.models: dict[str, dict[str, Any]] = {}
        self.bytes_received = 0
        self._protocol = Protocol()
        self._receiver = Receiver(self._protocol)
        self._ws: Any = None
        self._conn: Any = None
        self._reader: asyncio.Task | None = None
        self._waiting: set[tuple[str, str]] = set()
        self._answered = asyncio.Event()
        self._error: str | None = None
        self._pick_counter = itertools.count(1)
        self.last_values: dict[tuple[str, str], Any] = {}
        # The server's answers to the last action: PATCH-DOC messages, events and bytes
        # received from sending it until its last expected change arrived, and the seconds
        # until the first of them (see :attr:`last_trip`).
        self._trip: dict[str, Any] = {}
        self.last_trip: dict[str, Any] = {}

    # --- connection -------------------------------------------------------------------------
    async def open(self) -> float:
        """Request the page, connect, pull the document; returns seconds taken."""
        t0 = time.perf_counter()
        page = await AsyncHTTPClient().fetch(self.url, request_timeout=self.timeout * 3)
        html = page.body.decode("utf-8", errors="replace")
        self.bytes_received += len(page.body)
        found = _TOKEN.search(html)
        if not found:
            raise SessionError(f"no session token in the page at {self.url}")
        base = self.url.split("?", 1)[0].rstrip("/")
        ws_url = base.replace("http://", "ws://", 1).replace("https://", "wss://", 1) + "/ws"
        self._ws = await websocket_connect(
            HTTPRequest(ws_url, request_timeout=self.timeout * 3),
            subprotocols=["bokeh", found.group(1)], max_message_size=_MAX_MESSAGE,
        )  # fmt: skip
        # Browsers send without Nagle's delay; without this, the header frame of each message
        # waits ~40 ms for the server's delayed ACK before the rest follows.
        self._ws.protocol.set_nodelay(True)
        self._conn = WebSocketClientConnectionWrapper(self._ws)
        ack = await self._next_message()
        if ack is None or ack.msgtype != "ACK":
            raise SessionError(f"expected ACK from the server, got {ack and ack.msgtype}")
        await self._protocol.create("PULL-DOC-REQ").send(self._conn)
        reply = await self._next_message()
        if reply is None or reply.msgtype != "PULL-DOC-REPLY":
            raise SessionError(f"expected the document, got {reply and reply.msgtype}")
        _objects(reply.content["doc"], self.models)
        self._reader = asyncio.ensure_future(self._read_forever())
        await self._send(
            [{"kind": "MessageSent", "msg_type": "bokeh_event",
              "msg_data": {"type": "event", "name": "document_ready",
                           "values": {"type": "map", "entries": []}}}]
        )  # fmt: skip
        return time.perf_counter() - t0

    async def close(self) -> None:
        """Close the websocket (the server destroys the session later, as for a browser)."""
        if self._ws is not None:
            self._ws.close(1000, "done")
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    # --- the page's models ------------------------------------------------------------------
    def find(self, *, css: str | None = None, name: str | None = None, text: str | None = None
             ) -> str:  # fmt: skip
        """The id of the one model with a CSS class / type-name prefix / text fragment."""
        for model_id, obj in self.models.items():
            attrs = obj["attributes"]
            if css is not None and css not in (attrs.get("css_classes") or []):
                continue
            if name is not None and not obj["name"].startswith(name):
                continue
            if text is not None and text not in str(attrs.get("text", "")):
                continue
            return model_id
        raise SessionError(f"no model with css={css!r} name={name!r} text={text!r}")

    @property
    def viewer(self) -> str:
        """The id of the 3D view's data model (where ``pick`` and ``highlight`` live)."""
        return self.find(name="AtlasViewer")

    # --- actions ----------------------------------------------------------------------------
    async def change(self, model_id: str, attr: str, value: Any,
                     expect: Iterable[tuple[str, str]]) -> float:  # fmt: skip
        """Set ``attr`` of a model as the browser would; wait for the ``expect`` answers.

        Returns
        -------
        float
            Seconds from sending to the last expected ``(model id, attribute)`` change.

        Raises
        ------
        SessionError
            On a server error, a closed connection or no answer within ``timeout``.
        """
        event = {"kind": "ModelChanged", "model": {"id": model_id}, "attr": attr,
                 "new": _as_map(value)}  # fmt: skip
        return await self._round_trip([event], expect)

    async def pick(self, expect: Iterable[tuple[str, str]], **pick: Any) -> float:
        """A click in the 3D view (``kind`` muscle / marker / skin, ``id``, ...)."""
        return await self.change(self.viewer, "pick", {**pick, "n": next(self._pick_counter)},
                                 expect)  # fmt: skip

    async def _round_trip(self, events: list[dict], expect: Iterable[tuple[str, str]]) -> float:
        if self._error:
            raise SessionError(self._error)
        self._waiting = set(expect)
        self._answered.clear()
        t0 = time.perf_counter()
        self._trip = {"sent": t0, "messages": 0, "events": 0, "bytes": self.bytes_received,
                      "first_s": None}  # fmt: skip
        await self._send(events)
        if self._waiting:
            try:
                await asyncio.wait_for(self._answered.wait(), self.timeout)
            except asyncio.TimeoutError:
                missing = sorted(self._waiting)
                self._waiting = set()
                raise SessionError(f"no answer within {self.timeout:g} s for {missing}") from None
        if self._error:
            raise SessionError(self._error)
        trip, self._trip = self._trip, {}
        self.last_trip = {"messages": trip["messages"], "events": trip["events"],
                          "bytes": self.bytes_received - trip["bytes"],
                          "first_s": trip["first_s"]}  # fmt: skip
        return time.perf_counter() - t0

    # --- wire -------------------------------------------------------------------------------
    async def _send(self, events: list[dict]) -> None:
        message = patch_doc(patch_doc.create_header(), {}, {"events": events})
        await message.send(self._conn)

    async def _next_message(self) -> Any:
        while True:
            fragment = await self._ws.read_message()
            if fragment is None:
                return None
            self.bytes_received += len(fragment)
            message = await self._receiver.consume(fragment)
            if message is not None:
                return message

    async def _read_forever(self) -> None:
        while True:
            message = await self._next_message()
            if message is None:
                self._fail("the server closed the connection")
                return
            if message.msgtype == "ERROR":
                self._fail(f"server error: {message.content.get('text', '')[:300]}")
            elif message.msgtype == "PATCH-DOC":
                trip = self._trip
                if trip:
                    trip["messages"] += 1
                    trip["events"] += len(message.content.get("events", []))
                    if trip["first_s"] is None:
                        trip["first_s"] = time.perf_counter() - trip["sent"]
                for event in message.content.get("events", []):
                    _objects(event.get("new"), self.models)
                    key = (event.get("model", {}).get("id", ""), event.get("attr", ""))
                    self.last_values[key] = event.get("new")
                    if key in self._waiting:
                        self._waiting.discard(key)
                        if not self._waiting:
                            self._answered.set()

    def _fail(self, why: str) -> None:
        self._error = why
        self._answered.set()
