"""``?snapshot=head``: the snapshot frame carries only the stream's position, for a client that
reads the meeting's state elsewhere (Klubba's pages fetch theirs over HTTP). The socket then
follows the stream exactly as with a full snapshot; anything but ``head`` gets the full one."""

from __future__ import annotations

import json

import pytest

from meetings.commands import meeting_open, roll_call_start
from tests.support.committee import make_committee
from tests.support.sockets import db, open_socket

pytestmark = pytest.mark.django_db(transaction=True)


async def first_frame(path: str, **kwargs):
    accepted, code, client = await open_socket(path, **kwargs)
    assert accepted, code
    return client, await client.recv()


async def test_a_head_snapshot_is_the_position_only_and_the_stream_follows():
    c = await db(make_committee)()
    opened = await db(meeting_open)(meeting_id=c.meeting.pk, actor=c.secretary)
    member, head = await first_frame(f"/ws/meetings/{c.meeting.pk}/?lang=sv&snapshot=head",
                                     user=c.members[1])
    watcher, public_head = await first_frame(
        f"/ws/public/meetings/{c.meeting.pk}/?snapshot=head")
    full_member, full = await first_frame(f"/ws/meetings/{c.meeting.pk}/?snapshot=all",
                                          user=c.members[2])
    # The head the process had taken in (the members' connections are logged meanwhile).
    assert head["data"] == {"seq": head["seq"], "audience": "participants", "view": "head"}
    assert public_head["data"] == {"seq": public_head["seq"], "audience": "public",
                                   "view": "head"}
    assert opened.seq <= head["seq"] <= public_head["seq"] <= full["seq"]
    assert "seats" in full["data"] and "view" not in full["data"]  # an unknown view: the full one
    assert len(json.dumps(head)) < len(json.dumps(full)) / 10
    started = await db(roll_call_start)(meeting_id=c.meeting.pk, actor=c.secretary)
    for client in (member, watcher, full_member):
        assert (await client.event(seq=started.seq))["event"] == "roll_call.started"
        _, reply = await client.sync(since=opened.seq)
        assert reply["ok"] and reply["result"]["seq"] >= started.seq  # presence may follow
        await client.close()
