"""The log only receives declared event types with declared payload keys (issue 11, item 3).

``meetings.event_registry.check_event`` refuses an undeclared type, an undeclared key and a
missing required key; a whole meeting run passes, so every payload a meetings command builds
fits its declared shape; and appends outside the command contract are refused.
"""

from __future__ import annotations

import inspect
import typing
from enum import StrEnum

import pytest
from django.db import transaction

import meetings.commands
from meetings.event_registry import (
    UndeclaredEvent,
    check_event,
    declared_event_types,
    register_event_types,
)
from meetings.events import PAYLOADS, MeetingEventType
from meetings.log import NewEvent, append_events, locked_meeting
from meetings.models import MeetingEvent
from tests.support.flows import run_whole_meeting

PAUSED = {"reason": "", "item_id": None}
OPENED = {"by": "S", "by_role": "secretary", "at": "t", "place": "", "seats": 5}


def test_an_undeclared_type_is_refused():
    with pytest.raises(UndeclaredEvent, match="not declared"):
        check_event("meeting.teleported", {})


def test_an_undeclared_key_is_refused():
    with pytest.raises(UndeclaredEvent, match=r"\['mood'\] are not declared"):
        check_event(MeetingEventType.MEETING_PAUSED, {**PAUSED, "mood": "tired"})


def test_a_missing_required_key_is_refused():
    with pytest.raises(UndeclaredEvent, match=r"lacks the required keys \['reason'\]"):
        check_event(MeetingEventType.MEETING_PAUSED, {"item_id": None})


def test_an_optional_key_may_be_left_out():
    check_event(MeetingEventType.MEETING_OPENED, OPENED)
    check_event(MeetingEventType.MEETING_OPENED, {**OPENED, "roster": []})


class _Probe(StrEnum):
    MISDECLARED = "probe.misdeclared"


class _Misdeclared(typing.TypedDict):
    # A string under ``from __future__ import annotations``: TypedDict counts it as required.
    note: typing.NotRequired[str]


def test_a_not_required_key_written_as_a_string_is_refused_at_registration():
    assert "note" in _Misdeclared.__required_keys__  # the trap the registry guards against
    with pytest.raises(TypeError, match="total=False"):
        register_event_types({_Probe.MISDECLARED: _Misdeclared})
    assert "probe.misdeclared" not in declared_event_types()


def test_every_meetings_event_type_is_declared_with_a_typeddict():
    assert set(PAYLOADS) == set(MeetingEventType)
    assert set(MeetingEventType) <= set(declared_event_types())
    for shape in PAYLOADS.values():
        assert typing.is_typeddict(shape)


def test_every_command_is_on_the_contract():
    """No command appends by hand: each is a ``meeting_command`` with keyword-only arguments."""
    for name in meetings.commands.__all__:
        command = getattr(meetings.commands, name)
        assert getattr(command, "is_meeting_command", False), name
        params = inspect.signature(command).parameters.values()
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params), name


def test_a_whole_meeting_appends_only_declared_shapes(committee):
    run_whole_meeting(committee)
    logged = set(MeetingEvent.objects.filter(meeting=committee.meeting)
                 .values_list("type", flat=True))
    assert logged == set(MeetingEventType), "the flow should make every meetings event type"


def test_appending_inside_locked_meeting_works(committee):
    with locked_meeting(committee.meeting.pk) as meeting:
        (event,) = append_events(meeting=meeting, events=[
            NewEvent(type=MeetingEventType.MEETING_PAUSED, payload=PAUSED)])
    assert event.seq == 1


def test_undeclared_types_are_refused_when_appending(committee):
    with pytest.raises(UndeclaredEvent):
        with locked_meeting(committee.meeting.pk) as meeting:
            append_events(meeting=meeting, events=[NewEvent(type="meeting.teleported",
                                                            payload={})])
    assert not MeetingEvent.objects.exists()


def test_appending_outside_the_contract_is_refused(committee):
    meeting = committee.meeting
    new = [NewEvent(type=MeetingEventType.MEETING_PAUSED, payload=PAUSED)]
    with pytest.raises(RuntimeError, match="command contract"):
        append_events(meeting=meeting, events=new)
    # A transaction is not enough: the meeting's row lock (locked_meeting) is what counts.
    with pytest.raises(RuntimeError, match="command contract"), transaction.atomic():
        append_events(meeting=meeting, events=new)
    # Nor is another meeting's lock.
    other = committee.meeting.__class__.objects.create(
        body=meeting.body, title="Annat", starts_at=meeting.starts_at)
    with pytest.raises(RuntimeError, match="command contract"):
        with locked_meeting(other.pk):
            append_events(meeting=meeting, events=new)
    assert not MeetingEvent.objects.exists()
