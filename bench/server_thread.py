"""A Bokeh server running a Panel app in a daemon thread of this process.

Benches and tests use it to inspect the server from the outside (its thread's CPU time, its
sessions' objects) while ``bench/bokeh_session.py`` drives it as browsers would.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any


class ServerThread:
    """``pn.serve(app, **serve_options)`` on a free loopback port, in a daemon thread.

    Raises
    ------
    RuntimeError
        If the server has not started within ``timeout`` seconds.
    """

    def __init__(self, app: Callable[[], Any], timeout: float = 60.0, **serve_options: Any
                 ) -> None:  # fmt: skip
        import panel as pn
        from tornado.ioloop import IOLoop

        started: dict[str, Any] = {}

        def run() -> None:
            async def main() -> None:
                srv = pn.serve(
                    app, port=0, address="127.0.0.1", show=False, start=False,
                    websocket_origin=["127.0.0.1"], verbose=False, **serve_options,
                )  # fmt: skip
                srv.start()
                started.update(server=srv, loop=IOLoop.current())

            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            loop.run_until_complete(main())
            loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True, name="bokeh-server")
        self.thread.start()
        deadline = time.monotonic() + timeout
        while "server" not in started and time.monotonic() < deadline:
            time.sleep(0.05)
        if "server" not in started:
            raise RuntimeError(f"the server thread did not start within {timeout:g} s")
        self.server, self.loop = started["server"], started["loop"]
        self.url = f"http://127.0.0.1:{self.server.port}/"
        assert self.thread.ident is not None
        self._clock = time.pthread_getcpuclockid(self.thread.ident)

    def cpu_s(self) -> float:
        """CPU seconds the server thread has used so far."""
        return time.clock_gettime(self._clock)

    def call(self, fn: Callable[[], Any]) -> None:
        """Run ``fn`` in the server thread and wait for it (e.g. to enable a profiler there)."""
        done = threading.Event()

        def wrapped() -> None:
            try:
                fn()
            finally:
                done.set()

        self.loop.add_callback(wrapped)
        done.wait(10)

    def stop(self) -> None:
        self.loop.add_callback(self.server.stop)
