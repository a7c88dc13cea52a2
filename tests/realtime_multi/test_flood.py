"""Floods on a real Daphne with PostgreSQL and Redis (issue 13), with the default budgets.

One member floods ``proposal.make``, another floods ``attendance.check_in`` (already present),
while the secretary runs the meeting from another socket and an observer follows it. Every
flood frame is answered, only with the documented codes; the proposal cap holds, the
check-ins log nothing; the secretary gets every reply, and the observer every event, in
order, with no gap. (How much the flood slows the others is measured by ``bench/flood.py``,
docs/performance.md; tests assert correctness, never timing.)"""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
import tempfile
import time

import pytest
from channels.db import database_sync_to_async

from meetings.models import MeetingEvent, Proposal
from realtime.models import ApiToken
from tests.realtime_multi.test_layer_restart import OwnRedis, settled_head
from tests.realtime_multi.test_multi_process import server_env, streamed_seqs
from tests.support.committee import make_committee
from tests.support.daphne import WAIT, ResilientClient, Server
from tests.support.services import require_postgres, require_redis
from tests.support.voting import start_item

pytestmark = [pytest.mark.live, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

FLOOD = 80  # frames per flooder, sent without waiting for replies
CAP = 10  # KLUBBA["MAX_PROPOSALS_PER_MEMBER"] default


def prepare() -> tuple[int, dict[str, tuple[int, str]]]:
    c = make_committee(name="Flodnämnden")
    live = start_item(c)  # everyone present and confirmed, item 2 active
    people = {"secretary": c.secretary, "proposer": c.members[1], "checker": c.members[2],
              "observer": c.members[3]}
    return live.meeting_id, {role: (user.pk, ApiToken.issue(user=user, name="flood")[1])
                             for role, user in people.items()}


def logged(meeting_id: int, actor_id: int, kind: str) -> int:
    return MeetingEvent.objects.filter(meeting_id=meeting_id, actor_id=actor_id,
                                       type=kind).count()


def live_proposals(user_id: int) -> int:
    return Proposal.objects.filter(author_id=user_id, withdrawn=False).count()


async def flood(client: ResilientClient, name: str, args: dict) -> list[dict]:
    """Send ``FLOOD`` commands at once; wait (bounded) until each has its answer."""
    ids = [f"{name}-{n}" for n in range(FLOOD)]
    for frame_id in ids:
        await client.ws.send(json.dumps({"v": 1, "type": "command", "id": frame_id,
                                         "name": name, "args": args}))
    deadline = time.monotonic() + WAIT
    while not all(frame_id in client.replies for frame_id in ids):
        assert time.monotonic() < deadline, (
            f"{client.label}: {sum(i in client.replies for i in ids)} of {FLOOD} answered")
        await asyncio.sleep(0.05)
    return [client.replies[frame_id] for frame_id in ids]


def codes(replies: list[dict]) -> dict[str, int]:
    found: dict[str, int] = {}
    for reply in replies:
        code = "ok" if reply["ok"] else reply["error"]["code"]
        found[code] = found.get(code, 0) + 1
    return found


async def test_floods_are_refused_with_documented_codes_while_others_are_served():
    require_postgres()
    require_redis()  # the CI switch; this test uses its own server below
    if shutil.which("redis-server") is None:
        pytest.skip("needs the redis-server binary")
    own = OwnRedis()
    own.start()
    meeting_id, people = await database_sync_to_async(prepare)()
    log = tempfile.TemporaryFile()
    server = Server(server_env(own.url), log)
    server.start()
    clients: dict[str, ResilientClient] = {}
    try:
        url = f"ws://127.0.0.1:{server.port}/ws/meetings/{meeting_id}/"
        for role, (_, token) in people.items():
            clients[role] = ResilientClient(url, role, token=token)
        for client in clients.values():
            await client.ready()
        before = await settled_head(meeting_id)
        secretary = clients["secretary"]

        async def run_meeting() -> list[dict]:
            replies = []
            for n in range(4):
                replies.append(await secretary.command(f"sec-{n}", "roll_call.start", {}))
            return replies

        proposals, check_ins, secretary_replies = await asyncio.gather(
            flood(clients["proposer"], "proposal.make", {"kind": "avslag"}),
            flood(clients["checker"], "attendance.check_in", {"remote": True}),
            run_meeting())

        # The proposal flood: the cap holds, the rest is refused with documented codes.
        proposed = codes(proposals)
        assert set(proposed) <= {"ok", "too_many_proposals", "rate_limited", "queue_full"}, (
            proposed)
        assert proposed.get("too_many_proposals", 0) >= 1, proposed
        assert proposed.get("rate_limited", 0) + proposed.get("queue_full", 0) >= 1, proposed
        proposer_id = people["proposer"][0]
        made = await database_sync_to_async(logged)(meeting_id, proposer_id, "proposal.made")
        assert made == proposed.get("ok", 0) <= CAP
        assert await database_sync_to_async(live_proposals)(proposer_id) == made
        # The check-in flood: answered unchanged or refused, and nothing logged.
        checked = codes(check_ins)
        assert set(checked) <= {"ok", "rate_limited", "queue_full"}, checked
        assert checked.get("rate_limited", 0) + checked.get("queue_full", 0) >= 1, checked
        assert all(r["result"] == {"seq": r["result"]["seq"], "event": None, "unchanged": True}
                   for r in check_ins if r["ok"])
        checker_id = people["checker"][0]
        assert await database_sync_to_async(logged)(
            meeting_id, checker_id, "attendance.checked_in") == 0
        # Everyone else was served: every reply, every event, in order.
        assert [r["ok"] for r in secretary_replies] == [True] * 4
        head = await settled_head(meeting_id)
        assert head >= before + 4 + made
        streamed = (await database_sync_to_async(streamed_seqs)(meeting_id))["participants"]
        for client in clients.values():
            await client.current_to(head)
            expected = [seq for seq in streamed if seq > (client.first_snapshot or 0)]
            assert client.applied == expected, (client.label, client.applied, expected)
            assert client.duplicates == 0 and client.connects == 1, client.label
    except BaseException:
        log.seek(0)
        sys.stderr.write(f"--- daphne\n{log.read().decode(errors='replace')[-4000:]}")
        raise
    finally:
        for client in clients.values():
            await client.close()
        server.stop()
        own.stop()
        log.close()
