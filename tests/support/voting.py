"""A committee meeting with an active item, reached through the real meeting commands (no
rows written behind the commands' backs), and a helper for refused commands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from meetings.commands import (
    agenda_approve,
    attendance_check_in,
    item_activate,
    meeting_open,
    proposal_make,
)
from meetings.errors import CommandError
from meetings.models import AgendaItem, MeetingEvent, Proposal
from tests.support.committee import Committee


@dataclass
class Live:
    c: Committee
    meeting_id: int
    item: AgendaItem

    @property
    def chair(self):
        return self.c.chair

    @property
    def sec(self):
        return self.c.secretary

    def kw(self, **extra: Any) -> dict[str, Any]:
        return {"meeting_id": self.meeting_id, **extra}

    def prepared(self) -> Proposal:
        return Proposal.objects.get(item=self.item, kind=Proposal.Kind.PREPARED)

    def propose(self, member, kind: str, text: str = "") -> Proposal:
        event = proposal_make(meeting_id=self.meeting_id, actor=member, kind=kind, text=text)
        return Proposal.objects.get(pk=event.payload["proposal_id"])


def start_item(c: Committee, *, absent: tuple = (), item_index: int = 1,
               substitutes_present: bool = True) -> Live:
    """Open the meeting, check everyone in (confirmed by the secretary), activate an item."""
    mid = c.meeting.pk
    meeting_open(meeting_id=mid, actor=c.secretary)
    people = list(c.members) + (list(c.substitutes) if substitutes_present else [])
    for person in people:
        if person in absent:
            continue
        attendance_check_in(meeting_id=mid, actor=c.secretary, user_id=person.pk, remote=True)
    agenda_approve(meeting_id=mid, actor=c.secretary)
    item = c.items[item_index]
    item_activate(meeting_id=mid, actor=c.secretary, item_id=item.pk)
    item.refresh_from_db()
    return Live(c=c, meeting_id=mid, item=item)


def refused(code: str, func, **kwargs) -> CommandError:
    """Run a command that must be refused; assert the code and that nothing was logged."""
    before = MeetingEvent.objects.count()
    with pytest.raises(CommandError) as info:
        func(**kwargs)
    assert info.value.code == code, info.value
    assert str(info.value.message)
    assert MeetingEvent.objects.count() == before
    return info.value
