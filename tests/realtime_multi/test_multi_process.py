"""Several Daphne processes behind one port (``python -m bench.serve_multi``) on one Redis
channel layer: clients on different processes see the same events, in the same order, with no
gap, and exactly the events their audience is streamed. Commands are sent from clients on both
processes, at the same time, and the presence events the sockets cause are made by both
processes too, so the log is written from everywhere.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
import websockets
from channels.db import database_sync_to_async
from django.db import connection

from bench.sockets import serving_pid
from meetings.models import Meeting, MeetingEvent
from meetings.visibility import confidential_item_ids
from realtime.models import ApiToken
from realtime.stream import event_frame
from tests.support.committee import make_committee
from tests.support.services import require_redis

pytestmark = [pytest.mark.live, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
WAIT = 60  # seconds: an upper bound for slow shared machines, never a timing assertion
PROCESSES = 2
MAX_SOCKETS = 40  # SO_REUSEPORT spreads by hash; stop trying long before this


def server_env(redis_url: str) -> dict[str, str]:
    """Make the served processes use this test's database and Redis."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "REDIS_URL": redis_url,
           "PYTHONPATH": str(ROOT), "KLUBBA_LOG_LEVEL": "WARNING"}
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        env["KLUBBA_SQLITE_PATH"] = str(db["NAME"])
        env.pop("DATABASE_URL", None)
    else:
        user = quote(db["USER"] or "")
        password = quote(db["PASSWORD"] or "")
        auth = f"{user}:{password}@" if password else f"{user}@"
        env["DATABASE_URL"] = (f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:"
                               f"{db['PORT'] or 5432}/{db['NAME']}")
    return env


def start_servers(env: dict[str, str], log) -> tuple[subprocess.Popen, dict]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.serve_multi", "--processes", str(PROCESSES),
         "--port", "0"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log, start_new_session=True,
        text=True,
    )
    line = proc.stdout.readline()  # serve_multi prints one JSON line once all are started
    if not line:
        proc.wait(timeout=WAIT)
        raise AssertionError(f"serve_multi exited with {proc.returncode}")
    return proc, json.loads(line)


def stop_servers(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait(timeout=10)


class LiveClient:
    """One websocket; every frame is kept, in arrival order."""

    def __init__(self, ws, pid: int | None, label: str) -> None:
        self.ws = ws
        self.pid = pid
        self.label = label
        self.frames: list[dict] = []
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for text in self.ws:
            self.frames.append(json.loads(text))

    async def wait_for(self, predicate, what: str) -> dict:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            for frame in self.frames:
                if predicate(frame):
                    return frame
            await asyncio.sleep(0.05)
        raise AssertionError(f"{self.label} (pid {self.pid}) never got {what}: "
                             f"{self.frames[-3:]}")

    async def command(self, frame_id: str, name: str, args: dict) -> dict:
        await self.ws.send(json.dumps({"v": 1, "type": "command", "id": frame_id,
                                       "name": name, "args": args}))
        reply = await self.wait_for(
            lambda f: f.get("type") == "reply" and f.get("id") == frame_id, f"reply {frame_id}")
        assert reply["ok"], reply
        return reply

    def events(self) -> list[tuple[int, str]]:
        return [(f["seq"], f["event"]) for f in self.frames if f.get("type") == "event"]

    def snapshot_seq(self) -> int:
        return next(f["seq"] for f in self.frames if f.get("type") == "snapshot")

    async def close(self) -> None:
        self.reader.cancel()
        try:
            await asyncio.wait_for(self.ws.close(), 5)
        except Exception:
            pass


async def open_client(url: str, info: dict, label: str, *, token: str | None) -> LiveClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    origin = None if token else f"http://127.0.0.1:{info['port']}"
    ws = await websockets.connect(url, additional_headers=headers, origin=origin,
                                  open_timeout=WAIT)
    client_port = ws.transport.get_extra_info("sockname")[1]
    pid = serving_pid("127.0.0.1", info["port"], client_port, info["pids"])
    client = LiveClient(ws, pid, label)
    await client.wait_for(lambda f: f.get("type") == "snapshot", "a snapshot")
    return client


def streamed_seqs(meeting_id: int) -> dict[str, list[int]]:
    """Per audience, the seqs the log says are streamed as event frames (connections are
    summed up in progress frames, and the public skips what it may not see)."""
    confidential = confidential_item_ids(meeting_id)
    events = list(MeetingEvent.objects.filter(meeting_id=meeting_id).order_by("seq"))
    assert any(e.type == "presence.connected" for e in events)  # made by both processes
    return {audience: [e.seq for e in events if event_frame(e, audience, confidential)]
            for audience in ("participants", "public")}


def head_seq(meeting_id: int) -> int:
    return Meeting.objects.values_list("last_seq", flat=True).get(pk=meeting_id)


async def test_clients_on_different_processes_see_the_same_events_in_the_same_order():
    redis_url = require_redis()
    redis.Redis.from_url(redis_url, socket_timeout=5).ping()
    c = await database_sync_to_async(make_committee)(name="Flerprocessnämnden")
    tokens = {}
    for user in (c.secretary, c.members[1], c.members[2]):
        tokens[user.pk] = (await database_sync_to_async(ApiToken.issue)(user=user,
                                                                         name="multi"))[1]
    meeting_id = c.meeting.pk
    log = tempfile.TemporaryFile()
    proc, info = start_servers(server_env(redis_url), log)
    clients: list[LiveClient] = []
    try:
        base = f"ws://127.0.0.1:{info['port']}"
        part_url = f"{base}/ws/meetings/{meeting_id}/"
        public_url = f"{base}/ws/public/meetings/{meeting_id}/"
        users = [c.secretary, c.members[1], c.members[2]]
        # Open sockets until the secretary's process and another one both hold members.
        for n in range(MAX_SOCKETS):
            user = users[n % len(users)]
            clients.append(await open_client(part_url, info, f"user{user.pk}#{n}",
                                             token=tokens[user.pk]))
            pids_by_user = {u.pk: {cl.pid for cl in clients if cl.label.startswith(
                f"user{u.pk}#")} for u in users}
            if len({cl.pid for cl in clients}) == PROCESSES and all(pids_by_user.values()):
                break
        for n in range(4):
            clients.append(await open_client(public_url, info, f"public#{n}", token=None))
        assert None not in {cl.pid for cl in clients}, "a client's server process is unknown"
        assert len({cl.pid for cl in clients}) == PROCESSES, (
            f"all {len(clients)} sockets landed on one process")

        def of(user) -> list[LiveClient]:
            return [cl for cl in clients if cl.label.startswith(f"user{user.pk}#")]

        secretary = of(c.secretary)[0]
        member_a = of(c.members[1])[0]
        # The second member on another process than the first, when there is one.
        member_b = sorted(of(c.members[2]), key=lambda cl: cl.pid == member_a.pid)[0]

        await secretary.command("m-open", "meeting.open", {})
        # Two members on (possibly) different processes check in at the same moment, while
        # the opening makes every member socket report presence from its own process.
        await asyncio.gather(member_a.command("a-in", "attendance.check_in", {}),
                             member_b.command("b-in", "attendance.check_in", {}))
        await secretary.command("m-roll", "roll_call.start", {})
        await secretary.command("m-conf", "attendance.confirm",
                                {"user_ids": [c.members[1].pk, c.members[2].pk]})
        await secretary.command("m-in3", "attendance.check_in",
                                {"user_id": c.members[3].pk, "remote": False})
        await secretary.command("m-agenda", "agenda.approve", {})
        await secretary.command("m-item", "item.activate", {"item_id": c.items[0].pk})

        # Let the presence reports settle, then every client must reach the log's head.
        head = -1
        for _ in range(10):
            new_head = await database_sync_to_async(head_seq)(meeting_id)
            if new_head == head:
                break
            head = new_head
            await asyncio.sleep(1.0)
        for cl in clients:
            await cl.wait_for(lambda f, h=head: f.get("type") in ("event", "progress")
                              and f["seq"] >= h, f"seq {head}")

        streamed = await database_sync_to_async(streamed_seqs)(meeting_id)
        reference = secretary.events()
        assert [seq for seq, _ in reference] == streamed["participants"], reference
        kinds = {kind for _, kind in reference}
        assert {"meeting.opened", "attendance.checked_in", "item.activated"} <= kinds
        for cl in clients:
            events = cl.events()
            assert cl.snapshot_seq() == 0
            audience = "public" if cl.label.startswith("public") else "participants"
            assert [seq for seq, _ in events] == streamed[audience], (
                f"{cl.label} on pid {cl.pid} saw another order: {events} vs {streamed}")
            if audience == "participants":
                assert events == reference, f"{cl.label} on pid {cl.pid}: {events}"
    except BaseException:
        log.seek(0)
        sys.stderr.write(f"--- serve_multi\n{log.read().decode(errors='replace')[-4000:]}")
        raise
    finally:
        for cl in clients:
            await cl.close()
        stop_servers(proc)
        log.close()
