"""The live-meeting commands through the websocket protocol: each command replies once, its
event reaches the other participants and (as the public may see it) the public socket, and a
refusal comes back as a typed error reply with nothing logged."""

from __future__ import annotations

import pytest

from meetings.commands import (
    attendance_check_in,
    item_activate,
    meeting_open,
    proposal_make,
    recusal_declare,
    speaker_give_floor,
    speaker_request,
    substitute_call_in,
)
from meetings.models import Body, MeetingEvent
from realtime.commands.meetings_live import LIVE_COMMANDS
from tests.support.committee import Committee, make_committee, roll_call_and_agenda
from tests.support.sockets import _no_leftover_presence_timers, db, participant, public  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

def prepare(c: Committee, *, item: int | None = 1, present: int = 4) -> None:
    """Open; members 1..present and substitute e1 present (confirmed); item ``item`` active."""
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    for person in [*c.members[:present], c.substitutes[0]]:
        attendance_check_in(meeting_id=c.meeting.pk, actor=c.secretary, user_id=person.pk,
                            remote=False)
    if item is not None:
        roll_call_and_agenda(c, present=[])
        item_activate(meeting_id=c.meeting.pk, actor=c.secretary, item_id=c.items[item].pk)


async def setup(**kwargs) -> Committee:
    c = await db(make_committee)()
    await db(prepare)(c, **kwargs)
    return c


async def public_view(watcher, seq: int) -> dict | None:
    """The public's event frame for ``seq``, or None when the public stream skipped it (a
    progress frame moved past ``seq`` without it)."""
    frame = await watcher.wait_for(lambda f: f.get("seq", 0) >= seq
                                   and f["type"] in ("event", "progress"))
    return frame if frame["type"] == "event" and frame["seq"] == seq else None


async def ok(client, name: str, args: dict, *, observer, watcher) -> tuple[dict, dict, dict]:
    """Run a command that must work; return (reply result, participant event, public event
    or None when the public may not see it)."""
    reply = await client.command(name, args)
    assert reply["ok"], (name, reply)
    result = reply["result"]
    seen = await observer.event(seq=result["seq"])
    logged = await db(MeetingEvent.objects.get)(meeting_id=seen["meeting"], seq=result["seq"])
    assert seen["event"] == result["event"] == logged.type
    assert seen["data"] == logged.payload
    assert logged.command_id == reply["id"]
    return result, seen, await public_view(watcher, result["seq"])


async def refused(client, name: str, args: dict, code: str) -> dict:
    count = MeetingEvent.objects.count
    before = await db(count)()
    reply = await client.command(name, args)
    assert not reply["ok"] and reply["error"]["code"] == code, reply
    assert reply["error"]["message"]
    assert await db(count)() == before
    return reply["error"]


async def sockets(c: Committee, *users):
    clients = [await participant(c.meeting.pk, user=u) for u in users]
    return (*clients, await public(c.meeting.pk))


async def close_all(*clients) -> None:
    for client in clients:
        await client.close()


async def test_substitute_call_in():
    c = await setup(item=None)
    e1 = c.substitutes[0]
    sec, member, watcher = await sockets(c, c.secretary, c.members[1])
    await refused(member, "substitute.call_in", {"seat_number": 5, "user_id": e1.pk},
                  "permission_denied")
    await refused(sec, "substitute.call_in", {"seat_number": "5", "user_id": e1.pk},
                  "invalid_argument")
    await refused(sec, "substitute.call_in", {"seat_number": 2, "user_id": e1.pk},
                  "seat_occupied")
    result, seen, pub = await ok(sec, "substitute.call_in", {"seat_number": 5, "user_id": e1.pk},
                                 observer=member, watcher=watcher)
    assert seen["data"]["roster_changes"] == [{
        "seat": 5, "from": {"user_id": c.members[4].pk, "name": "Ledamot5 Efternamn"},
        "to": {"user_id": e1.pk, "name": "Ersattare1 Efternamn"}, "reason": "absent"}]
    assert pub["event"] == "substitute.called_in" and pub["data"] == seen["data"]
    await close_all(sec, member, watcher)


async def test_substitute_release():
    c = await setup(item=None)
    e1 = c.substitutes[0]
    await db(substitute_call_in)(meeting_id=c.meeting.pk, actor=c.secretary, seat_number=5,
                                 user_id=e1.pk)
    sec, member, watcher = await sockets(c, c.secretary, c.members[1])
    await refused(sec, "substitute.release", {"seat_number": 1}, "seat_not_substituted")
    _, seen, _ = await ok(sec, "substitute.release", {"seat_number": 5}, observer=member,
                          watcher=watcher)
    assert seen["data"]["roster_changes"][0]["reason"] == "released"
    assert seen["data"]["roster_changes"][0]["to"]["user_id"] == c.members[4].pk
    await close_all(sec, member, watcher)


async def test_recusal_declare():
    c = await setup()
    m = c.members[2]
    me, sec, watcher = await sockets(c, m, c.secretary)
    args = {"item_id": c.items[1].pk, "reason": "Jag äger grannfastigheten"}
    _, seen, pub = await ok(me, "recusal.declare", args, observer=sec, watcher=watcher)
    assert seen["data"]["reason"] == "Jag äger grannfastigheten"
    assert seen["data"]["quorum"]["serving_present"] == 3
    assert pub["event"] == "recusal.declared" and "reason" not in pub["data"]
    await refused(me, "recusal.declare", args, "already_recused")
    await refused(sec, "recusal.declare", {"item_id": c.items[2].pk}, "permission_denied")
    await refused(me, "recusal.declare", {"item_id": c.items[1].pk, "extra": 1},
                  "invalid_argument")
    await close_all(me, sec, watcher)


async def test_recusal_record():
    c = await setup()
    sec, member, watcher = await sockets(c, c.secretary, c.members[1])
    args = {"item_id": c.items[2].pk, "user_id": c.members[3].pk, "reason": "Jäv enligt 6:28"}
    await refused(member, "recusal.record", args, "permission_denied")
    _, seen, _ = await ok(sec, "recusal.record", args, observer=member, watcher=watcher)
    assert seen["data"]["recorded_by"]["user_id"] == c.secretary.pk
    assert seen["data"]["active"] is False
    await close_all(sec, member, watcher)


async def test_recusal_withdraw():
    c = await setup()
    await db(recusal_declare)(meeting_id=c.meeting.pk, actor=c.members[3],
                              item_id=c.items[1].pk)
    sec, member, watcher = await sockets(c, c.secretary, c.members[1])
    args = {"item_id": c.items[1].pk, "user_id": c.members[3].pk}
    await refused(sec, "recusal.withdraw", {**args, "user_id": c.members[2].pk}, "not_recused")
    _, seen, _ = await ok(sec, "recusal.withdraw", args, observer=member, watcher=watcher)
    assert seen["data"]["quorum"]["serving_present"] == 4
    await close_all(sec, member, watcher)


async def test_presiding_change():
    c = await setup()
    chair, m2 = c.members[0], c.members[1]
    sec, member, watcher = await sockets(c, c.secretary, m2)
    await refused(sec, "presiding.change", {"user_id": m2.pk}, "presiding_not_allowed")
    await ok(sec, "recusal.record", {"item_id": c.items[1].pk, "user_id": chair.pk},
             observer=member, watcher=watcher)
    await refused(member, "presiding.change", {"user_id": m2.pk}, "permission_denied")
    _, seen, _ = await ok(sec, "presiding.change", {"user_id": m2.pk}, observer=member,
                          watcher=watcher)
    assert (seen["data"]["user_id"], seen["data"]["reason"]) == (m2.pk, "chair_recused")
    assert seen["data"]["previous"]["user_id"] == chair.pk
    await close_all(sec, member, watcher)


async def test_speaker_request():
    c = await setup()
    me, sec, watcher = await sockets(c, c.members[1], c.secretary)
    result, seen, pub = await ok(me, "speaker.request", {}, observer=sec, watcher=watcher)
    assert result["queue_position"] == 1 and result["request_id"] == seen["data"]["request_id"]
    assert seen["data"]["kind"] == "speak" and pub["event"] == "speaker.requested"
    reply, _, _ = await ok(me, "speaker.request", {"kind": "reply"}, observer=sec,
                           watcher=watcher)
    assert reply["queue_position"] == 1  # replies go first
    await refused(me, "speaker.request", {}, "already_requested")
    await refused(me, "speaker.request", {"kind": "shout"}, "invalid_argument")
    await refused(sec, "speaker.request", {}, "speaking_not_allowed")
    await close_all(me, sec, watcher)


async def test_speaker_withdraw():
    c = await setup()
    event = await db(speaker_request)(meeting_id=c.meeting.pk, actor=c.members[1])
    request_id = event.payload["request_id"]
    me, other, watcher = await sockets(c, c.members[1], c.members[2])
    await refused(other, "speaker.withdraw", {"request_id": request_id}, "permission_denied")
    _, seen, _ = await ok(me, "speaker.withdraw", {"request_id": request_id}, observer=other,
                          watcher=watcher)
    assert seen["data"]["by_self"] is True
    await refused(me, "speaker.withdraw", {"request_id": request_id}, "request_not_waiting")
    await close_all(me, other, watcher)


async def test_speaker_give_floor():
    c = await setup()
    for member in c.members[1:3]:
        await db(speaker_request)(meeting_id=c.meeting.pk, actor=member)
    sec, member, watcher = await sockets(c, c.secretary, c.members[1])
    await refused(member, "speaker.give_floor", {}, "permission_denied")
    result, seen, pub = await ok(sec, "speaker.give_floor", {}, observer=member,
                                 watcher=watcher)
    assert result["user_id"] == c.members[1].pk and seen["data"]["started_at"]
    assert pub["event"] == "speaker.floor_given"
    result, seen, _ = await ok(sec, "speaker.give_floor", {"user_id": None}, observer=member,
                               watcher=watcher)
    assert result["user_id"] == c.members[2].pk
    assert seen["data"]["ended"]["user_id"] == c.members[1].pk
    await refused(sec, "speaker.give_floor", {}, "speaker_list_empty")
    await close_all(sec, member, watcher)


async def test_speaker_done():
    c = await setup()
    await db(speaker_request)(meeting_id=c.meeting.pk, actor=c.members[1])
    await db(speaker_give_floor)(meeting_id=c.meeting.pk, actor=c.secretary)
    speaker, sec, watcher = await sockets(c, c.members[1], c.secretary)
    result, seen, _ = await ok(speaker, "speaker.done", {}, observer=sec, watcher=watcher)
    assert result["duration_seconds"] == seen["data"]["duration_seconds"] >= 0
    assert seen["data"]["ended_at"] >= seen["data"]["started_at"]
    await refused(sec, "speaker.done", {}, "nobody_speaking")
    await close_all(speaker, sec, watcher)


async def test_speaker_time_add():
    c = await setup()
    await db(speaker_request)(meeting_id=c.meeting.pk, actor=c.members[1])
    await db(speaker_give_floor)(meeting_id=c.meeting.pk, actor=c.secretary)
    chair, speaker, watcher = await sockets(c, c.chair, c.members[1])
    await refused(chair, "speaker.time_add", {"seconds": 60}, "no_speaking_time_limit")
    await db(Body.objects.filter(pk=c.body.pk).update)(speaking_time_seconds=120)
    await refused(speaker, "speaker.time_add", {"seconds": 60}, "not_presiding")
    await refused(chair, "speaker.time_add", {"seconds": 0}, "invalid_argument")
    result, seen, pub = await ok(chair, "speaker.time_add", {"seconds": 60}, observer=speaker,
                                 watcher=watcher)
    assert result["limit_seconds"] == seen["data"]["limit_seconds"] == 180
    assert pub["event"] == "speaker.time_added" and pub["data"]["limit_seconds"] == 180
    await close_all(chair, speaker, watcher)


async def test_proposal_make():
    c = await setup()
    me, sub, sec, watcher = await sockets(c, c.members[1], c.substitutes[0], c.secretary)
    result, seen, pub = await ok(
        me, "proposal.make", {"kind": "andring", "text": "Bygglov beviljas med villkor."},
        observer=sec, watcher=watcher)
    assert result["number"] == 2 and result["proposal_id"] == seen["data"]["proposal_id"]
    assert pub["data"]["text"] == "Bygglov beviljas med villkor."
    result, seen, _ = await ok(sec, "proposal.make",
                               {"kind": "aterremiss", "on_behalf_of": c.members[2].pk},
                               observer=me, watcher=watcher)
    assert seen["data"]["text"] == "Ärendet återremitteras"
    assert seen["data"]["entered_by"]["user_id"] == c.secretary.pk
    await refused(sub, "proposal.make", {"kind": "avslag"}, "not_serving")
    await refused(me, "proposal.make", {"kind": "prepared", "text": "x"}, "invalid_argument")
    await refused(me, "proposal.make", {"kind": "andring"}, "invalid_argument")
    await close_all(me, sub, sec, watcher)


async def test_proposal_withdraw():
    c = await setup()
    event = await db(proposal_make)(meeting_id=c.meeting.pk, actor=c.members[1], kind="avslag")
    proposal_id = event.payload["proposal_id"]
    me, other, watcher = await sockets(c, c.members[1], c.members[2])
    await refused(other, "proposal.withdraw", {"proposal_id": proposal_id}, "permission_denied")
    _, seen, pub = await ok(me, "proposal.withdraw", {"proposal_id": proposal_id},
                            observer=other, watcher=watcher)
    assert seen["data"]["withdrawn"] is True and pub["event"] == "proposal.withdrawn"
    await refused(me, "proposal.withdraw", {"proposal_id": proposal_id}, "proposal_withdrawn")
    await close_all(me, other, watcher)


async def test_confidential_item_events_are_skipped_for_the_public():
    c = await setup(item=3)
    me, sec, watcher = await sockets(c, c.members[1], c.secretary)
    _, _, pub = await ok(me, "proposal.make", {"kind": "avslag"}, observer=sec,
                         watcher=watcher)
    assert pub is None
    assert watcher.snapshot["data"]["proposals"] == []
    assert [p["kind"] for p in sec.snapshot["data"]["proposals"]] == ["prepared"]
    await close_all(me, sec, watcher)


def test_every_live_command_has_a_protocol_test():
    """Each registered live command has a ``test_<thing>_<verb>`` above (order-independent)."""
    for command in LIVE_COMMANDS:
        assert f"test_{command.name.replace('.', '_')}" in globals(), command.name
