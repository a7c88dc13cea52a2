"""``kill -9`` of one of two Daphne processes in the middle of a vote (issue 13).

Two Daphne processes, each on its own port, share PostgreSQL and a Redis channel layer (a
throwaway redis-server of the test's own, as in test_layer_restart). A few dozen voters are
spread over both. Half cast and are answered; then the rest cast at once and, with their
ballots in flight, process A is killed with SIGKILL and started again on the same port. Its
clients reconnect with the browser client's backoff, ask ``sync since=<last seq>``, and resend
an unanswered ``ballot.cast`` with the same id (answered ``ok``, or ``already_voted`` when the
first one was counted before the kill). Then:

- 0 lost: every voter whose cast was answered ``ok`` has a ballot;
- 0 duplicates: one ballot per voter, as many as the voters acknowledged, the vote's count
  agrees;
- every client's last seq is the log's head, and the event seqs it applied are exactly those
  the log streams to participants after its first snapshot: no gap, and no event frame came
  twice.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile

import pytest
from channels.db import database_sync_to_async

from realtime.models import ApiToken
from tests.realtime_multi.test_layer_restart import OwnRedis, settled_head
from tests.realtime_multi.test_multi_process import server_env, streamed_seqs
from tests.support.committee import make_committee
from tests.support.daphne import ResilientClient, Server
from tests.support.services import require_postgres, require_redis
from tests.support.voting import start_item
from voting.commands import vote_open
from voting.models import OpenBallot, Vote

pytestmark = [pytest.mark.live, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

VOTERS = 30


def prepare() -> tuple[int, int, list[int], dict[int, str], int]:
    """A meeting with ``VOTERS`` members present and an open vote on item 2."""
    c = make_committee(seats=VOTERS, substitutes=0, name="Avbrottsnämnden")
    live = start_item(c)
    vote = vote_open(meeting_id=live.meeting_id, actor=c.secretary, item_id=live.item.pk,
                     main_proposal_id=live.prepared().pk)
    tokens = {user.pk: ApiToken.issue(user=user, name="kill")[1]
              for user in [c.secretary, *c.members]}
    return (live.meeting_id, vote.payload["vote_id"], [m.pk for m in c.members], tokens,
            c.secretary.pk)


def counted(vote_id: int) -> tuple[list[int], int]:
    return (list(OpenBallot.objects.filter(vote_id=vote_id).values_list("voter_id", flat=True)),
            Vote.objects.get(pk=vote_id).cast_count)


async def test_kill_9_of_one_process_mid_vote_loses_and_doubles_nothing():
    require_postgres()
    require_redis()  # the CI switch; this test uses its own server below
    if shutil.which("redis-server") is None:
        pytest.skip("needs the redis-server binary")
    own = OwnRedis()
    own.start()
    meeting_id, vote_id, voter_ids, tokens, secretary_id = (
        await database_sync_to_async(prepare)())
    log = tempfile.TemporaryFile()
    env = server_env(own.url)
    a, b = Server(env, log), Server(env, log)
    a.start()
    b.start()
    clients: list[ResilientClient] = []
    try:
        def url(server: Server) -> str:
            return f"ws://127.0.0.1:{server.port}/ws/meetings/{meeting_id}/"

        voters: dict[int, ResilientClient] = {}
        for n, user_id in enumerate(voter_ids):
            server = a if n % 2 == 0 else b
            voters[user_id] = ResilientClient(url(server), f"{'ab'[n % 2]}{user_id}",
                                              token=tokens[user_id])
        secretary = ResilientClient(url(b), "secretary", token=tokens[secretary_id])
        clients = [*voters.values(), secretary]
        for client in clients:
            await client.ready()
        on_a = [uid for n, uid in enumerate(voter_ids) if n % 2 == 0]
        on_b = [uid for n, uid in enumerate(voter_ids) if n % 2 == 1]

        answers: dict[int, str] = {}

        async def cast(user_id: int) -> None:
            reply = await voters[user_id].command(
                f"cast-{user_id}", "ballot.cast",
                {"vote_id": vote_id, "choice": "ja" if user_id % 3 else "nej"},
                done_codes=("already_voted",))
            answers[user_id] = "ok" if reply["ok"] else reply["error"]["code"]

        # Half the voters on each process cast and are answered.
        first = on_a[: len(on_a) // 2] + on_b[: len(on_b) // 2]
        await asyncio.gather(*(cast(uid) for uid in first))
        # The rest cast at once; with their frames sent, process A dies and comes back.
        rest = [uid for uid in voter_ids if uid not in first]
        casting = [asyncio.create_task(cast(uid)) for uid in rest]
        await asyncio.sleep(0)  # every task has sent its frame (or is waiting to)
        a.kill()
        unanswered_at_kill = [uid for uid in rest if uid not in answers]
        a.start()
        await asyncio.wait_for(asyncio.gather(*casting), 120)
        assert unanswered_at_kill, "every ballot was answered before the kill: not mid-vote"
        # Every client of A lost its socket and came back.
        assert all(voters[uid].connects >= 2 for uid in on_a), (
            {voters[uid].label: voters[uid].connects for uid in on_a})

        ballots, cast_count = await database_sync_to_async(counted)(vote_id)
        acknowledged = set(answers)
        ok = {uid for uid, answer in answers.items() if answer == "ok"}
        assert acknowledged == set(voter_ids)  # every voter got an answer in the end
        assert ok <= set(ballots), "an acknowledged ballot was lost"
        assert len(ballots) == len(set(ballots)) == len(acknowledged) == cast_count, (
            ballots, cast_count, answers)

        await secretary.command("close", "vote.close", {"vote_id": vote_id})
        head = await settled_head(meeting_id)
        for client in clients:
            await client.current_to(head)
        streamed = (await database_sync_to_async(streamed_seqs)(meeting_id))["participants"]
        for client in clients:
            assert client.last == head, (client.label, client.last, head)
            expected = [seq for seq in streamed if seq > (client.first_snapshot or 0)]
            assert sorted(client.applied) == expected, (client.label, client.applied, expected)
            assert client.duplicates == 0, client.label
            assert not [f for f in client.frames if f.get("type") == "error"], (
                client.label, client.frames[-3:])
    except BaseException:
        log.seek(0)
        sys.stderr.write(f"--- daphne\n{log.read().decode(errors='replace')[-4000:]}")
        raise
    finally:
        for client in clients:
            await client.close()
        a.stop()
        b.stop()
        own.stop()
        log.close()
