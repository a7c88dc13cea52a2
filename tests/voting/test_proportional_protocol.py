"""A proportional election through the websocket protocol: requests, the election opened with
registered lists, list ballots cast (the wire schema refuses a malformed one), the close; the
public sees the requests and the count, never a voter."""

from __future__ import annotations

import pytest

from tests.support.committee import make_committee
from tests.support.sockets import _no_leftover_presence_timers, db, participant, public  # noqa: F401 - autouse fixtures: a fresh layer per test
from tests.support.voting import start_item

pytestmark = pytest.mark.django_db(transaction=True)

S = {"label": "S", "names": ["Anna A", "Bo B"]}
M = {"label": "M", "names": ["Dan D"]}


async def ok(client, name: str, args: dict) -> dict:
    reply = await client.command(name, args)
    assert reply["ok"] is True, reply
    return reply["result"]


async def error_code(client, name: str, args: dict) -> str:
    reply = await client.command(name, args)
    assert reply["ok"] is False, reply
    return reply["error"]["code"]


async def test_a_proportional_election_through_the_protocol():
    c = await db(make_committee)()
    live = await db(start_item)(c)
    mid, item = live.meeting_id, live.item.pk
    sec = await participant(mid, user=c.secretary)
    m = [await participant(mid, user=c.members[i]) for i in range(5)]
    outside = await public(mid)

    # Five present, 2 seats: ceil(5 / 3) = 2 requests.
    args = {"item_id": item, "kind": "proportional", "seats": 2, "lists": [S, M]}
    assert await error_code(sec, "vote.open", args) == "proportional_not_requested"
    first = await ok(m[1], "election.request_proportional", {"item_id": item, "seats": 2})
    assert (first["requests"], first["required"], first["reached"]) == (1, 2, False)
    second = await ok(m[2], "election.request_proportional", {"item_id": item, "seats": 2})
    assert second["reached"] is True
    seen = await outside.event(name="election.proportional_requested", seq=second["seq"])
    assert seen["data"]["reached"] is True
    assert await error_code(sec, "vote.open", {"item_id": item, "kind": "election",
                                               "candidates": ["Anna A"], "posts": 1}
                            ) == "proportional_required"
    vote_id = (await ok(sec, "vote.open", args))["vote_id"]

    assert await error_code(m[0], "ballot.cast", {"vote_id": vote_id, "choice": {
        "label": "S"}}) == "invalid_argument"  # refused by the wire schema: no names
    assert await error_code(m[0], "ballot.cast", {"vote_id": vote_id, "choice": {
        "label": "S" * 201, "names": ["Anna A"]}}) == "invalid_argument"
    assert await error_code(m[0], "ballot.cast", {"vote_id": vote_id, "choice": "ja"}
                            ) == "invalid_choice"
    for client, choice in zip(m, [S, S, M, S, None], strict=True):
        reply = await ok(client, "ballot.cast", {"vote_id": vote_id, "choice": choice})
        assert len(reply["receipt"]) == 10
    closed = await ok(sec, "vote.close", {"vote_id": vote_id})
    assert closed["result"]["elected"] == ["Anna A", "Bo B"]  # S 3, M 1: 3 and 3/2 beat 1
    reveal = await outside.event(name="vote.closed", seq=closed["seq"])
    assert [(g["label"], g["votes"]) for g in reveal["data"]["result"]["groups"]] == [
        ("S", 3), ("M", 1)]
    assert reveal["data"]["result"]["blank"] == 1
    for client in [sec, outside, *m]:
        await client.close()
