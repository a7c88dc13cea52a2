"""Fan-out: each event is rendered once per audience and sent with one group message per event
(the group's members are processes, not sockets); the process's hub hands the text to every
socket, in seq order, and summarises ballots and connections in progress frames."""

from __future__ import annotations

import asyncio
import json

import pytest
from channels.layers import InMemoryChannelLayer, get_channel_layer

from meetings.commands import meeting_open, roll_call_start
from meetings.log import events_committed
from realtime import consumers, fanout
from realtime.fanout import group_name
from realtime.hub import hub
from tests.support.committee import make_committee
from tests.support.sockets import db, participant, public

pytestmark = pytest.mark.django_db(transaction=True)

SENT: list[str] = []


class CountingLayer(InMemoryChannelLayer):
    """The real in-memory layer, recording which groups were sent to."""

    async def group_send(self, group, message):
        SENT.append(group)
        return await super().group_send(group, message)


@pytest.fixture
def counting_layer(settings):
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "tests.realtime.test_fanout.CountingLayer"}
    }
    SENT.clear()
    yield SENT


async def test_one_group_send_per_event_not_per_connection(counting_layer):
    c = await db(make_committee)()
    await db(meeting_open)(meeting_id=c.meeting.pk, actor=c.secretary)
    members = [await participant(c.meeting.pk, user=m) for m in c.members[:3]]
    watchers = [await public(c.meeting.pk) for _ in range(2)]
    counting_layer.clear()
    event = await db(roll_call_start)(meeting_id=c.meeting.pk, actor=c.secretary)
    for client in members + watchers:
        seen = await client.event(seq=event.seq)
        assert seen["event"] == "roll_call.started"
    assert counting_layer == [group_name(c.meeting.pk)]
    for client in members + watchers:
        await client.close()


def test_fan_out_from_sync_code_inside_a_running_event_loop(monkeypatch):
    """Sync code called in a thread that runs an event loop (Playwright's sync API does this
    in browser tests) cannot use async_to_sync; the event must still be sent."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    c = make_committee()
    layer = get_channel_layer()

    async def scenario() -> dict:
        channel = await layer.new_channel()
        await layer.group_add(group_name(c.meeting.pk), channel)
        event = meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)  # sync, in the loop
        message = await asyncio.wait_for(layer.receive(channel), 10)
        assert [entry["seq"] for entry in message["events"]] == [event.seq]
        return message["events"][0]

    entry = asyncio.run(scenario())
    frame = json.loads(entry["texts"]["public"])
    assert (frame["event"], frame["seq"]) == ("meeting.opened", entry["seq"])


async def test_the_process_joins_the_group_once_and_leaves_with_its_last_socket():
    c = await db(make_committee)()
    layer = get_channel_layer()
    if not isinstance(layer, InMemoryChannelLayer):
        pytest.skip("inspects the in-memory layer's groups")
    group = group_name(c.meeting.pk)
    clients = [await public(c.meeting.pk) for _ in range(3)]
    clients.append(await participant(c.meeting.pk, user=c.members[1]))
    assert len(layer.groups.get(group, {})) == 1
    for client in clients:
        await client.close()
    assert len(layer.groups.get(group, {})) == 0
    assert c.meeting.pk not in hub().feeds


async def test_sockets_joining_together_share_one_snapshot(monkeypatch):
    c = await db(make_committee)()
    builds: list[str] = []
    real = consumers.meeting_snapshot

    def counted(meeting_id: int, audience: str) -> dict:
        builds.append(audience)
        return real(meeting_id, audience)

    monkeypatch.setattr(consumers, "meeting_snapshot", counted)
    first = await public(c.meeting.pk)
    # One after another: sockets opened concurrently from one test task share its database
    # connection storage (asgiref contexts), and one such connection outlived the test.
    others = [await public(c.meeting.pk) for _ in range(5)]
    assert builds == ["public"]
    assert all(o.snapshot == first.snapshot for o in others)
    for client in [first, *others]:
        await client.close()


async def test_messages_that_arrive_out_of_order_are_delivered_in_order():
    c = await db(make_committee)()
    watcher = await public(c.meeting.pk)
    feed = hub().feeds[c.meeting.pk]
    events_committed.disconnect(dispatch_uid="realtime.fanout.publish")
    try:
        first = await db(meeting_open)(meeting_id=c.meeting.pk, actor=c.secretary)
        second = await db(roll_call_start)(meeting_id=c.meeting.pk, actor=c.secretary)
    finally:
        fanout.connect()
    messages = await db(fanout.rendered_events)(c.meeting.pk, after=0, until=second.seq)
    for message in reversed(messages):
        await feed.take(message)
    got = [await watcher.event(), await watcher.event()]
    assert [f["seq"] for f in got] == [first.seq, second.seq]
    assert feed.head == second.seq and not feed.early
    await watcher.close()


async def test_the_cached_snapshot_serves_until_a_streamed_event(monkeypatch):
    """Joiners share the cached snapshot while only summarised events (connections, ballots)
    followed it, and catch up with a progress frame from memory; after a streamed event the
    next joiner gets a fresh snapshot, never old events that would look new."""
    c = await db(make_committee)()
    await db(meeting_open)(meeting_id=c.meeting.pk, actor=c.secretary)
    builds: list[int] = []
    reads: list[int] = []
    real_snapshot, real_read = consumers.meeting_snapshot, fanout.rendered_events

    def counted_snapshot(meeting_id: int, audience: str) -> dict:
        snapshot = real_snapshot(meeting_id, audience)
        if audience == "public":
            builds.append(snapshot["seq"])
        return snapshot

    def counted_read(*args, **kwargs):
        reads.append(1)
        return real_read(*args, **kwargs)

    monkeypatch.setattr(consumers, "meeting_snapshot", counted_snapshot)
    monkeypatch.setattr("realtime.hub.rendered_events", counted_read)
    early = await public(c.meeting.pk)
    member = await participant(c.meeting.pk, user=c.members[1])  # logs presence.connected
    moved = await early.wait_for(lambda f: f["type"] == "progress")
    assert moved["seq"] == early.snapshot["seq"] + 1
    late = await public(c.meeting.pk)
    assert late.snapshot == early.snapshot
    assert (await late.recv())["seq"] == moved["seq"]  # a progress frame, from memory
    started = await db(roll_call_start)(meeting_id=c.meeting.pk, actor=c.secretary)
    await early.event(seq=started.seq)
    later = await public(c.meeting.pk)
    assert later.snapshot["seq"] == started.seq
    assert builds == [early.snapshot["seq"], started.seq] and reads == []
    for client in (early, member, late, later):
        await client.close()
