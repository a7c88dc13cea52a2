"""Every core command through the protocol: one ok reply, and the event reaches a second
participant socket and the public socket (where the public may not see it, the public stream
skips it and only a progress frame moves its seq on)."""

from __future__ import annotations

import pytest

from meetings.models import MeetingEvent
from realtime.commands.meetings_core import CORE_COMMANDS
from tests.support.committee import make_committee
from tests.support.sockets import db, participant, public

pytestmark = pytest.mark.django_db(transaction=True)


def public_sees_all(data: dict, event: dict) -> None:
    assert event["event"] == data["event"] and event["data"] == data["data"]


def no_remote_flag(data: dict, event: dict) -> None:
    assert event["event"] == data["event"]
    assert "remote" not in str(event["data"]), event
    assert event["data"]["user_id"] == data["data"]["user_id"] if "user_id" in data["data"] \
        else True


def redacted(data: dict, event: dict) -> None:
    """Marker: the public gets no event frame for this seq (checked in the test)."""


def shown_as(expected: dict):
    def check(data: dict, event: dict) -> None:
        assert event["event"] == data["event"] and event["data"] == expected, event
    return check


def agenda_without_secret(data: dict, event: dict) -> None:
    assert len(data["data"]["items"]) == 4
    titles = [i["title"] for i in event["data"]["items"]]
    assert titles == ["Upprop", "Bygglov", "Detaljplan"]


# (command, args from the committee, event type, how the public sees it)
WALK = [
    ("meeting.open", lambda c: {}, "meeting.opened", public_sees_all),
    ("roll_call.start", lambda c: {}, "roll_call.started", public_sees_all),
    ("attendance.check_in", lambda c: {"user_id": c.members[1].pk, "remote": True},
     "attendance.checked_in", no_remote_flag),
    ("attendance.check_in", lambda c: {"user_id": c.members[2].pk, "remote": False},
     "attendance.checked_in", no_remote_flag),
    ("attendance.check_in", lambda c: {"user_id": c.members[3].pk},
     "attendance.checked_in", no_remote_flag),
    # Member 5 checked in on their own just before (see the walk): not yet confirmed.
    ("attendance.confirm", lambda c: {"user_ids": [c.members[1].pk, c.members[4].pk]},
     "attendance.confirmed", no_remote_flag),
    ("attendance.check_out", lambda c: {"user_id": c.members[3].pk},
     "attendance.checked_out", public_sees_all),
    ("agenda.approve", lambda c: {}, "agenda.approved", agenda_without_secret),
    ("adjusters.choose", lambda c: {"user_ids": [c.members[1].pk, c.members[2].pk]},
     "adjusters.chosen", public_sees_all),
    ("item.activate", lambda c: {"item_id": c.items[1].pk}, "item.activated", public_sees_all),
    ("meeting.pause", lambda c: {"reason": "Kaffe"}, "meeting.paused", public_sees_all),
    ("meeting.resume", lambda c: {}, "meeting.resumed", public_sees_all),
    ("item.close", lambda c: {"item_id": c.items[1].pk, "without_decision": True,
                              "reason": "Ärendet utgår"}, "item.closed", public_sees_all),
    ("item.activate", lambda c: {"item_id": c.items[3].pk}, "item.activated", redacted),
    ("meeting.pause", lambda c: {"reason": "Om det hemliga"}, "meeting.paused",
     shown_as({"reason": "", "item_id": None})),
    ("meeting.resume", lambda c: {}, "meeting.resumed", shown_as({"item_id": None})),
    ("item.close", lambda c: {"item_id": c.items[3].pk, "without_decision": True,
                              "reason": "Ärendet utgår"}, "item.closed", redacted),
    ("meeting.adjourn", lambda c: {}, "meeting.adjourned", public_sees_all),
]


def test_the_walk_covers_every_core_command():
    assert {name for name, *_ in WALK} == {command.name for command in CORE_COMMANDS}


async def test_each_core_command_replies_once_and_fans_out_per_audience():
    c = await db(make_committee)()
    secretary = await participant(c.meeting.pk, user=c.secretary)
    member = await participant(c.meeting.pk, user=c.members[4])
    watcher = await public(c.meeting.pk)
    assert all(i["title"] != "Sekretessärende" for i in watcher.snapshot["data"]["agenda"])
    for name, args, event_type, public_view in WALK:
        if name == "attendance.confirm":
            # Confirming only the confirmed would change nothing (and log nothing).
            assert (await member.command("attendance.check_in", {"remote": True}))["ok"]
        reply = await secretary.command(name, args(c))
        assert reply["ok"], (name, reply)
        seq = reply["result"]["seq"]
        assert reply["result"]["event"] == event_type
        seen = await member.event(seq=seq)
        assert seen["event"] == event_type
        logged = await db(MeetingEvent.objects.get)(meeting=c.meeting, seq=seq)
        assert seen["data"] == logged.payload
        if public_view is redacted:
            moved_on = await watcher.wait_for(
                lambda f, seq=seq: f["type"] == "progress" and f["seq"] >= seq)
            assert moved_on["data"] == {"votes": []}
            assert not [f for f in watcher.pending if f.get("seq") == seq], watcher.pending
        else:
            public_view(seen, await watcher.event(seq=seq))
    # Exactly one reply per command: nothing else is waiting for the secretary but events
    # (and progress frames for the connections the other sockets made).
    assert all(f["type"] in ("event", "progress") for f in secretary.pending)
    for client in (secretary, member, watcher):
        await client.close()


async def test_a_retried_command_id_returns_the_first_result_and_logs_once():
    c = await db(make_committee)()
    secretary = await participant(c.meeting.pk, user=c.secretary)
    first = await secretary.command("meeting.open", frame_id="open-1")
    again = await secretary.command("meeting.open", frame_id="open-1")
    assert first["ok"] and again["ok"] and first["result"] == again["result"]
    opened = MeetingEvent.objects.filter(meeting=c.meeting, type="meeting.opened")
    assert await db(opened.count)() == 1
    other = await participant(c.meeting.pk, user=c.chair)
    stolen = await other.command("meeting.pause", frame_id="open-1")
    assert stolen["error"]["code"] == "command_id_conflict"
    await secretary.close()
    await other.close()
