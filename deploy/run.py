"""Run Myoatlas as several processes behind nginx on one address (see deploy/README.md).

Usage::

    python deploy/run.py [--procs 2] [--listen 127.0.0.1:8080] [--first-port 5101]
                         [--public-origin clinic.example:443 ...] [--run-dir DIR]
                         [-- extra `myoatlas serve` options, e.g. --mode patient --lock-mode]

It starts ``--procs`` ``myoatlas serve`` processes on loopback ports ``--first-port``,
``--first-port + 1``, ..., each allowed to accept websockets from the public origin(s), waits
until every one answers (an invalid atlas stops everything with its message), writes the nginx
configuration from ``nginx.conf.template`` into ``--run-dir`` and runs Debian's nginx in the
foreground with it. Ctrl+C (or SIGTERM) stops nginx and the app processes.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TEMPLATE = HERE / "nginx.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = "/etc/nginx/mime.types"


def render_config(listen: str, backends: Sequence[int], run_dir: Path) -> str:
    """The nginx configuration for ``backends`` (loopback ports) behind ``listen``."""
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;" for port in backends
    )
    text = TEMPLATE.read_text(encoding="utf-8")
    for key, value in {
        "@@RUN_DIR@@": str(run_dir), "@@LISTEN@@": listen, "@@BACKENDS@@": servers,
        "@@MIME_TYPES@@": MIME_TYPES,
    }.items():  # fmt: skip
        text = text.replace(key, value)
    return text


def serve_command(port: int, origins: Sequence[str], extra: Sequence[str]) -> list[str]:
    """The ``myoatlas serve`` command line of one backend process."""
    cmd = [sys.executable, "-m", "anatomy.cli", "serve", "--port", str(port),
           "--address", "127.0.0.1", "--use-xheaders"]  # fmt: skip
    for origin in origins:
        cmd += ["--allow-websocket-origin", origin]
    return cmd + list(extra)


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float) -> None:
    """Wait for HTTP 200 from ``url``; raise RuntimeError with the output if ``proc`` dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read() if proc.stdout else ""
            raise RuntimeError(f"{url} exited with status {proc.returncode}:\n{out}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as response:
            if response.status == 200:
                return
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:g} s")


class Deployment:
    """N app processes and an nginx in front of them; a context manager that stops them all.

    Parameters
    ----------
    procs
        How many ``myoatlas serve`` processes.
    listen
        nginx's ``host:port``.
    first_port
        The first backend port (the others follow).
    origins
        ``host:port`` origins browsers will use (the listen address is always included).
    run_dir
        Where the configuration, logs and nginx's pid and temp files go.
    extra
        Further ``myoatlas serve`` options.
    """

    def __init__(self, procs: int, listen: str, first_port: int, origins: Sequence[str],
                 run_dir: Path, extra: Sequence[str] = ()) -> None:  # fmt: skip
        self.ports = [first_port + i for i in range(procs)]
        self.listen = listen
        host, _, port = listen.rpartition(":")
        local = [listen, f"localhost:{port}", f"127.0.0.1:{port}"]
        self.origins = list(dict.fromkeys([*local, *origins]))
        self.run_dir = run_dir
        self.extra = list(extra)
        self.apps: list[subprocess.Popen] = []
        self.nginx: subprocess.Popen | None = None
        self.url = f"http://{'127.0.0.1' if host in ('', '0.0.0.0') else host}:{port}/"

    def start(self, timeout: float = 180.0) -> Deployment:
        """Start the backends, wait for them, then nginx; raise RuntimeError on failure."""
        try:
            for port in self.ports:
                self.apps.append(subprocess.Popen(
                    serve_command(port, self.origins, self.extra), cwd=REPO,
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                ))  # fmt: skip
            for port, proc in zip(self.ports, self.apps, strict=True):
                wait_until_up(f"http://127.0.0.1:{port}/", proc, timeout)
            for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
                (self.run_dir / "tmp" / sub).mkdir(parents=True, exist_ok=True)
            conf = self.run_dir / "nginx.conf"
            conf.write_text(render_config(self.listen, self.ports, self.run_dir), "utf-8")
            check = subprocess.run([NGINX, "-t", "-q", "-p", str(self.run_dir), "-c", str(conf)],
                                   capture_output=True, text=True)  # fmt: skip
            if check.returncode != 0:
                raise RuntimeError(f"nginx rejected {conf}:\n{check.stderr}")
            self.nginx = subprocess.Popen(
                [NGINX, "-p", str(self.run_dir), "-c", str(conf), "-g", "daemon off;"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )  # fmt: skip
            wait_until_up(self.url, self.nginx, 30.0)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop nginx, then the app processes."""
        for proc in ([self.nginx] if self.nginx else []) + self.apps:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM if proc is self.nginx else signal.SIGINT)
        for proc in ([self.nginx] if self.nginx else []) + self.apps:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()

    def __enter__(self) -> Deployment:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        extra, argv = argv[argv.index("--") + 1:], argv[: argv.index("--")]
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--procs", type=int, default=2, help="app processes (default 2)")
    parser.add_argument("--listen", default="127.0.0.1:8080", help="nginx's host:port")
    parser.add_argument("--first-port", type=int, default=5101, help="first backend port")
    parser.add_argument("--public-origin", action="append", default=[], metavar="HOST:PORT",
                        help="the host:port people type, when not the listen address")
    parser.add_argument("--run-dir", type=Path, help="config, logs, pid (default: a temp dir)")
    args = parser.parse_args(argv)
    if args.procs < 1:
        parser.error("--procs must be at least 1")
    run_dir = args.run_dir or Path(tempfile.mkdtemp(prefix="myoatlas-nginx-"))
    run_dir.mkdir(parents=True, exist_ok=True)
    deployment = Deployment(args.procs, args.listen, args.first_port, args.public_origin,
                            run_dir, extra)  # fmt: skip
    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt  # stop from the main flow, not inside a signal handler

    signal.signal(signal.SIGTERM, interrupt)
    try:
        deployment.start()
    except RuntimeError as exc:
        print(f"deploy: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    print(f"myoatlas: {args.procs} processes behind nginx at {deployment.url} "
          f"(config and logs in {run_dir}; Ctrl+C stops)", flush=True)  # fmt: skip
    try:
        assert deployment.nginx is not None
        deployment.nginx.wait()
    except KeyboardInterrupt:
        pass
    finally:
        deployment.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
