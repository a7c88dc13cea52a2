"""``?snapshot=compact``: the full state with the two rosters (``seats``, ``participants``) as
tables, columns once and a row per entry. Read back into objects it is the full snapshot; a
socket that asked for it gets it again on a ``sync`` that falls back to a snapshot, and the
full and the compact views are cached apart, so one client never gets the other's."""

from __future__ import annotations

import asyncio
import json

import pytest
from django.conf import settings
from django.test import override_settings

from meetings.commands import meeting_open, roll_call_start
from realtime.fanout import head_of
from realtime.snapshots import compact
from tests.support.committee import make_committee
from tests.support.sockets import db, open_socket

pytestmark = pytest.mark.django_db(transaction=True)


def objects(table: dict) -> list[dict]:
    """A table of the compact form as the list of objects the full form has."""
    return [dict(zip(table["columns"], row, strict=True)) for row in table["rows"]]


async def snapshot(path: str, **kwargs):
    accepted, code, client = await open_socket(path, **kwargs)
    assert accepted, code
    frame = await client.recv()
    assert frame["type"] == "snapshot"
    return client, frame


@pytest.mark.parametrize("audience", ["participants", "public"])
async def test_the_compact_snapshot_is_the_full_one_with_the_rosters_as_tables(audience):
    c = await db(make_committee)()
    opened = await db(meeting_open)(meeting_id=c.meeting.pk, actor=c.secretary)
    # The member's presence is logged once, when their first socket comes up: that one
    # first, so the log stands still while the two snapshots are read.
    warm, _ = await snapshot(f"/ws/meetings/{c.meeting.pk}/?snapshot=head", user=c.members[1])
    for _ in range(1000):
        if await db(head_of)(c.meeting.pk) > opened.seq:
            break
        await asyncio.sleep(0.01)
    base = (f"/ws/meetings/{c.meeting.pk}/" if audience == "participants"
            else f"/ws/public/meetings/{c.meeting.pk}/")
    who = {"user": c.members[1]} if audience == "participants" else {}
    small_client, small = await snapshot(base + "?snapshot=compact", **who)
    full_client, full = await snapshot(base, **who)
    assert small["seq"] == full["seq"]
    data, whole = small["data"], full["data"]
    assert data["view"] == "compact" and "view" not in whole
    assert set(data["seats"]) == {"columns", "rows"} and set(data["participants"]) == {
        "columns", "rows"}
    assert objects(data["seats"]) == whole["seats"]
    assert objects(data["participants"]) == whole["participants"]
    rest = {k: v for k, v in data.items() if k not in ("seats", "participants", "view")}
    assert rest == {k: v for k, v in whole.items() if k not in ("seats", "participants")}
    assert len(data["seats"]["rows"]) == len(c.members) and data["participants"]["rows"]
    assert len(json.dumps(small)) < len(json.dumps(full))
    for client in (small_client, full_client, warm):
        await client.close()


async def test_a_sync_that_falls_back_to_a_snapshot_sends_the_compact_one_again():
    c = await db(make_committee)()
    opened = await db(meeting_open)(meeting_id=c.meeting.pk, actor=c.secretary)
    client, first = await snapshot(f"/ws/meetings/{c.meeting.pk}/?snapshot=compact",
                                   user=c.members[1])
    assert first["data"]["view"] == "compact"
    started = await db(roll_call_start)(meeting_id=c.meeting.pk, actor=c.secretary)
    assert (await client.event(seq=started.seq))["event"] == "roll_call.started"
    with override_settings(KLUBBA={**settings.KLUBBA, "MAX_REPLAY_EVENTS": 0}):
        frames, reply = await client.sync(since=opened.seq - 1)
    assert reply["ok"] and reply["result"]["snapshot"] is True
    again = [f for f in frames if f["type"] == "snapshot"]
    assert again and again[0]["data"]["view"] == "compact"
    await client.close()


def test_rows_without_a_column_have_null_there_and_other_lists_stay_objects():
    data = {"seq": 3, "seats": [{"seat_number": 1, "party": "S"}, {"seat_number": 2}],
            "participants": [], "agenda": [{"id": 1, "title": "x" * 10}]}
    out = compact(data)
    assert out["seats"] == {"columns": ["seat_number", "party"], "rows": [[1, "S"], [2, None]]}
    assert out["participants"] == {"columns": [], "rows": []}
    assert out["agenda"] == data["agenda"] and out["seq"] == 3 and "view" not in data
