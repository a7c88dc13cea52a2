"""Presence from live connections: a drop is logged at once, after the grace period a remote
participant still gone is absent (quorum recomputed), and under the KL 2017 audio_video ruleset
a serving member's drop pauses the meeting."""

from __future__ import annotations

import asyncio

import pytest

from meetings.commands import attendance_check_in, item_activate, meeting_open
from meetings.models import Body, Meeting, MeetingEvent, Participant
from meetings.quorum import quorum_of
from realtime.presence import pending_expiries
from tests.support.committee import make_committee, roll_call_and_agenda
from tests.support.sockets import db, eventually, participant, public

pytestmark = pytest.mark.django_db(transaction=True)


def grace(settings, seconds: int) -> None:
    settings.KLUBBA = {**settings.KLUBBA, "PRESENCE_GRACE_SECONDS": seconds}


def in_session(ruleset: str = Body.RemoteRuleset.CHAIR_ENSURES, *, remote: bool = True):
    """Members 2-4 checked in (remote unless told) and confirmed; item 2 active."""
    c = make_committee()
    Body.objects.filter(pk=c.body.pk).update(remote_ruleset=ruleset)
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    for member in c.members[1:4]:
        attendance_check_in(meeting_id=c.meeting.pk, actor=c.secretary, user_id=member.pk,
                            remote=remote)
    roll_call_and_agenda(c, present=[])
    item_activate(meeting_id=c.meeting.pk, actor=c.secretary, item_id=c.items[1].pk)
    return c


def log(meeting_id: int, after: int = 0) -> list[tuple[str, dict]]:
    return [(e.type, e.payload) for e in MeetingEvent.objects.filter(
        meeting_id=meeting_id, seq__gt=after).order_by("seq")]


def logged_connection(meeting_id: int, user_id: int, until: int) -> dict | None:
    event = MeetingEvent.objects.filter(meeting_id=meeting_id, type="presence.connected",
                                        actor_id=user_id, seq__lte=until).order_by("seq").last()
    return {"seq": event.seq, "data": event.payload} if event else None


async def connection_of(client, user) -> dict:
    """Connections are not streamed one by one: wait for the progress frame that reports this
    user's, then return the logged ``presence.connected`` (its seq and payload)."""
    while True:
        frame = await client.wait_for(
            lambda f: f["type"] == "progress" and f["data"].get("presence"))
        logged = await db(logged_connection)(frame["meeting"], user.pk, frame["seq"])
        if logged is not None:
            return logged


def quorum(meeting_id: int) -> dict:
    return quorum_of(Meeting.objects.select_related("body").get(pk=meeting_id)).as_dict()


async def test_remote_members_drop_is_logged_and_changes_quorum(settings):
    grace(settings, 0)
    c = await db(in_session)()
    m = c.meeting.pk
    assert (await db(quorum)(m))["serving_present"] == 3
    member = await participant(m, user=c.members[1])
    watcher = await public(m)
    connected = await connection_of(member, c.members[1])
    assert connected["data"]["item_id"] == c.items[1].pk
    await member.close()
    await eventually(lambda: any(t == "presence.expired" for t, _ in log(m)))
    entries = await db(log)(m, connected["seq"])
    types = [t for t, _ in entries]
    assert types == ["presence.lost", "presence.expired"], types
    lost, expired = entries[0][1], entries[1][1]
    assert lost["user_id"] == c.members[1].pk and lost["connected"] is False
    assert lost["item_id"] == c.items[1].pk
    assert expired["present"] is False and expired["item_id"] == c.items[1].pk
    assert expired["quorum"] == {"seats": 5, "serving_present": 2, "required": 3,
                                 "reached": False}
    assert expired["pauses_meeting"] is False
    p = await db(Participant.objects.get)(meeting_id=m, user=c.members[1])
    assert (p.present, p.confirmed, p.connected) == (False, False, False)
    assert not (await db(Meeting.objects.get)(pk=m)).paused
    # The public never sees who connected or dropped; it does see the new quorum.
    seen = await watcher.event(name="quorum.changed")
    assert seen["seq"] == connected["seq"] + 2
    assert seen["data"] == {"quorum": expired["quorum"]}
    everything = [seen, *watcher.pending]
    assert c.members[1].first_name not in str(everything)
    assert not [f for f in everything if f["type"] == "event" and f["event"] != "quorum.changed"]
    await watcher.close()


async def test_audio_video_ruleset_pauses_the_meeting_when_a_serving_member_drops(settings):
    grace(settings, 0)
    c = await db(in_session)(Body.RemoteRuleset.AUDIO_VIDEO)
    m = c.meeting.pk
    secretary = await participant(m, user=c.secretary)
    member = await participant(m, user=c.members[1])
    await connection_of(member, c.members[1])
    await member.close()
    paused = await secretary.event(name="meeting.paused")
    assert paused["data"] == {"reason": "remote_link_lost", "item_id": c.items[1].pk}
    types = [t for t, _ in await db(log)(m)]
    assert types[-3:] == ["presence.lost", "presence.expired", "meeting.paused"]
    assert (await db(Meeting.objects.get)(pk=m)).paused
    reply = await secretary.command("meeting.resume")
    assert reply["ok"], reply
    await secretary.close()


async def test_audio_video_does_not_pause_for_a_non_serving_substitute(settings):
    grace(settings, 0)
    c = await db(in_session)(Body.RemoteRuleset.AUDIO_VIDEO)
    m = c.meeting.pk
    await db(attendance_check_in)(meeting_id=m, actor=c.secretary,
                                  user_id=c.substitutes[0].pk)
    sub = await participant(m, user=c.substitutes[0])
    await connection_of(sub, c.substitutes[0])
    await sub.close()
    await eventually(lambda: any(t == "presence.expired" for t, _ in log(m)))
    expired = [p for t, p in await db(log)(m) if t == "presence.expired"][0]
    assert expired["serving"] is False and expired["pauses_meeting"] is False
    assert not (await db(Meeting.objects.get)(pk=m)).paused


async def test_in_room_participant_stays_present_when_the_laptop_drops(settings):
    grace(settings, 0)
    c = await db(in_session)(Body.RemoteRuleset.AUDIO_VIDEO, remote=False)
    m = c.meeting.pk
    member = await participant(m, user=c.members[1])
    connected = await connection_of(member, c.members[1])
    await member.close()
    await eventually(lambda: any(t == "presence.lost" for t, _ in log(m)))
    # The expiry runs and finds an in-room member: nothing to change, nothing logged.
    await timers_done()
    assert [t for t, _ in await db(log)(m, connected["seq"])] == ["presence.lost"]
    p = await db(Participant.objects.get)(meeting_id=m, user=c.members[1])
    assert p.present and p.confirmed and not p.connected


async def timers_done() -> None:
    for _ in range(200):  # bounded: 200 x 50 ms
        if pending_expiries() == 0:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("grace timer still pending")


async def test_reconnecting_within_the_grace_period_cancels_the_expiry(settings):
    grace(settings, 3600)
    c = await db(in_session)()
    m = c.meeting.pk
    member = await participant(m, user=c.members[1])
    await connection_of(member, c.members[1])
    await member.close()
    await eventually(lambda: any(t == "presence.lost" for t, _ in log(m)))
    assert pending_expiries() == 1
    again = await participant(m, user=c.members[1])
    back = await connection_of(again, c.members[1])
    assert pending_expiries() == 0
    types = [t for t, _ in await db(log)(m)]
    assert types[-2:] == ["presence.lost", "presence.connected"] and back["seq"] == len(types)
    p = await db(Participant.objects.get)(meeting_id=m, user=c.members[1])
    assert p.present and p.connected
    await again.close()


async def test_several_tabs_count_as_one_connection(settings):
    grace(settings, 3600)
    c = await db(in_session)()
    m = c.meeting.pk
    tab1 = await participant(m, user=c.members[1])
    first = await connection_of(tab1, c.members[1])
    tab2 = await participant(m, user=c.members[1])
    await tab1.close()
    # Still connected through tab 2: closing tab 1 logs nothing.
    reply = await tab2.command("roll_call.start")
    assert reply["error"]["code"] == "permission_denied"
    assert [t for t, _ in await db(log)(m, first["seq"])] == []
    await tab2.close()
    await eventually(lambda: [t for t, _ in log(m, first["seq"])] == ["presence.lost"])


async def test_a_socket_open_before_the_meeting_opens_is_connected_when_it_opens():
    c = await db(make_committee)()
    member = await participant(c.meeting.pk, user=c.members[1])
    assert await db(log)(c.meeting.pk) == []  # nothing to log before the meeting opens
    await db(meeting_open)(meeting_id=c.meeting.pk, actor=c.secretary)
    opened = await member.event(name="meeting.opened")
    connected = await connection_of(member, c.members[1])
    assert connected["data"]["user_id"] == c.members[1].pk
    assert connected["seq"] == opened["seq"] + 1
    await member.close()
