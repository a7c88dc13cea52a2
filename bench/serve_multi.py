"""Serve Klubba with N Daphne processes on one listening port.

    python -m bench.serve_multi --processes 4 --host 127.0.0.1 --port 8000

Every process must share state through services: ``REDIS_URL`` (the channel layer; the
in-memory layer cannot cross processes, so more than one process without it is refused) and
``DATABASE_URL`` (PostgreSQL; an SQLite file does work across processes on one machine, which
tests use, but it serialises every write, so production wants PostgreSQL).

By default each Daphne gets its own listening socket bound to the same port with
``SO_REUSEPORT``, so the kernel spreads new connections evenly over the processes.
``--shared-socket`` instead hands one socket to all of them (``daphne --fd``), where whichever
process accepts first wins (uneven under bursts). ``--separate-ports`` gives each Daphne its
own port (for a load balancer in front, deploy/nginx). The supervisor forwards SIGTERM/SIGINT
to the Daphnes.

When one Daphne dies (a crash, the OOM killer, ``kill -9``), the supervisor restarts **only
that one**; the healthy siblings keep serving. The supervisor keeps no copy of a process's
listening socket, so the dead process's socket closes with it: with SO_REUSEPORT the kernel
then hands every new connection to the siblings at once (the dropped clients reconnect there
instead of waiting for the restart), and with ``--separate-ports`` a load balancer gets
"connection refused" and tries the next server. The restarted process opens a fresh socket
on the same port only once it has loaded the application (``bench.serve_child``), so no
connection waits in the queue of a process that cannot serve it yet. More than
``--max-restarts`` restarts within a minute stop the whole set (a crash loop is for systemd,
or whatever runs this, to see).

Once every Daphne has been started it prints one JSON line to stdout:
``{"host": ..., "port": ..., "ports": [...], "pids": [...]}`` (``--port 0`` picks a free
port), and after each restart one line ``{"restarted": <index>, "pid": ..., "pids": [...],
"at": <time.monotonic()>}``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time

from bench.sysinfo import raise_nofile


def listening_socket(host: str, port: int, *, reuseport: bool, backlog: int) -> socket.socket:
    """A listening TCP socket; inheritable so a Daphne child can adopt it with ``--fd``."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuseport:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    sock.set_inheritable(True)
    return sock


#: Daphne's transport limit for one incoming websocket message, set explicitly: above the
#: application's own limit (``KLUBBA["MAX_FRAME_BYTES"]``, 1 MiB), so an oversize frame up to
#: this size is answered ``frame_too_large`` on an open socket instead of being cut off
#: (docs/operations.md).
WEBSOCKET_LIMITS = ["--websocket-max-message-size", "2097152",
                    "--websocket-max-frame-size", "2097152"]


def daphne_options(app: str, extra: list[str]) -> list[str]:
    limits = [] if "--websocket-max-message-size" in extra else WEBSOCKET_LIMITS
    return ["--verbosity", "0", *limits, *extra, app]


def daphne_argv(fd: int, app: str, extra: list[str]) -> list[str]:
    daphne = os.path.join(os.path.dirname(sys.executable), "daphne")
    if not os.path.exists(daphne):
        daphne_cmd = [sys.executable, "-m", "daphne"]
    else:
        daphne_cmd = [daphne]
    return [*daphne_cmd, "--fd", str(fd), *daphne_options(app, extra)]


def make_sockets(args: argparse.Namespace) -> list[socket.socket]:
    """One socket for all (``--shared-socket``), one port each (``--separate-ports``, the
    first on ``--port``), or one SO_REUSEPORT socket each on one port (the default)."""
    if args.shared_socket:
        return [listening_socket(args.host, args.port, reuseport=False, backlog=args.backlog)]
    if args.separate_ports:
        return [listening_socket(args.host, args.port if i == 0 else 0, reuseport=False,
                                 backlog=args.backlog) for i in range(args.processes)]
    first = listening_socket(args.host, args.port, reuseport=True, backlog=args.backlog)
    port = first.getsockname()[1]
    return [first] + [listening_socket(args.host, port, reuseport=True, backlog=args.backlog)
                      for _ in range(args.processes - 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.serve_multi", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", "-n", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--app", default="klubba.asgi:application")
    parser.add_argument("--backlog", type=int, default=4096)
    parser.add_argument("--shared-socket", action="store_true",
                        help="one socket for all processes instead of SO_REUSEPORT sockets")
    parser.add_argument("--separate-ports", action="store_true",
                        help="each process on its own port (behind a load balancer)")
    parser.add_argument("--max-restarts", type=int, default=5,
                        help="restarts within a minute before the whole set is stopped")
    parser.add_argument("daphne_args", nargs="*",
                        help="extra Daphne arguments after --, e.g. -- --proxy-headers")
    args = parser.parse_args(argv)

    if args.processes < 1:
        parser.error("--processes must be at least 1")
    if args.processes > 1 and not os.environ.get("REDIS_URL"):
        parser.error(f"{args.processes} processes need a shared channel layer: set REDIS_URL")
    if args.processes > 1 and not os.environ.get("DATABASE_URL"):
        print("serve_multi: no DATABASE_URL, the processes share an SQLite file (fine for "
              "tests, use PostgreSQL in production)", file=sys.stderr, flush=True)
    raise_nofile()

    sockets = make_sockets(args)
    port = sockets[0].getsockname()[1]

    children: list[subprocess.Popen] = []
    stopping = False

    def stop(signum: int = signal.SIGTERM, _frame: object = None) -> None:
        nonlocal stopping
        stopping = True
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    ports = [sock.getsockname()[1] for sock in sockets]

    def start(i: int, sock: socket.socket | None = None) -> subprocess.Popen:
        """Start Daphne ``i`` on ``sock``; without one (a restart), the child opens its port
        itself once it can serve (``bench.serve_child``)."""
        if args.shared_socket:
            sock = sockets[0]
        elif sock is None:
            return subprocess.Popen([
                sys.executable, "-m", "bench.serve_child", "--host", args.host,
                "--port", str(ports[i]), "--backlog", str(args.backlog),
                *([] if args.separate_ports else ["--reuseport"]),
                "--", *daphne_options(args.app, args.daphne_args)])
        child = subprocess.Popen(daphne_argv(sock.fileno(), args.app, args.daphne_args),
                                 pass_fds=(sock.fileno(),))
        if not args.shared_socket:
            # The parent keeps no socket it does not serve: a REUSEPORT socket left here
            # would still be handed connections, and nobody would accept them after a crash.
            sock.close()
        return child

    restarts: list[float] = []
    try:
        for i in range(args.processes):
            children.append(start(i, sockets[0] if args.shared_socket else sockets[i]))
        print(json.dumps({"host": args.host, "port": port, "ports": sorted(set(ports)),
                          "pids": [c.pid for c in children]}), flush=True)
        while not stopping:
            for i, child in enumerate(children):
                if stopping or child.poll() is None:
                    continue
                now = time.monotonic()
                restarts = [t for t in restarts if now - t < 60] + [now]
                if len(restarts) > args.max_restarts:
                    print(f"serve_multi: {len(restarts)} restarts within a minute; stopping",
                          file=sys.stderr, flush=True)
                    stop()
                    break
                print(f"serve_multi: Daphne {i} (pid {child.pid}) exited with "
                      f"{child.returncode}; restarting it alone", file=sys.stderr, flush=True)
                children[i] = start(i)
                print(json.dumps({"restarted": i, "pid": children[i].pid,
                                  "pids": [c.pid for c in children],
                                  "at": time.monotonic()}), flush=True)
            time.sleep(0.05)
    finally:
        stop()
        deadline = time.monotonic() + 10
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        if args.shared_socket:
            sockets[0].close()
    codes = [c.returncode for c in children]
    return 0 if all(code in (0, -signal.SIGTERM) for code in codes) else 1


if __name__ == "__main__":
    sys.exit(main())
