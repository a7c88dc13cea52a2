"""Helpers for the live-meeting domain tests (roster, jäv, speakers, proposals)."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from meetings.commands import (
    agenda_approve,
    attendance_check_in,
    item_activate,
    item_close,
    meeting_open,
)
from meetings.errors import CommandError
from meetings.models import Meeting, MeetingEvent, SeatService
from tests.support.committee import UNDECIDED


def refused(code: str, func, *args, **kwargs) -> CommandError:
    """Run a command that must be refused; assert the code and that nothing was logged."""
    before = MeetingEvent.objects.count()
    with pytest.raises(CommandError) as info:
        func(*args, **kwargs)
    assert info.value.code == code, info.value
    assert str(info.value.message)
    assert MeetingEvent.objects.count() == before
    return info.value


def start(c, *, present: Iterable | None = None, substitutes: Iterable = ()) -> int:
    """Open the meeting; the secretary checks in (confirmed) the given people."""
    mid = c.meeting.pk
    meeting_open(meeting_id=mid, actor=c.secretary)
    people = list(c.members if present is None else present) + list(substitutes)
    for person in people:
        check_in(c, person)
    return mid


def check_in(c, person) -> MeetingEvent:
    return attendance_check_in(meeting_id=c.meeting.pk, actor=c.secretary, user_id=person.pk,
                               remote=False)


def approve_agenda(c) -> None:
    """The agenda is approved (after the roll call, with a quorum) before any item is taken
    up; once is enough."""
    if not Meeting.objects.filter(pk=c.meeting.pk, agenda_approved=True).exists():
        agenda_approve(meeting_id=c.meeting.pk, actor=c.secretary)


def activate(c, index: int) -> MeetingEvent:
    approve_agenda(c)
    return item_activate(meeting_id=c.meeting.pk, actor=c.secretary, item_id=c.items[index].pk)


def close(c, index: int) -> MeetingEvent:
    return item_close(meeting_id=c.meeting.pk, actor=c.secretary, item_id=c.items[index].pk,
                      **UNDECIDED)


def server(c, seat_number: int):
    """Who serves the seat now (user id or None)."""
    return SeatService.objects.get(meeting=c.meeting, seat__number=seat_number).user_id


def meeting(c) -> Meeting:
    return Meeting.objects.get(pk=c.meeting.pk)


def change(seat: int, from_user, to_user, reason: str) -> dict:
    def ref(u):
        return None if u is None else {"user_id": u.pk, "name": u.get_full_name()}
    return {"seat": seat, "from": ref(from_user), "to": ref(to_user), "reason": reason}
