"""Reconnect and catch up: ``sync since=<seq>`` returns exactly the missing events in order
(what the audience does not get one by one is summed up in one progress frame carrying the
head's seq), or a snapshot when too far behind; and the server fills a gap itself when the
channel layer lost an event."""

from __future__ import annotations

import pytest

from meetings.commands import (
    agenda_approve,
    attendance_check_in,
    item_activate,
    item_close,
    meeting_open,
    roll_call_start,
)
from meetings.log import events_committed
from meetings.models import MeetingEvent
from realtime import fanout
from tests.support.committee import UNDECIDED, make_committee
from tests.support.sockets import db, participant, public

pytestmark = pytest.mark.django_db(transaction=True)


def open_with_quorum(c) -> None:
    """Open; members 3-5 checked in by the secretary (a quorum, so the agenda may be
    approved), before anyone watches."""
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    for member in c.members[2:5]:
        attendance_check_in(meeting_id=c.meeting.pk, actor=c.secretary, user_id=member.pk)


def five_events(c) -> list[MeetingEvent]:
    """Five events, one of them about the confidential item (the public must not see it)."""
    m, s = c.meeting.pk, c.secretary
    return [
        roll_call_start(meeting_id=m, actor=s),
        attendance_check_in(meeting_id=m, actor=s, user_id=c.members[1].pk),
        agenda_approve(meeting_id=m, actor=s),
        item_activate(meeting_id=m, actor=s, item_id=c.items[3].pk),
        item_close(meeting_id=m, actor=s, item_id=c.items[3].pk, **UNDECIDED),
    ]


def logged_after(meeting_id: int, seq: int) -> list[tuple[int, str]]:
    return list(MeetingEvent.objects.filter(meeting_id=meeting_id, seq__gt=seq)
                .order_by("seq").values_list("seq", "type"))


async def test_public_client_gets_exactly_the_five_missed_events_in_order():
    c = await db(make_committee)()
    await db(open_with_quorum)(c)
    watcher = await public(c.meeting.pk)
    last = watcher.snapshot["seq"]
    assert last == 4  # opened, three checked in
    await watcher.close()
    made = await db(five_events)(c)
    again = await public(c.meeting.pk)
    assert again.snapshot["seq"] == last + 5
    frames, reply = await again.sync(last)
    assert reply["ok"] and reply["result"] == {"seq": last + 5, "snapshot": False, "events": 3}
    assert [e.seq for e in made] == list(range(last + 1, last + 6))
    # The two events about the confidential item are skipped; the progress frame says the
    # stream is current up to the last of them.
    assert [(f["type"], f["seq"], f.get("event")) for f in frames] == [
        ("event", last + 1, "roll_call.started"), ("event", last + 2, "attendance.checked_in"),
        ("event", last + 3, "agenda.approved"), ("progress", last + 5, None)]
    assert frames[-1]["data"] == {"votes": []}
    assert "Sekretessärende" not in str(frames)
    await again.close()


async def test_participant_reconnect_gets_every_missed_event_and_its_own_drop_summed_up(
        settings):
    settings.KLUBBA = {**settings.KLUBBA, "PRESENCE_GRACE_SECONDS": 3600}
    c = await db(make_committee)()
    await db(open_with_quorum)(c)
    member = await participant(c.meeting.pk, user=c.members[2])
    connected = await member.wait_for(lambda f: f["type"] == "progress")
    assert connected["data"] == {"votes": [], "presence": True}
    last = connected["seq"]
    await member.close()
    made = await db(five_events)(c)
    again = await participant(c.meeting.pk, user=c.members[2])
    back = await again.wait_for(lambda f: f["type"] == "progress")  # its own connection
    assert back["seq"] == again.snapshot["seq"] + 1
    frames, reply = await again.sync(last)
    expected = await db(logged_after)(c.meeting.pk, last)
    # The drop of this very socket is logged first, then the five events, then the reconnect.
    assert [t for _, t in expected] == (
        ["presence.lost"] + [e.type for e in made] + ["presence.connected"]
    )
    assert [(f["seq"], f["event"]) for f in frames[:-1]] == expected[1:-1]
    assert frames[-1] == {"v": 1, "type": "progress", "meeting": c.meeting.pk,
                          "seq": back["seq"], "data": {"votes": [], "presence": True}}
    assert reply["result"] == {"seq": back["seq"], "snapshot": False, "events": 5}
    assert frames[-2]["data"]["item_id"] == c.items[3].pk  # participants see it all
    await again.close()


async def test_too_far_behind_gets_a_snapshot_instead(settings):
    settings.KLUBBA = {**settings.KLUBBA, "MAX_REPLAY_EVENTS": 3}
    c = await db(make_committee)()
    await db(open_with_quorum)(c)
    await db(five_events)(c)
    watcher = await public(c.meeting.pk)
    # Seqs: 1 opened, 2-4 checked in (a quorum), 5-9 the five events.
    frames, reply = await watcher.sync(4)
    assert [f["type"] for f in frames] == ["snapshot"]
    assert frames[0]["seq"] == 9 and reply["result"] == {"seq": 9, "snapshot": True, "events": 0}
    frames, reply = await watcher.sync(6)  # 3 behind: events (two of them confidential)
    assert [(f["type"], f["seq"]) for f in frames] == [("event", 7), ("progress", 9)]
    await watcher.close()


async def test_sync_ahead_of_the_log_is_an_invalid_argument():
    c = await db(make_committee)()
    watcher = await public(c.meeting.pk)
    frames, reply = await watcher.sync(99)
    assert frames == [] and reply["error"]["code"] == "invalid_argument"
    assert reply["error"]["details"]["seq"] == 0
    await watcher.close()


async def test_a_lost_doorbell_is_filled_from_the_log():
    c = await db(make_committee)()
    await db(open_with_quorum)(c)
    watcher = await public(c.meeting.pk)
    events_committed.disconnect(dispatch_uid="realtime.fanout.publish")
    try:
        lost = await db(roll_call_start)(meeting_id=c.meeting.pk, actor=c.secretary)
    finally:
        fanout.connect()
    rung = await db(agenda_approve)(meeting_id=c.meeting.pk, actor=c.secretary)
    first = await watcher.recv()
    second = await watcher.recv()
    assert (first["seq"], first["event"]) == (lost.seq, "roll_call.started")
    assert (second["seq"], second["event"]) == (rung.seq, "agenda.approved")
    await watcher.close()
