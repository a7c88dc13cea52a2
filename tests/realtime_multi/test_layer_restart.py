"""A Redis restart mid-meeting (issue 13): every client of two Daphne processes keeps getting
every later event live, without asking for a sync, with no duplicate and up to the head.

The test starts its OWN redis-server on a free port (never the shared one), points the served
processes at it, kills it mid-meeting and starts it again on the same port: every group and
queued message is gone, as after a real restart. CI gates it like the other Redis tests
(``require_redis``)."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter

import pytest
import redis
from channels.db import database_sync_to_async

from realtime.models import ApiToken
from tests.realtime_multi.test_multi_process import (
    PROCESSES,
    WAIT,
    LiveClient,
    head_seq,
    open_client,
    server_env,
    start_servers,
    stop_servers,
    streamed_seqs,
)
from tests.support.committee import make_committee
from tests.support.services import require_redis

pytestmark = [pytest.mark.live, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

SOCKETS = 16  # participants, spread over both processes by the kernel
PUBLIC = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnRedis:
    """A throwaway redis-server: no persistence, so a restart loses every group."""

    def __init__(self) -> None:
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + WAIT
        while True:
            try:
                redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2).ping()
                return
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None


async def command(client: LiveClient, frame_id: str, name: str, args: dict) -> None:
    await client.command(frame_id, name, args)


async def settled_head(meeting_id: int) -> int:
    """The log's head once presence reports stop moving it."""
    head = -1
    for _ in range(15):
        new_head = await database_sync_to_async(head_seq)(meeting_id)
        if new_head == head:
            return head
        head = new_head
        await asyncio.sleep(1.0)
    return head


async def test_every_client_gets_every_event_live_after_a_redis_restart():
    require_redis()  # the CI switch; this test uses its own server below
    if shutil.which("redis-server") is None:
        pytest.skip("needs the redis-server binary")
    own = OwnRedis()
    own.start()
    c = await database_sync_to_async(make_committee)(name="Omstartsnämnden")
    users = [c.secretary, *c.members[1:4]]
    tokens = {}
    for user in users:
        tokens[user.pk] = (await database_sync_to_async(ApiToken.issue)(
            user=user, name="restart"))[1]
    meeting_id = c.meeting.pk
    log = tempfile.TemporaryFile()
    proc, info = start_servers(server_env(own.url), log)
    clients: list[LiveClient] = []
    try:
        base = f"ws://127.0.0.1:{info['port']}"
        for n in range(SOCKETS):
            user = users[n % len(users)]
            clients.append(await open_client(f"{base}/ws/meetings/{meeting_id}/", info,
                                             f"user{user.pk}#{n}", token=tokens[user.pk]))
        for n in range(PUBLIC):
            clients.append(await open_client(f"{base}/ws/public/meetings/{meeting_id}/",
                                             info, f"public#{n}", token=None))
        assert len({cl.pid for cl in clients}) == PROCESSES, "all sockets on one process"
        secretary = clients[0]
        await command(secretary, "r-open", "meeting.open", {})
        for member in c.members[1:4]:  # the roll call: a quorum before the agenda
            await command(secretary, f"r-in-{member.pk}", "attendance.check_in",
                          {"user_id": member.pk, "remote": False})
        await command(secretary, "r-agenda", "agenda.approve", {})
        before = await settled_head(meeting_id)
        for cl in clients:
            await cl.wait_for(lambda f, h=before: f.get("seq", 0) >= h
                              and f.get("type") in ("event", "progress"), f"seq {before}")

        # Redis goes away and comes back empty; one event is committed while it is down.
        own.stop()
        await command(secretary, "r-item", "item.activate", {"item_id": c.items[0].pk})
        own.start()
        for n, name in enumerate(("item.close", "item.activate", "item.close")):
            item = c.items[0 if n == 0 else 1]
            args: dict = {"item_id": item.pk}
            if name == "item.close":  # nothing was decided: say so (item_decision_missing)
                args |= {"without_decision": True, "reason": "Ärendet utgår"}
            await command(secretary, f"r-after-{n}", name, args)
        head = await settled_head(meeting_id)
        assert head > before + 3

        for cl in clients:
            await cl.wait_for(lambda f, h=head: f.get("type") in ("event", "progress")
                              and f["seq"] >= h, f"seq {head}")
        streamed = await database_sync_to_async(streamed_seqs)(meeting_id)
        for cl in clients:
            audience = "public" if cl.label.startswith("public") else "participants"
            seqs = [seq for seq, _ in cl.events()]
            assert not [s for s, k in Counter(seqs).items() if k > 1], (cl.label, seqs)
            assert seqs == streamed[audience], (cl.label, cl.pid, seqs, streamed[audience])
            last = max(f["seq"] for f in cl.frames if f.get("type") in ("event", "progress",
                                                                          "snapshot"))
            assert last == head, (cl.label, last, head)
            assert not [f for f in cl.frames if f.get("type") == "error"], cl.frames[-3:]
    except BaseException:
        log.seek(0)
        sys.stderr.write(f"--- serve_multi\n{log.read().decode(errors='replace')[-4000:]}")
        raise
    finally:
        for cl in clients:
            await cl.close()
        stop_servers(proc)
        own.stop()
        log.close()
