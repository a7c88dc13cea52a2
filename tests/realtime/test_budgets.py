"""Budgets per socket and per user (issue 13): commands and syncs beyond the token buckets are
refused with ``rate_limited``, a user's sockets are capped (``too_many_sockets``, close 4429),
a socket's receive queue is bounded (``queue_full``), frames sent to a refused socket are
dropped, a sync resends nothing the socket already has, the stream can be interrupted
(``stream_interrupted``, close 4503) and a snapshot too large is shortened."""

from __future__ import annotations

import asyncio
import json
import logging
import time

import pytest

from meetings.commands import (
    agenda_approve,
    attendance_check_in,
    item_activate,
    meeting_open,
    proposal_make,
    roll_call_start,
)
from realtime.commands import registry
from realtime.hub import hub
from tests.support.committee import make_committee
from tests.support.sockets import closed_with, db, open_socket, participant, public

pytestmark = pytest.mark.django_db(transaction=True)


def budgets(settings, **values: float) -> None:
    settings.KLUBBA = {**settings.KLUBBA, "BUDGETS": values}


async def test_a_socket_over_its_command_budget_is_refused_then_recovers(settings):
    budgets(settings, COMMAND_BURST=3, COMMANDS_PER_SECOND=2)
    c = await db(make_committee)()
    client = await participant(c.meeting.pk, user=c.secretary)
    codes = []
    for n in range(6):
        frame_id = f"b{n}"
        await client.send({"v": 1, "type": "command", "id": frame_id,
                           "name": "roll_call.start"})
        reply = await client.reply(frame_id)
        codes.append(reply["ok"] or reply["error"]["code"])
    assert "rate_limited" in codes and codes[:3] != ["rate_limited"] * 3, codes
    limited = [n for n, code in enumerate(codes) if code == "rate_limited"]
    assert limited and limited[0] >= 3, codes
    await asyncio.sleep(0.6)  # two a second refill
    reply = await client.command("meeting.open")
    assert reply["ok"], reply
    await client.close()


async def test_rate_limited_details_say_when_to_retry(settings):
    budgets(settings, COMMAND_BURST=1, COMMANDS_PER_SECOND=0.5)
    c = await db(make_committee)()
    client = await participant(c.meeting.pk, user=c.secretary)
    assert (await client.command("meeting.open"))["ok"]
    reply = await client.command("meeting.pause", {"reason": "fika"})
    assert reply["error"]["code"] == "rate_limited"
    assert 0 < reply["error"]["details"]["retry_after"] <= 2
    await client.close()


async def test_the_user_budget_is_shared_by_the_users_sockets(settings):
    budgets(settings, COMMAND_BURST=100, USER_COMMAND_BURST=4, USER_COMMANDS_PER_SECOND=0.01)
    c = await db(make_committee)()
    await db(meeting_open)(meeting_id=c.meeting.pk, actor=c.secretary)
    tabs = [await participant(c.meeting.pk, user=c.members[1]) for _ in range(2)]
    codes = []
    for n in range(6):
        reply = await tabs[n % 2].command("attendance.check_in", {})
        codes.append(reply["ok"] or reply["error"]["code"])
    assert codes.count("rate_limited") == 2, codes
    other = await participant(c.meeting.pk, user=c.members[2])
    assert (await other.command("attendance.check_in", {}))["ok"]  # not the same user
    for client in (*tabs, other):
        await client.close()


async def test_sync_is_rate_limited_per_socket(settings):
    budgets(settings, SYNC_BURST=2, SYNCS_PER_SECOND=0.01)
    c = await db(make_committee)()
    watcher = await public(c.meeting.pk)
    answers = []
    for n in range(4):
        _, reply = await watcher.sync(0, frame_id=f"s{n}")
        answers.append(reply["ok"] or reply["error"]["code"])
    assert answers == [True, True, "rate_limited", "rate_limited"], answers
    await watcher.close()


async def test_a_user_may_hold_only_so_many_sockets(settings):
    budgets(settings, MAX_SOCKETS_PER_USER=2)
    c = await db(make_committee)()
    kept = [await participant(c.meeting.pk, user=c.members[1]) for _ in range(2)]
    accepted, _, third = await open_socket(f"/ws/meetings/{c.meeting.pk}/", user=c.members[1])
    assert accepted
    assert await closed_with(third) == {"error": "too_many_sockets", "close": 4429}
    await kept[0].close()
    again = await participant(c.meeting.pk, user=c.members[1])  # a slot is free again
    for client in (kept[1], again):
        await client.close()


async def test_the_receive_queue_is_bounded(settings, monkeypatch):
    budgets(settings, RECEIVE_QUEUE=3)

    def slow(**kwargs):
        time.sleep(0.5)
        return {"done": True}

    command = registry.WireCommand("test.slow", slow, registry.object_schema(),
                                   to_result=lambda result: result)
    monkeypatch.setitem(registry._commands, command.name, command)
    monkeypatch.setitem(registry._validators, command.name,
                        registry.Draft202012Validator(command.args_schema))
    c = await db(make_committee)()
    client = await participant(c.meeting.pk, user=c.secretary)
    await client.send({"v": 1, "type": "command", "id": "slow", "name": "test.slow"})
    await asyncio.sleep(0.1)  # the worker is busy with it
    for n in range(8):
        await client.send({"v": 1, "type": "ping", "id": f"p{n}"})
    answers = {}
    for _ in range(9):
        frame = await client.wait_for(lambda f: f["type"] in ("pong", "reply"))
        answers[frame["id"]] = frame["type"] if frame["type"] == "pong" else (
            frame["ok"] or frame["error"]["code"])
    assert answers["slow"] is True
    assert list(answers.values()).count("pong") == 3, answers
    assert list(answers.values()).count("queue_full") == 5, answers
    await client.close()


async def test_frames_sent_to_a_refused_socket_are_dropped(caplog):
    c = await db(make_committee)()
    with caplog.at_level(logging.INFO):
        accepted, _, client = await open_socket(f"/ws/meetings/{c.meeting.pk}/")
        assert accepted
        for n in range(3):
            await client.send({"v": 1, "type": "sync", "id": f"s{n}", "since": 0})
            await client.send({"v": 1, "type": "command", "id": f"c{n}",
                               "name": "meeting.open"})
        assert await closed_with(client) == {"error": "authentication_required",
                                             "close": 4401}
        assert await client.ws.receive_nothing(timeout=0.3)
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    assert not await db(lambda: c.meeting.__class__.objects.get(pk=c.meeting.pk).last_seq)()


async def test_a_sync_does_not_resend_what_the_socket_already_has():
    c = await db(make_committee)()
    await db(meeting_open)(meeting_id=c.meeting.pk, actor=c.secretary)
    for member in c.members[2:5]:  # a quorum before anyone watches: the agenda needs it
        await db(attendance_check_in)(meeting_id=c.meeting.pk, actor=c.secretary,
                                      user_id=member.pk)
    watcher = await public(c.meeting.pk)
    since = watcher.snapshot["seq"]
    started = await db(roll_call_start)(meeting_id=c.meeting.pk, actor=c.secretary)
    approved = await db(agenda_approve)(meeting_id=c.meeting.pk, actor=c.secretary)
    await watcher.event(seq=approved.seq)
    assert [f["seq"] for f in watcher.pending] == [started.seq]  # both arrived live
    watcher.pending.clear()
    frames, reply = await watcher.sync(since)
    assert frames == [] and reply["result"] == {"seq": approved.seq, "snapshot": False,
                                                "events": 0}
    await watcher.close()


async def test_an_interrupted_stream_closes_with_4503():
    c = await db(make_committee)()
    watcher = await public(c.meeting.pk)
    await hub().interrupt()
    assert await closed_with(watcher) == {"error": "stream_interrupted", "close": 4503}


def proposals_made(c, texts: list[str]) -> None:
    """The meeting open and quorate, its first item active, and a proposal per text."""
    m, s = c.meeting.pk, c.secretary
    meeting_open(meeting_id=m, actor=s)
    for member in c.members[:3]:
        attendance_check_in(meeting_id=m, actor=s, user_id=member.pk)
    agenda_approve(meeting_id=m, actor=s)
    item_activate(meeting_id=m, actor=s, item_id=c.items[0].pk)
    for text in texts:
        proposal_make(meeting_id=m, actor=s, kind="andring", text=text,
                      on_behalf_of=c.members[1].pk)


async def test_a_snapshot_too_large_is_shortened(settings):
    settings.KLUBBA = {**settings.KLUBBA, "MAX_SNAPSHOT_BYTES": 20_000}
    c = await db(make_committee)()
    m = c.meeting.pk
    await db(proposals_made)(c, [f"{n} " + "lång text " * 900 for n in range(4)])
    client = await participant(m, user=c.members[2])
    text = json.dumps(client.snapshot, ensure_ascii=False)
    assert len(text.encode()) <= 20_000
    data = client.snapshot["data"]
    assert data["truncated"] is True
    cut = [p for p in data["proposals"] if p.get("truncated")]
    assert len(cut) == 4 and all(p["truncated"] == ["text"] for p in cut)
    await client.close()


async def test_a_snapshot_that_cutting_texts_cannot_shrink_enough_is_sent_whole(settings):
    """Over the limit for its rosters, not its texts: cutting the texts would lose them and
    not bring it under the limit, so nothing is cut (a thousand-seat meeting's full form)."""
    settings.KLUBBA = {**settings.KLUBBA, "MAX_SNAPSHOT_BYTES": 600}
    c = await db(make_committee)()
    long_text = ("lång text " * 300).strip()
    await db(proposals_made)(c, [long_text])
    client = await participant(c.meeting.pk, user=c.members[2])
    data = client.snapshot["data"]
    assert "truncated" not in data
    assert long_text in [p["text"] for p in data["proposals"]]
    await client.close()


def test_a_snapshot_too_large_even_whole_and_cut_goes_cut():
    """Over ``WHOLE_UP_TO`` whole, and over the limit even cut: the cut one is the smaller."""
    from realtime.snapshots import WHOLE_UP_TO, fitted

    data = {"meeting": {"id": 1}, "seats": [{"n": i, "name": "x" * 60} for i in range(20_000)],
            "proposals": [{"text": "lång " * 2000}]}
    text = fitted(data, lambda d: json.dumps(d, ensure_ascii=False))
    assert len(json.dumps(data, ensure_ascii=False).encode()) > WHOLE_UP_TO
    assert json.loads(text)["truncated"] is True
