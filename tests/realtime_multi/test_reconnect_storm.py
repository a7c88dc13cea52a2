"""A reconnect storm, bounded: ``kill -9`` of one of two Daphne processes under
``bench.serve_multi`` (one port, SO_REUSEPORT) with 20 voters, the secretary and a few public
viewers connected. The supervisor restarts only the killed process (the sibling keeps its
pid), every dropped client comes back with the browser client's backoff and ``sync
since=<last seq>``, and while they come back the meeting is paused and resumed. Then every
client is at the log's head and received each event of its audience's stream after its first
snapshot exactly once: no gap, no duplicate. The same storm at a thousand clients, timed, is
``make bench`` (docs/performance.md); here nothing is timed, every wait is only bounded.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import tempfile

import pytest
from channels.db import database_sync_to_async

from realtime.models import ApiToken
from tests.realtime_multi.test_layer_restart import settled_head
from tests.realtime_multi.test_multi_process import (
    server_env,
    start_servers,
    stop_servers,
    streamed_seqs,
)
from tests.support.committee import make_committee
from tests.support.daphne import WAIT, ResilientClient
from tests.support.services import require_redis
from tests.support.voting import start_item

pytestmark = [pytest.mark.live, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

VOTERS = 20
PUBLIC = 4


def prepare() -> tuple[int, list[str], str]:
    c = make_committee(seats=VOTERS, substitutes=0, name="Stormnämnden")
    live = start_item(c)
    tokens = [ApiToken.issue(user=m, name="storm")[1] for m in c.members]
    return live.meeting_id, tokens, ApiToken.issue(user=c.secretary, name="storm")[1]


async def test_kill_9_of_one_process_every_client_comes_back_in_step():
    redis_url = require_redis()
    meeting_id, tokens, secretary_token = await database_sync_to_async(prepare)()
    log = tempfile.TemporaryFile()
    proc, info = start_servers(server_env(redis_url), log)
    clients: list[ResilientClient] = []
    try:
        base = f"ws://127.0.0.1:{info['port']}"
        part = f"{base}/ws/meetings/{meeting_id}/"
        voters = [ResilientClient(part, f"voter{n}", token=t) for n, t in enumerate(tokens)]
        secretary = ResilientClient(part, "secretary", token=secretary_token)
        public = [ResilientClient(f"{base}/ws/public/meetings/{meeting_id}/", f"public{n}",
                                  origin=f"http://127.0.0.1:{info['port']}")
                  for n in range(PUBLIC)]
        clients = [*voters, secretary, *public]
        for client in clients:
            await client.ready()

        victim, sibling = info["pids"][1], info["pids"][0]
        os.kill(victim, signal.SIGKILL)
        # The log moves while they come back (the secretary may be one of the dropped).
        for r in range(2):
            await secretary.command(f"storm-pause-{r}", "meeting.pause", {"reason": "storm"})
            await secretary.command(f"storm-resume-{r}", "meeting.resume", {})
        line = await asyncio.wait_for(asyncio.to_thread(proc.stdout.readline), WAIT)
        restarted = json.loads(line)
        assert restarted["restarted"] == 1 and restarted["pid"] != victim, restarted
        assert restarted["pids"][0] == sibling and proc.poll() is None  # the sibling stayed
        os.kill(sibling, 0)  # still alive (raises if not)

        # Until the head stays put while every client reaches it (reconnecting sockets may
        # still report presence), within a bound.
        head = -1
        for _ in range(10):
            settled = await settled_head(meeting_id)
            for client in clients:
                await client.current_to(settled)
            if settled == head:
                break
            head = settled
        dropped = [cl for cl in clients if cl.connects > 1]
        assert dropped, "no client was on the killed process"
        assert len(dropped) < len(clients), "every client was on the killed process"
        streamed = await database_sync_to_async(streamed_seqs)(meeting_id)
        for client in clients:
            audience = "public" if client.label.startswith("public") else "participants"
            expected = [s for s in streamed[audience] if s > (client.first_snapshot or 0)]
            assert client.last == head, (client.label, client.last, head)
            assert sorted(client.applied) == expected, (client.label, client.applied, expected)
            assert client.duplicates == 0, client.label
            assert not [f for f in client.frames if f.get("type") == "error"], (
                client.label, client.frames[-3:])
    except BaseException:
        log.seek(0)
        sys.stderr.write(f"--- serve_multi\n{log.read().decode(errors='replace')[-4000:]}")
        raise
    finally:
        for client in clients:
            await client.close()
        stop_servers(proc)
        log.close()
