"""A vote storm through the sockets: ballots that arrive together are cast in batches (one
transaction each), and every voter still gets its own reply; a batch that fails whole is
retried one ballot at a time."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

import voting.commands
from tests.support.committee import make_committee
from tests.support.sockets import _no_leftover_presence_timers, db, participant  # noqa: F401 - autouse fixtures: a fresh layer per test
from tests.support.voting import start_item
from voting.models import OpenBallot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def batches(monkeypatch) -> list[int]:
    """The size of every batch the server cast."""
    sizes: list[int] = []
    real = voting.commands.ballots_cast

    def recorded(*, meeting_id, requests):
        sizes.append(len(requests))
        return real(meeting_id=meeting_id, requests=requests)

    monkeypatch.setattr(voting.commands, "ballots_cast", recorded)
    return sizes


async def storm(batches: list[int]) -> tuple[list[dict], int]:
    c = await db(make_committee)()
    live = await db(start_item)(c)
    sec = await participant(live.meeting_id, user=c.secretary)
    opened = await sec.command("vote.open", {"item_id": live.item.pk,
                                             "main_proposal_id": (await db(live.prepared)()).pk})
    vote_id = opened["result"]["vote_id"]
    voters = [await participant(live.meeting_id, user=m) for m in c.members]
    for n, voter in enumerate(voters):  # all frames out before any reply is read
        await voter.send({"v": 1, "type": "command", "id": f"storm-{n}", "name": "ballot.cast",
                          "args": {"vote_id": vote_id, "choice": "ja" if n % 2 else "nej"}})
    replies = [await voter.reply(f"storm-{n}") for n, voter in enumerate(voters)]
    for client in [sec, *voters]:
        await client.close()
    return replies, vote_id


async def test_ballots_arriving_together_are_cast_in_batches(batches):
    replies, vote_id = await storm(batches)
    assert all(r["ok"] for r in replies), replies
    assert sorted(r["result"]["cast"] for r in replies) == [1, 2, 3, 4, 5]
    assert len({r["result"]["seq"] for r in replies}) == 5
    assert sum(batches) == 5 and max(batches) > 1, batches
    assert await db(OpenBallot.objects.filter(vote_id=vote_id).count)() == 5


async def test_a_batch_that_fails_whole_is_retried_one_by_one(batches, monkeypatch):
    recording = voting.commands.ballots_cast

    def failing_when_batched(*, meeting_id, requests):
        if len(requests) > 1:
            recording(meeting_id=meeting_id, requests=[])  # counted, casts nothing
            raise IntegrityError("simulated: a constraint fired inside the batch")
        return recording(meeting_id=meeting_id, requests=requests)

    monkeypatch.setattr(voting.commands, "ballots_cast", failing_when_batched)
    replies, vote_id = await storm(batches)
    assert all(r["ok"] for r in replies), replies
    assert sorted(r["result"]["cast"] for r in replies) == [1, 2, 3, 4, 5]
    assert 0 in batches  # a batch failed and its ballots went one by one
    assert await db(OpenBallot.objects.filter(vote_id=vote_id).count)() == 5
