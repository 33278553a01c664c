"""Load test: many concurrent atlas sessions clicking at once; latency, errors, server memory.

Usage::

    python bench/load.py [--sessions 20] [--duration 60] [--think 0.5 2.0]
                         [--url http://HOST:PORT/ [--pid PID]] [--serve-args "..."] [--json OUT]

Without ``--url`` it starts ``myoatlas serve`` on a free loopback port (with short unused-
session timeouts so that closed sessions are freed within seconds) and stops it at the end.

Each session is a real Bokeh websocket session of the app (``bench/bokeh_session.py``: the
page request, the websocket, the pulled document with the geometry, then the property changes
a browser sends on a click; no browser, so 20 of them fit beside the server on two cores).
Each session loops until the time is up: click a muscle in the 3D view, click one of its
trigger points (the zones are painted), turn on "Where does it hurt?", click a skin point
inside that zone (the ranked muscles are listed), turn it off, and every third round change
mode; a random pause (``--think``, seconds) follows each click, as a person reads the text.
An action's latency is the time from sending the click to receiving the last server change
it must cause (e.g. the highlight and the new text).

It prints sessions, actions, errors, p50/p95/max latency per action and overall, and the
server's resident memory (RSS): idle before any session, after one warm-up session, the peak
during the run, right after the sessions close, and once the server has freed them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(Path(__file__).resolve().parent), str(REPO)]
from bokeh_session import AtlasSession, SessionError  # noqa: E402

from anatomy.frame import MODES  # noqa: E402


# --- targets: what a session clicks ------------------------------------------------------------
def click_targets(annotations: Path | None, meshes: Path | None) -> list[dict[str, Any]]:
    """For every trigger point: the muscle meshes to click and a skin vertex in its zone.

    Each target also carries ``hits``: the ranked list the app shows for a click on that
    vertex (computed here with the app's own state code). A second click whose list equals
    the shown one changes nothing on the page, so the server rightly sends nothing back; a
    session never looks up the same list twice in a row (see :func:`next_target`).
    """
    from anatomy.atlas.model import load_atlas
    from anatomy.paths import default_meshes_dir
    from anatomy.session.state import AtlasState

    atlas = load_atlas(annotations, meshes, check=False)
    marks = json.loads(((meshes or default_meshes_dir()) / "landmarks.json").read_text())
    vertex = {m["name"]: int(m["vertex"]) for m in marks["landmarks"]}
    state = AtlasState(atlas)
    shown: dict[int, tuple] = {}
    out = []
    for muscle, tp in atlas.content.trigger_points():
        for side in ("left", "right"):
            name = tp.essential[0].landmark
            skin = vertex.get(f"{side}_{name}", vertex.get(name))
            if skin is None:
                continue
            if skin not in shown:
                rows = state.where_does_it_hurt(vertex=skin)
                shown[skin] = tuple((r["label"], r["why"], tuple(r["also"])) for r in rows)
            out.append({"muscle": muscle.id, "mesh": f"{muscle.meshes[0]}_{side}",
                        "geometry": muscle.meshes[0], "side": side, "tp": tp.id,
                        "vertex": skin, "hits": shown[skin]})  # fmt: skip
    return out


def next_target(rng: random.Random, targets: list[dict], previous: dict | None) -> dict:
    """A target that changes the page: another muscle or side, and another lookup list."""
    if previous is None:
        return rng.choice(targets)
    return rng.choice([
        t for t in targets
        if (t["muscle"], t["side"]) != (previous["muscle"], previous["side"])
        and t["hits"] != previous["hits"]
    ])  # fmt: skip


# --- one simulated person -------------------------------------------------------------------
async def person(url: str, seed: int, stop_at: float, think: tuple[float, float],
                 targets: list[dict], results: dict[str, Any], delay: float = 0.0
                 ) -> None:  # fmt: skip
    """Open a session after ``delay`` s, click through the atlas until ``stop_at``."""
    rng = random.Random(seed)
    await asyncio.sleep(delay)
    session = AtlasSession(url, timeout=10.0)
    try:
        results["open_s"].append(await session.open())
    except (SessionError, OSError, Exception) as exc:  # a refused session is an error too
        results["errors"].append(f"open: {type(exc).__name__}: {exc}")
        return
    results["opened"] += 1
    results["all_open_at"] = max(results.get("all_open_at", 0.0), time.monotonic())
    viewer = session.viewer
    detail = session.find(name="panel.models.markup.HTML", text="selection mode-")
    toggle = session.find(css="where-toggle")
    reasons = session.find(css="hit-reasons")
    modes = session.find(css="mode-switch")
    previous: dict | None = None
    rounds, mode = 0, 0

    async def act(kind: str, coroutine: Any) -> bool:
        try:
            started = time.monotonic()
            results["latency"].setdefault(kind, []).append(await coroutine)
            results["timed"].append((started, results["latency"][kind][-1]))
            return True
        except SessionError as exc:
            results["errors"].append(f"{kind}: {exc}")
            return False
        finally:
            await asyncio.sleep(rng.uniform(*think))

    try:
        while time.monotonic() < stop_at:
            t = previous = next_target(rng, targets, previous)
            steps = [
                ("select_muscle", lambda t=t: session.pick(
                    [(viewer, "highlight"), (detail, "text")], kind="muscle", id=t["mesh"],
                    muscle=t["geometry"], side=t["side"])),
                ("trigger_point", lambda t=t: session.pick(
                    [(viewer, "zone_marker"), (detail, "text")], kind="marker",
                    id=f"{t['muscle']}:{t['tp']}")),
                ("lookup_on", lambda: session.change(toggle, "active", True,
                                                     [(viewer, "pick_mode")])),
                ("lookup", lambda t=t: session.pick(
                    [(reasons, "text")], kind="skin", id="skin", vertex=t["vertex"])),
                ("lookup_off", lambda: session.change(toggle, "active", False,
                                                      [(viewer, "pick_mode")])),
            ]  # fmt: skip
            if rounds % 3 == 2:
                mode = (mode + 1) % len(MODES)
                steps.append(("mode", lambda m=mode: session.change(
                    modes, "active", m, [(detail, "text")])))  # fmt: skip
            for kind, make in steps:
                if time.monotonic() >= stop_at or not await act(kind, make()):
                    break
            rounds += 1
    finally:
        results["bytes"].append(session.bytes_received)
        await session.close()


# --- server and memory --------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int | None) -> float | None:
    """Resident memory of a process in MB (Linux ``/proc``), None when unknown."""
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def start_server(extra: list[str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [sys.executable, "-m", "anatomy.cli", "serve", "--port", str(port),
           "--unused-session-lifetime", "1000", "--check-unused-sessions", "500",
           *extra]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the server exited with {proc.returncode}:\n{proc.stdout.read()}")  # type: ignore[union-attr]
        try:
            with urllib.request.urlopen(url, timeout=5):
                return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    sys.exit("the server did not answer within 180 s")


async def settle_memory(pid: int | None, seconds: float) -> float | None:
    """Wait up to ``seconds`` for the server's RSS to stop falling; return the last value."""
    last, stable, waited = rss_mb(pid), 0, 0.0
    # Bokeh frees a session ~1.5 s after its socket closed (the lifetimes bench sets), then
    # the release runs 1 s later: wait at least 6 s, then until RSS stops falling for 3 s.
    while waited < seconds and (stable < 6 or waited < 6.0):
        await asyncio.sleep(0.5)
        waited += 0.5
        now = rss_mb(pid)
        stable = stable + 1 if now is not None and last is not None and now >= last - 0.5 else 0
        last = now
    return last


# --- the run ------------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank) of ``values``; NaN when empty."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def run(args: argparse.Namespace, url: str, pid: int | None) -> dict[str, Any]:
    targets = click_targets(args.annotations, args.meshes)
    memory: dict[str, float | None] = {"idle_cold": rss_mb(pid)}
    warm = {"open_s": [], "opened": 0, "errors": [], "latency": {}, "bytes": [], "timed": []}
    await person(url, 0, time.monotonic() + 2.0, (0.05, 0.1), targets, warm)  # warm-up
    memory["idle_warm"] = await settle_memory(pid, args.settle)
    results: dict[str, Any] = {"open_s": [], "opened": 0, "errors": [], "latency": {},
                               "bytes": [], "timed": []}  # fmt: skip
    peak = [memory["idle_warm"] or 0.0]

    async def sample() -> None:
        while True:
            peak.append(rss_mb(pid) or 0.0)
            await asyncio.sleep(0.5)

    sampler = asyncio.ensure_future(sample())
    t0 = time.monotonic()
    for round_no in range(1, args.rounds + 1):
        start = time.monotonic()
        stop_at = start + args.ramp + args.duration
        await asyncio.gather(*(
            person(url, seed, stop_at, tuple(args.think), targets, results,
                   delay=args.ramp * (seed - 1) / max(1, args.sessions))
            for seed in range(1, args.sessions + 1)
        ))  # fmt: skip
        memory[f"closed_{round_no}"] = rss_mb(pid)
        memory[f"freed_{round_no}"] = await settle_memory(pid, args.settle)
    elapsed = time.monotonic() - t0
    sampler.cancel()
    memory["peak"] = max(peak)
    memory["freed"] = memory[f"freed_{args.rounds}"]
    every = [v for values in results["latency"].values() for v in values]
    # Clicks started once every session of the (last) round was open: the steady state,
    # without the cost of building new sessions in the way.
    steady = [v for t, v in results["timed"] if t >= results.get("all_open_at", 0.0)]
    return {
        "sessions": args.sessions * args.rounds, "rounds": args.rounds,
        "opened": results["opened"], "seconds": round(elapsed, 1),
        "actions": len(every), "errors": len(results["errors"]),
        "error_examples": results["errors"][:5],
        "open_p50_s": round(percentile(results["open_s"], 0.5), 2),
        "open_p95_s": round(percentile(results["open_s"], 0.95), 2), "ramp_s": args.ramp,
        "latency_ms": {
            kind: {"n": len(v), "p50": round(percentile(v, 0.5) * 1000, 1),
                   "p95": round(percentile(v, 0.95) * 1000, 1), "max": round(max(v) * 1000, 1)}
            for kind, v in sorted(results["latency"].items())
        } | {"all": {"n": len(every), "p50": round(percentile(every, 0.5) * 1000, 1),
                     "p95": round(percentile(every, 0.95) * 1000, 1),
                     "max": round(max(every, default=0) * 1000, 1)},
              "all, all open": {"n": len(steady),
                                "p50": round(percentile(steady, 0.5) * 1000, 1),
                                "p95": round(percentile(steady, 0.95) * 1000, 1),
                                "max": round(max(steady, default=0) * 1000, 1)}},
        "mb_per_session_received": round(statistics.mean(results["bytes"] or [0]) / 2**20, 2),
        "server_rss_mb": {k: (round(v, 1) if v is not None else None) for k, v in memory.items()},
    }  # fmt: skip


def report(r: dict[str, Any], targets: dict[str, float]) -> bool:
    """Print the figures; return True when the targets are met."""
    lat, mem = r["latency_ms"], r["server_rss_mb"]
    print(f"sessions: {r['opened']}/{r['sessions']} opened over {r['ramp_s']:g} s (page + "
          f"websocket + document: {r['open_p50_s']} s p50, {r['open_p95_s']} s p95, "
          f"{r['mb_per_session_received']} MB each); {r['seconds']} s in all")  # fmt: skip
    print(f"actions: {r['actions']}  errors: {r['errors']}")
    for e in r["error_examples"]:
        print(f"  error: {e}")
    print(f"{'action':<15}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for kind, v in lat.items():
        print(f"{kind:<15}{v['n']:>6}{v['p50']:>9}{v['p95']:>9}{v['max']:>9}")
    print("server RSS MB: " + ", ".join(f"{k} {v}" for k, v in mem.items()))
    print(f"machine: {r['cpu_count']} CPUs, load average {r['load_average_1min_at_end']} "
          "(other work on the machine slows the server down)")  # fmt: skip
    ok = r["errors"] == 0 and r["opened"] == r["sessions"] and lat["all"]["p95"] <= targets["p95"]
    if mem.get("freed") and mem.get("idle_warm"):
        growth = (mem["freed"] - mem["idle_warm"]) / mem["idle_warm"]
        print(f"memory after the sessions were freed: {growth:+.1%} of warm idle "
              f"(target within {targets['memory']:.0%})")  # fmt: skip
        ok = ok and growth <= targets["memory"]
    if r["rounds"] > 1 and mem.get("freed_1"):
        per_round = (mem["freed"] - mem["freed_1"]) / (r["rounds"] - 1)
        print(f"memory kept per further round of {r['sessions'] // r['rounds']} sessions: "
              f"{per_round:+.1f} MB (a leak grows with every round)")  # fmt: skip
    print("targets met" if ok else "TARGETS MISSED")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0,
                        help="seconds of clicking once every session is open")
    parser.add_argument("--ramp", type=float, default=20.0,
                        help="the sessions open one after another over this many seconds")
    parser.add_argument("--think", type=float, nargs=2, default=(0.5, 2.0), metavar=("MIN", "MAX"))
    parser.add_argument("--url", help="a running server (default: start one)")
    parser.add_argument("--pid", type=int, help="that server's process id, for its memory")
    parser.add_argument("--serve-args", default="", help="extra `myoatlas serve` arguments")
    parser.add_argument("--annotations", type=Path, help="the served content (for targets)")
    parser.add_argument("--meshes", type=Path, help="the served meshes (for targets)")
    parser.add_argument("--settle", type=float, default=30.0, help="max seconds to wait for frees")
    parser.add_argument("--rounds", type=int, default=1,
                        help="run the whole batch of sessions this many times (leak check)")
    parser.add_argument("--target-p95-ms", type=float, default=500.0)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    extra = shlex.split(args.serve_args)
    if args.annotations is None and "--annotations" in extra:
        args.annotations = Path(extra[extra.index("--annotations") + 1])
    if args.meshes is None and "--meshes" in extra:
        args.meshes = Path(extra[extra.index("--meshes") + 1])
    proc = None
    if args.url:
        url, pid = args.url, args.pid
    else:
        proc, url = start_server(extra)
        pid = proc.pid
        print(f"server: {url} (pid {pid})")
    try:
        result = asyncio.run(run(args, url, pid))
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    result["cpu_count"] = os.cpu_count()
    result["load_average_1min_at_end"] = round(os.getloadavg()[0], 2)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0 if report(result, {"p95": args.target_p95_ms, "memory": 0.10}) else 1


if __name__ == "__main__":
    sys.exit(main())
