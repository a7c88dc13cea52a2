"""The voting commands through the websocket protocol (klubba.asgi with session auth): a whole
item with three proposals, kontraproposition, an open vote with live "N of M have voted"
events, a tie decided by the chair, a reservation and the § number; and a secret election
whose receipt reaches only the voter's reply."""

from __future__ import annotations

import json

import pytest

from meetings.models import MeetingEvent
from tests.support.committee import make_committee
from tests.support.sockets import _no_leftover_presence_timers, db, participant, public  # noqa: F401 - autouse fixtures: a fresh layer per test
from tests.support.voting import start_item

pytestmark = pytest.mark.django_db(transaction=True)


async def ok(client, name: str, args: dict) -> dict:
    reply = await client.command(name, args)
    assert reply["ok"] is True, reply
    return reply["result"]


async def error_code(client, name: str, args: dict) -> str:
    reply = await client.command(name, args)
    assert reply["ok"] is False, reply
    return reply["error"]["code"]


async def test_an_item_through_the_protocol():
    c = await db(make_committee)()
    live = await db(start_item)(c)
    mid, item = live.meeting_id, live.item.pk
    p1 = (await db(live.prepared)()).pk
    sec = await participant(mid, user=c.secretary)
    chair = await participant(mid, user=c.chair)
    m = [None] + [await participant(mid, user=c.members[i]) for i in range(1, 5)]
    watcher = await participant(mid, user=c.substitutes[0])
    outside = await public(mid)

    p2 = (await ok(m[1], "proposal.make", {"kind": "andring", "text": "Med bullerskydd"})
          )["proposal_id"]
    p3 = (await ok(m[2], "proposal.make", {"kind": "avslag"}))["proposal_id"]
    assert await error_code(sec, "proposition_order.set",
                            {"item_id": item, "proposal_ids": [p1, p2]}) == "order_invalid"
    await ok(sec, "proposition_order.set", {"item_id": item, "proposal_ids": [p1, p2, p3]})
    await ok(sec, "proposition_order.approve", {"item_id": item})
    await ok(chair, "acclamation.put", {"item_id": item, "proposal_id": p1})
    decided = await ok(chair, "acclamation.decide", {"item_id": item, "outcome": "bifall"})
    assert decided["winner_proposal_id"] == p1
    started = await ok(sec, "kontra.start", {"item_id": item, "main_proposal_id": p1})
    assert started["next_step"]["first_proposal_id"] == p2

    # Elimination step: a member asks for a vote, so the gavel is refused and a vote held.
    await ok(chair, "acclamation.put", {"item_id": item, "proposal_id": p2,
                                        "counter_proposal_id": p3})
    await ok(m[3], "vote.request", {"item_id": item})
    assert await error_code(chair, "acclamation.decide",
                            {"item_id": item, "outcome": "bifall"}) == "vote_requested"
    step = await ok(sec, "vote.open", {"item_id": item, "main_proposal_id": p2,
                                       "counter_proposal_id": p3})
    assert step["eligible_count"] == 5 and step["kontra_step"] == 1
    for client, choice in [(chair, "ja"), (m[1], "ja"), (m[2], "nej"), (m[3], "ja")]:
        assert (await ok(client, "ballot.cast", {"vote_id": step["vote_id"],
                                                 "choice": choice}))["receipt"] is None
    closed = await ok(sec, "vote.close", {"vote_id": step["vote_id"]})
    assert closed["winner_proposal_id"] == p2 and closed["kontra"]["next_step"]["kind"] == "main"

    # Huvudvotering: live counts only, then a tie that the chair decides.
    main = await ok(sec, "vote.open", {"item_id": item, "main_proposal_id": p1,
                                       "counter_proposal_id": p2})
    vote_id = main["vote_id"]
    assert await error_code(m[1], "ballot.cast", {"vote_id": vote_id, "choice": "kanske"}
                            ) == "invalid_argument"  # refused by the wire schema
    for n, (client, choice) in enumerate([(m[1], "nej"), (m[2], "ja"), (m[3], "nej"),
                                          (m[4], "ja")], start=1):
        await ok(client, "ballot.cast", {"vote_id": vote_id, "choice": choice})
        # Ballots are not streamed one by one: the next progress frame carries the count.
        counted = {"vote_id": vote_id, "cast": n, "eligible_count": 5}
        for client in (watcher, outside):
            seen = await client.wait_for(lambda f, c=counted: f["type"] == "progress"
                                         and c in f["data"]["votes"])
            assert [c for c in seen["data"]["votes"] if c["vote_id"] == vote_id] == [counted]
    assert not [f for f in watcher.pending + outside.pending
                if f.get("event") == "ballot.cast"]
    assert await error_code(m[1], "ballot.cast", {"vote_id": vote_id, "choice": "ja"}
                            ) == "already_voted"
    status = await ok(m[1], "vote.status", {"vote_id": vote_id})
    assert status["status"]["voted"] and status["status"]["cast"] == 4
    assert await error_code(sec, "vote.close", {"vote_id": vote_id}) == (
        "chair_decision_required")
    result = await ok(chair, "vote.close", {"vote_id": vote_id, "casting_vote": "ja"})
    assert result["result"]["decided_by_casting_vote"] and result["winner_proposal_id"] == p1
    reveal = await watcher.wait_for(lambda f: f["type"] == "event"
                                    and f["event"] == "vote.closed"
                                    and f["data"]["vote_id"] == vote_id)
    # The event has the counts; the roll call (names are revealed at close) is one
    # vote.status away, and in the log and the minutes.
    assert "ballots" not in reveal["data"]["result"]
    assert (reveal["data"]["result"]["ja"], reveal["data"]["result"]["nej"]) == (2, 2)
    status = await ok(m[1], "vote.status", {"vote_id": vote_id})
    names = {b["user_id"]: b["choice"] for b in status["status"]["result"]["ballots"]}
    assert names == {c.members[1].pk: "nej", c.members[2].pk: "ja", c.members[3].pk: "nej",
                     c.members[4].pk: "ja"}
    again = await ok(sec, "vote.close", {"vote_id": vote_id})
    assert again["seq"] == result["seq"]  # closing is idempotent

    decision = await ok(sec, "decision.record", {"item_id": item, "proposal_id": p1})
    assert decision["paragraph"] == 1 and decision["kind"] == "adopted"
    reserved = await ok(m[1], "reservation.register", {"item_id": item,
                                                       "reason_text": "Bullret"})
    assert reserved["paragraph"] == 1
    # Member 2 voted for the adopted proposal; the substitute did not take part at all.
    assert await error_code(watcher, "reservation.register", {"item_id": item}) == (
        "reservation_not_allowed")
    assert await error_code(outside, "vote.close", {"vote_id": vote_id}) == "permission_denied"
    for client in [sec, chair, watcher, outside, *m[1:]]:
        await client.close()


async def test_a_secret_election_through_the_protocol():
    c = await db(make_committee)()
    live = await db(start_item)(c)
    mid, item = live.meeting_id, live.item.pk
    sec = await participant(mid, user=c.secretary)
    voters = [await participant(mid, user=c.members[i]) for i in range(5)]
    opened = await ok(sec, "vote.open", {"item_id": item, "kind": "election",
                                         "candidates": ["Anna", "Bertil"], "posts": 1})
    receipts = {}
    for client, pick in zip(voters, [["Anna"], ["Bertil"], ["Anna"], [], ["Anna"]],
                            strict=True):
        reply = await ok(client, "ballot.cast", {"vote_id": opened["vote_id"],
                                                 "choice": pick})
        assert reply["receipt"] and len(reply["receipt"]) == 10
        receipts[reply["receipt"]] = pick
    closed = await ok(sec, "vote.close", {"vote_id": opened["vote_id"]})
    assert closed["result"]["elected"] == ["Anna"] and closed["result"]["blank"] == 1
    listed = await ok(voters[1], "vote.receipts", {"vote_id": opened["vote_id"]})
    assert listed["receipts"] == [{"receipt": r} for r in sorted(receipts)]  # no choices
    log = await db(lambda: json.dumps(list(MeetingEvent.objects.filter(
        meeting_id=mid).values_list("payload", flat=True))))()
    assert not any(r in log for r in receipts)
    for client in [sec, *voters]:
        await client.close()


async def test_a_reconnecting_client_finds_the_open_vote_in_the_snapshot():
    c = await db(make_committee)()
    live = await db(start_item)(c)
    mid, item = live.meeting_id, live.item.pk
    p1 = (await db(live.prepared)()).pk
    sec = await participant(mid, user=c.secretary)
    opened = await ok(sec, "vote.open", {"item_id": item, "main_proposal_id": p1})
    member = await participant(mid, user=c.members[1])
    await ok(member, "ballot.cast", {"vote_id": opened["vote_id"], "choice": "ja"})
    await member.close()
    again = await participant(mid, user=c.members[1])
    state = again.snapshot["data"]["voting"]
    assert state["open_vote"]["vote_id"] == opened["vote_id"]
    # The snapshot is the one cached when the vote opened (ballots and connections do not
    # make it stale); the progress frame right behind it brings the count up to the head.
    assert (state["open_vote"]["cast"], state["open_vote"]["eligible_count"]) == (0, 5)
    caught_up = await again.recv()
    assert caught_up["type"] == "progress" and caught_up["seq"] > again.snapshot["seq"]
    assert caught_up["data"]["votes"] == [
        {"vote_id": opened["vote_id"], "cast": 1, "eligible_count": 5}]
    status = await ok(again, "vote.status", {"vote_id": opened["vote_id"]})
    assert status["status"]["voted"] is True
    watcher = await public(mid)
    assert watcher.snapshot["data"]["voting"]["open_vote"]["cast"] == 1
    for client in [sec, again, watcher]:
        await client.close()
