"""Server cost of each atlas action: CPU ms in the server per action, and where it goes.

Usage::

    python bench/server_profile.py [--rounds 20] [--top 15] [--kinds open,select_muscle,...]
                                   [--no-profile] [--json OUT]

A real Bokeh server with the atlas app runs in a thread of this process (as ``myoatlas
serve`` builds it: the shared atlas and geometry, then ``session_app`` per session), and
``bench/bokeh_session.py`` drives it from the main thread exactly as ``bench/load.py`` does:
open a session (page request, websocket, pulled document), click a muscle in the 3D view,
click one of its trigger points, turn "Where does it hurt?" on, click the skin, turn it off,
change the mode. One action at a time, so the server thread's CPU time between sending an
action and the server falling idle again is that action's server cost; the clients' own work
(parsing the document) runs in another thread and is not counted.

Printed per action kind: server CPU ms (p50, p95, max), the client's wall-clock latency, the
first answer's latency, and how many PATCH-DOC messages and events the server sent back. A
second pass runs the same actions under cProfile in the server thread and prints the top
functions of each kind by cumulative and by own time (profiling inflates those times; the
first pass is the one to quote).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import json
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(Path(__file__).resolve().parent), str(REPO)]
from bokeh_session import AtlasSession  # noqa: E402
from load import MODES, click_targets, next_target, percentile  # noqa: E402
from server_thread import ServerThread  # noqa: E402

TARGETS: list[dict] = []  # what sessions click (bench/load.py), made once
KINDS = ("open", "select_muscle", "trigger_point", "lookup_on", "lookup", "lookup_off", "mode")


def atlas_server(annotations: Path | None, meshes: Path | None, mode: str,
                 **serve_options: Any) -> ServerThread:  # fmt: skip
    """The atlas app on a server thread, set up as ``myoatlas serve`` sets it up."""
    from anatomy.ui.server import (
        prepare,
        send_without_delay,
        session_app,
        skip_bokeh_checks,
    )
    from anatomy.ui.viewer import SERVE_OPTIONS

    atlas, scene, document = prepare(annotations, meshes, None)

    def session() -> Any:
        return session_app(atlas, scene, mode=mode, document=document)

    send_without_delay()
    skip_bokeh_checks()
    gc.collect()
    gc.freeze()  # the loaded atlas is not walked by the GC
    return ServerThread(session, **{**SERVE_OPTIONS, **serve_options})


async def settle(server: ServerThread, quiet_s: float = 0.06) -> float:
    """Wait until the server thread has used no CPU for ``quiet_s``; return its CPU time."""
    last = server.cpu_s()
    while True:
        await asyncio.sleep(quiet_s)
        now = server.cpu_s()
        if now - last < 0.0005:
            return now
        last = now


async def drive(server: ServerThread, rounds: int, kinds: set[str], seed: int,
                profiles: dict[str, cProfile.Profile] | None) -> dict[str, list[dict]]:  # fmt: skip
    """Open sessions and click through them; one record per action (server ms, latency...)."""
    rng = random.Random(seed)
    if not TARGETS:
        TARGETS.extend(click_targets(None, None))
    targets = TARGETS
    previous: dict[int, dict] = {}
    records: dict[str, list[dict]] = {k: [] for k in KINDS}
    sessions: list[AtlasSession] = []

    async def measured(kind: str, action: Callable[[], Any], session: AtlasSession | None
                       ) -> None:  # fmt: skip
        profile = profiles.get(kind) if profiles is not None and kind in kinds else None
        before = await settle(server)
        if profile is not None:
            server.call(profile.enable)
        t0 = time.perf_counter()
        await action()
        wall = time.perf_counter() - t0
        after = await settle(server)
        if profile is not None:
            server.call(profile.disable)
        trip = session.last_trip if session is not None else {}
        records[kind].append({"server_ms": (after - before) * 1000, "wall_ms": wall * 1000,
                              "first_ms": (trip.get("first_s") or wall) * 1000,
                              "messages": trip.get("messages", 0),
                              "events": trip.get("events", 0)})  # fmt: skip

    try:
        # Two sessions stay open throughout, so nothing is measured on an empty server.
        for _ in range(2):
            s = AtlasSession(server.url, timeout=30)
            await measured("open", s.open, None)
            sessions.append(s)
        mode = 0
        for r in range(rounds):
            s = sessions[r % len(sessions)]
            t = previous[r % len(sessions)] = next_target(rng, targets,
                                                          previous.get(r % len(sessions)))
            mode = (mode + 1) % len(MODES)
            steps = clicks(s, t, mode)
            for kind, action in steps:
                await measured(kind, action, s)
            if "open" in kinds and r % 5 == 4:  # a new session now and then, among busy ones
                extra = AtlasSession(server.url, timeout=30)
                await measured("open", extra.open, None)
                await extra.close()
    finally:
        for s in sessions:
            await s.close()
    return records


def clicks(s: AtlasSession, t: dict, mode: int) -> list[tuple[str, Callable[[], Any]]]:
    """One round of clicks on target ``t``, as ``bench/load.py`` does, then a mode change."""
    viewer = s.viewer
    detail = s.find(name="panel.models.markup.HTML", text="selection mode-")
    toggle, reasons = s.find(css="where-toggle"), s.find(css="hit-reasons")
    modes = s.find(css="mode-switch")
    return [
        ("select_muscle", lambda: s.pick(
            [(viewer, "highlight"), (viewer, "markers"), (detail, "text")],
            kind="muscle", id=t["mesh"], muscle=t["geometry"], side=t["side"])),
        ("trigger_point", lambda: s.pick(
            [(viewer, "zone_marker"), (detail, "text")], kind="marker",
            id=f"{t['muscle']}:{t['tp']}")),
        ("lookup_on", lambda: s.change(toggle, "active", True, [(viewer, "pick_mode")])),
        ("lookup", lambda: s.pick([(reasons, "text")], kind="skin", id="skin",
                                  vertex=t["vertex"])),
        ("lookup_off", lambda: s.change(toggle, "active", False, [(viewer, "pick_mode")])),
        ("mode", lambda: s.change(modes, "active", mode, [(detail, "text")])),
    ]  # fmt: skip


def summary(records: dict[str, list[dict]]) -> dict[str, dict[str, float]]:
    """p50/p95/max of the server ms and the latencies per kind, and all clicks together."""
    out = {}
    clicks = [r for k, rs in records.items() if k != "open" for r in rs]
    for kind, rs in [*records.items(), ("all clicks", clicks)]:
        if not rs:
            continue
        server = [r["server_ms"] for r in rs]
        out[kind] = {
            "n": len(rs), "server_p50": percentile(server, 0.5),
            "server_p95": percentile(server, 0.95), "server_max": max(server),
            "server_mean": statistics.mean(server),
            "wall_p50": percentile([r["wall_ms"] for r in rs], 0.5),
            "wall_p95": percentile([r["wall_ms"] for r in rs], 0.95),
            "first_p50": percentile([r["first_ms"] for r in rs], 0.5),
            "messages": statistics.mean(r["messages"] for r in rs),
            "events": statistics.mean(r["events"] for r in rs),
        }  # fmt: skip
    return out


def print_summary(table: dict[str, dict[str, float]]) -> None:
    print(f"{'action':<15}{'n':>4}{'server ms p50':>15}{'p95':>8}{'max':>8}{'mean':>8}"
          f"{'wall p50':>10}{'p95':>8}{'1st msg':>9}{'msgs':>6}{'events':>8}")  # fmt: skip
    for kind, v in table.items():
        print(f"{kind:<15}{v['n']:>4}{v['server_p50']:>15.1f}{v['server_p95']:>8.1f}"
              f"{v['server_max']:>8.1f}{v['server_mean']:>8.1f}{v['wall_p50']:>10.1f}"
              f"{v['wall_p95']:>8.1f}{v['first_p50']:>9.1f}{v['messages']:>6.1f}"
              f"{v['events']:>8.1f}")  # fmt: skip


def print_profile(kind: str, profile: cProfile.Profile, top: int, calls: int) -> None:
    """The top functions of one action kind, per action (cumulative, then own time)."""
    stream = io.StringIO()
    stats = pstats.Stats(profile, stream=stream)
    stats.strip_dirs()
    for key in ("cumulative", "tottime"):
        stream.truncate(0)
        stream.seek(0)
        stats.sort_stats(key).print_stats(top)
        lines = stream.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        print(f"\n--- {kind}: top {top} by {key} (profiled, {calls} actions; times in s, "
              "totals over all of them) ---")  # fmt: skip
        print("\n".join(lines[start:start + top + 1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=20, help="click rounds (6 actions each)")
    parser.add_argument("--top", type=int, default=15, help="functions per profile listing")
    parser.add_argument("--kinds", default=",".join(KINDS),
                        help=f"action kinds to profile, comma-separated ({', '.join(KINDS)})")
    parser.add_argument("--no-profile", action="store_true", help="only the timing pass")
    parser.add_argument("--mode", default="patient", help="the server's starting mode")
    parser.add_argument("--annotations", type=Path)
    parser.add_argument("--meshes", type=Path)
    parser.add_argument("--json", type=Path, help="also write the timing figures here")
    args = parser.parse_args(argv)
    kinds = {k.strip() for k in args.kinds.split(",") if k.strip()}
    unknown = kinds - set(KINDS)
    if unknown:
        parser.error(f"unknown kinds {sorted(unknown)}; choose from {', '.join(KINDS)}")
    server = atlas_server(args.annotations, args.meshes, args.mode)
    try:
        # Warm-up: the first session and clicks fill the process-wide caches.
        asyncio.run(drive(server, 3, set(KINDS), seed=99, profiles=None))
        records = asyncio.run(drive(server, args.rounds, set(KINDS), seed=1, profiles=None))
        table = summary(records)
        print(f"server CPU per action (ms; {args.rounds} rounds, one action at a time)")
        print_summary(table)
        if args.json:
            args.json.write_text(json.dumps(table, indent=2))
        if not args.no_profile:
            profiles = {k: cProfile.Profile() for k in kinds}
            profiled = asyncio.run(drive(server, max(5, args.rounds // 2), kinds, seed=2,
                                         profiles=profiles))  # fmt: skip
            for kind in KINDS:
                if kind in profiles and profiled[kind]:
                    print_profile(kind, profiles[kind], args.top, len(profiled[kind]))
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
