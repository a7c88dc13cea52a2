"""Real Daphne processes for fault tests, each on its own port (so one can be killed with
``kill -9`` and restarted on the same port while the others keep serving), and a client that
behaves like the browser's: it reconnects with exponential backoff, asks ``sync since=<last
seq>`` after a reconnect, applies each event ``seq`` once, and retries a command with the same
``id`` after a drop.

Everything is bounded: every wait ends after ``WAIT`` seconds (an upper bound for slow shared
machines, never a timing assertion)."""

from __future__ import annotations

import asyncio
import json
import random
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import websockets

from bench.serve_multi import WEBSOCKET_LIMITS

ROOT = Path(__file__).resolve().parents[2]
WAIT = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One Daphne process on 127.0.0.1:``port``; ``kill`` is ``kill -9``."""

    def __init__(self, env: dict[str, str], log: Any, port: int | None = None) -> None:
        self.env, self.log = env, log
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port),
             "--verbosity", "0", *WEBSOCKET_LIMITS, "klubba.asgi:application"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log, start_new_session=True)
        deadline = time.monotonic() + WAIT
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"daphne on {self.port} did not start") from None
                time.sleep(0.1)

    def kill(self) -> None:
        """``kill -9``: no shutdown, no goodbye to sockets, Redis or the database."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=WAIT)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=WAIT)


def backoff(attempt: int) -> float:
    """The browser client's backoff (static/klubba/meeting.js), scaled down tenfold: 0.01 s
    plus a random share of 0.1 s, 0.2 s, 0.4 s ... at most 3 s (full jitter)."""
    return 0.01 + random.uniform(0, min(3.0, 0.1 * 2 ** attempt))


class ResilientClient:
    """One logical client over as many sockets as it takes."""

    def __init__(self, url: str, label: str, *, token: str | None = None,
                 origin: str | None = None) -> None:
        self.url, self.label, self.token, self.origin = url, label, token, origin
        self.applied: list[int] = []  # event seqs, each applied once, in the order applied
        self.duplicates = 0  # event frames for a seq already applied
        self._seen: set[int] = set()
        self.last = 0  # the highest seq this client is current up to
        self.first_snapshot: int | None = None
        self.connects = 0
        self.replies: dict[str, dict] = {}
        self.frames: list[dict] = []  # every non-event frame, for failure messages
        self.ws: Any = None
        self.connected = asyncio.Event()
        self.stopping = False
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        attempt = 0
        while not self.stopping:
            try:
                ws = await websockets.connect(
                    self.url, open_timeout=10, max_size=2**22, ping_interval=None,
                    additional_headers={"Authorization": f"Bearer {self.token}"}
                    if self.token else {}, origin=self.origin)
            except (TimeoutError, OSError, websockets.exceptions.WebSocketException):
                await asyncio.sleep(backoff(attempt))
                attempt += 1
                continue
            self.connects += 1
            base = self.last
            try:
                async for text in ws:
                    if self._on_frame(json.loads(text), base):
                        self.ws = ws
                        attempt = 0
                        self.connected.set()
                        if self.connects > 1 and base < self.last:
                            await ws.send(json.dumps({"v": 1, "type": "sync",
                                                      "id": f"sync-{self.connects}",
                                                      "since": base}))
            except websockets.exceptions.ConnectionClosed:
                pass
            self.ws = None
            self.connected.clear()
            if not self.stopping:
                await asyncio.sleep(backoff(attempt))
                attempt += 1

    def _on_frame(self, frame: dict, base: int) -> bool:
        """Apply one frame; True for a snapshot (the socket is ready)."""
        kind = frame.get("type")
        if kind == "event":
            if frame["seq"] in self._seen:
                self.duplicates += 1
            else:
                self._seen.add(frame["seq"])
                self.applied.append(frame["seq"])
            self.last = max(self.last, frame["seq"])
            return False
        self.frames.append(frame)
        if kind == "progress":
            self.last = max(self.last, frame["seq"])
        elif kind == "reply":
            self.replies[frame["id"]] = frame
        elif kind == "snapshot":
            if self.first_snapshot is None:
                self.first_snapshot = frame["seq"]
            self.last = max(self.last, frame["seq"])
            return True
        return False

    async def ready(self) -> None:
        await asyncio.wait_for(self.connected.wait(), WAIT)

    async def command(self, frame_id: str, name: str, args: dict,
                      *, done_codes: tuple[str, ...] = ()) -> dict:
        """Send until answered: after a drop, resend with the same ``id`` on the new socket.
        A refusal whose code is in ``done_codes`` counts as an answer; others fail."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            await asyncio.wait_for(self.connected.wait(), max(0.1, deadline - time.monotonic()))
            ws = self.ws
            try:
                await ws.send(json.dumps({"v": 1, "type": "command", "id": frame_id,
                                          "name": name, "args": args}))
            except (AttributeError, websockets.exceptions.ConnectionClosed):
                continue
            while frame_id not in self.replies and self.ws is ws and (
                    time.monotonic() < deadline):
                await asyncio.sleep(0.02)
            reply = self.replies.pop(frame_id, None)
            if reply is None:
                continue  # dropped before the answer: resend on the next socket
            if reply["ok"] or reply["error"]["code"] in done_codes:
                return reply
            if reply["error"]["code"] == "rate_limited":
                await asyncio.sleep(reply["error"]["details"]["retry_after"])
                continue
            raise AssertionError(f"{self.label}: {name} refused: {reply}")
        raise AssertionError(f"{self.label}: {name} {frame_id} never answered")

    async def current_to(self, seq: int) -> None:
        deadline = time.monotonic() + WAIT
        while self.last < seq:
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.label} stuck at {self.last} < {seq}: "
                                     f"{self.frames[-3:]}")
            await asyncio.sleep(0.05)

    async def close(self) -> None:
        self.stopping = True
        if self.ws is not None:
            try:
                await asyncio.wait_for(self.ws.close(), 5)
            except Exception:
                pass
        self.task.cancel()
        try:
            await self.task
        except BaseException:
            pass
