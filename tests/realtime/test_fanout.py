"""Fan-out renders each event once per audience and sends one group message per audience,
however many sockets follow the meeting; and it works from sync code in any thread."""

from __future__ import annotations

import asyncio

import pytest
from channels.layers import InMemoryChannelLayer, get_channel_layer

from meetings.commands import meeting_open, roll_call_start
from realtime.fanout import group_name
from tests.conftest import make_committee
from tests.realtime.conftest import db, participant, public

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


async def test_one_group_send_per_audience_not_per_connection(counting_layer):
    c = await db(make_committee)()
    await db(meeting_open)(meeting_id=c.meeting.pk, actor=c.secretary)
    members = [await participant(c.meeting.pk, user=m) for m in c.members[:3]]
    watchers = [await public(c.meeting.pk) for _ in range(2)]
    for client in members:
        await client.event(name="presence.connected")  # let the connects' own events pass
    counting_layer.clear()
    event = await db(roll_call_start)(meeting_id=c.meeting.pk, actor=c.secretary)
    for client in members + watchers:
        seen = await client.event(seq=event.seq)
        assert seen["event"] == "roll_call.started"
    assert sorted(counting_layer) == sorted(
        [group_name(c.meeting.pk, "participants"), group_name(c.meeting.pk, "public")]
    )
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
        await layer.group_add(group_name(c.meeting.pk, "public"), channel)
        event = meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)  # sync, in the loop
        message = await asyncio.wait_for(layer.receive(channel), 10)
        assert message["seq"] == event.seq
        return message

    message = asyncio.run(scenario())
    assert message["frame"]["event"] == "meeting.opened"


async def test_a_closed_socket_leaves_its_group():
    c = await db(make_committee)()
    layer = get_channel_layer()
    if not isinstance(layer, InMemoryChannelLayer):
        pytest.skip("inspects the in-memory layer's groups")
    group = group_name(c.meeting.pk, "public")
    client = await public(c.meeting.pk)
    assert len(layer.groups.get(group, {})) == 1
    await client.close()
    assert len(layer.groups.get(group, {})) == 0
