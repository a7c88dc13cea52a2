"""Repeated commands over the wire (issue 13): a second check-in is answered ``ok`` with the
``unchanged`` result and appends no event; the cap on proposals is a typed refusal; and the
frame limit fits every legal command, so a long non-ASCII text meets its ``maxLength``
before the frame limit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings as django_settings

from meetings.commands import agenda_approve, attendance_check_in, item_activate, meeting_open
from meetings.models import MeetingEvent
from realtime.commands import registry
from realtime.protocol import FrameError, parse_client_frame
from tests.realtime.test_input import UNLIMITED
from tests.support.committee import make_committee
from tests.support.sockets import db, participant

pytestmark = pytest.mark.django_db(transaction=True)


def count_events(meeting_id: int) -> int:
    return MeetingEvent.objects.filter(meeting_id=meeting_id).count()


async def test_a_second_check_in_replies_unchanged_and_logs_nothing():
    c = await db(make_committee)()
    mid = c.meeting.pk
    await db(meeting_open)(meeting_id=mid, actor=c.secretary)
    client = await participant(mid, user=c.members[1])
    first = await client.command("attendance.check_in", {"remote": True})
    assert first["ok"] and first["result"]["event"] == "attendance.checked_in", first
    head = first["result"]["seq"]
    before = await db(count_events)(mid)
    for _ in range(3):
        again = await client.command("attendance.check_in", {"remote": True})
        assert again["ok"], again
        assert again["result"] == {"seq": head, "event": None, "unchanged": True}
    assert await db(count_events)(mid) == before
    await client.close()


async def test_too_many_proposals_is_a_typed_refusal(settings):
    settings.KLUBBA = {**settings.KLUBBA, "MAX_PROPOSALS_PER_MEMBER": 2}
    c = await db(make_committee)()
    mid = c.meeting.pk

    await db(begin)(c)
    client = await participant(mid, user=c.members[1])
    for _ in range(2):
        assert (await client.command("proposal.make", {"kind": "avslag"}))["ok"]
    reply = await client.command("proposal.make", {"kind": "andring", "text": "Tre"})
    assert not reply["ok"] and reply["error"]["code"] == "too_many_proposals", reply
    assert reply["error"]["details"] == {"max": 2, "live": 2}
    await client.close()


def begin(c) -> None:
    """Open the meeting with every member present; item 1 active."""
    mid = c.meeting.pk
    meeting_open(meeting_id=mid, actor=c.secretary)
    for member in c.members:
        attendance_check_in(meeting_id=mid, actor=c.secretary, user_id=member.pk, remote=False)
    agenda_approve(meeting_id=mid, actor=c.secretary)
    item_activate(meeting_id=mid, actor=c.secretary, item_id=c.items[0].pk)


def worst(schema: dict[str, Any], n: int = 0) -> Any:
    """The largest value a schema allows, every character a 4-byte one (varied, so items in
    a list differ)."""
    if "oneOf" in schema:
        return max((worst(option, n) for option in schema["oneOf"]),
                   key=lambda v: len(json.dumps(v)))
    if "enum" in schema:
        return max(schema["enum"], key=lambda v: len(json.dumps(v)))
    kind = schema.get("type")
    if kind == "string":
        return chr(0x1F300 + n % 500) * schema["maxLength"]
    if kind == "integer":
        return schema.get("maximum", 2**53)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    if kind == "array":
        return [worst(schema["items"], n + i) for i in range(schema["maxItems"])]
    assert kind == "object", schema
    return {key: worst(prop, n) for key, prop in schema["properties"].items()}


@pytest.mark.parametrize("ensure_ascii", [False, True], ids=["utf8", "escaped"])
def test_every_legal_command_fits_the_frame_limit(ensure_ascii):
    max_bytes = int(django_settings.KLUBBA["MAX_FRAME_BYTES"])
    largest = 0
    for name in registry.names():
        args = worst(registry.get(name).args_schema)
        assert registry.args_errors(name, args) == [], name  # a legal command
        text = json.dumps({"v": 1, "type": "command", "id": "x" * 64, "name": name,
                           "args": args}, ensure_ascii=ensure_ascii, separators=(",", ":"))
        largest = max(largest, len(text.encode()))
        try:
            parse_client_frame(text, max_bytes=max_bytes)
        except FrameError as exc:
            pytest.fail(f"{name}: {exc.code} {exc.details}")
    # Not vacuous: the largest legal command is far over the old 16 KiB limit.
    assert largest > 100_000


async def test_a_long_text_of_four_byte_characters_meets_max_length_not_the_frame_limit(
        settings):
    settings.KLUBBA = {**settings.KLUBBA, "BUDGETS": UNLIMITED}
    c = await db(make_committee)()
    await db(begin)(c)
    client = await participant(c.meeting.pk, user=c.members[1])
    # json.dumps escapes each 4-byte character as two \u escapes: 12 bytes a character, so
    # this frame is about 120 KB.
    ok = await client.command("proposal.make", {"kind": "andring", "text": "\U0001F600" * 10_000})
    assert ok["ok"], ok
    over = await client.command("proposal.make",
                                {"kind": "andring", "text": "\U0001F600" * 10_001})
    assert over["error"]["code"] == "invalid_argument", over
    assert over["error"]["details"]["field"] == "text"
    await client.close()
