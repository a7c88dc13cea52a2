"""A Daphne that ``bench.serve_multi`` restarts opens its port only once it can serve.

Before, the supervisor opened the restarted process's socket at once: for the seconds Django
took to load, the kernel queued every connection on it and nobody accepted them, and nginx
(``least_conn``) sent the reconnecting clients of the dead process there rather than to the
healthy sibling. A refused connection is what sends a client or a load balancer elsewhere.
The application here waits on its import until a gate file exists, so the test holds the
restarted process in "still loading" for as long as it looks.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _lines(proc: subprocess.Popen) -> queue.Queue:
    """The supervisor's stdout, line by line, readable with a timeout."""
    lines: queue.Queue = queue.Queue()

    def pump() -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _served_by(port: int, within: float) -> str:
    """The body of ``GET /`` once the port answers (it says which process served it)."""
    deadline = time.monotonic() + within
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/")
            return conn.getresponse().read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _refused(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return False
    except ConnectionRefusedError:
        return True


@pytest.mark.parametrize("mode", [["--separate-ports"], []], ids=["separate-ports", "reuseport"])
def test_a_restarted_daphne_refuses_connections_until_it_can_serve(tmp_path, mode):
    gate = tmp_path / "gate"
    gate.touch()
    env = {**os.environ, "KLUBBA_TEST_GATE": str(gate), "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.serve_multi", "--processes", "1", "--port", "0", *mode,
         "--app", "tests.support.gated_asgi:application"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
    lines = _lines(proc)
    try:
        info = json.loads(lines.get(timeout=60))
        port, first = info["ports"][0], info["pids"][0]
        assert _served_by(port, within=60) == f"pid {first}"

        gate.unlink()  # the next process to load the application waits here
        os.kill(first, signal.SIGKILL)
        restarted = json.loads(lines.get(timeout=60))
        assert restarted["restarted"] == 0 and restarted["pid"] != first
        # Still loading: every connection is refused, none is left waiting in a queue.
        for _ in range(20):
            assert _refused(port)
            time.sleep(0.05)
        assert proc.poll() is None and os.path.exists(f"/proc/{restarted['pid']}")

        gate.touch()
        assert _served_by(port, within=60) == f"pid {restarted['pid']}"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
