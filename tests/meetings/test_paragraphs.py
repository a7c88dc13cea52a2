"""Paragraph numbers: every handled item gets a §, per body and calendar year, never twice."""

from meetings.commands import (
    agenda_approve,
    attendance_check_in,
    item_activate,
    item_close,
    meeting_adjourn,
    meeting_open,
)
from meetings.models import AgendaItem, Meeting
from tests.support.committee import UNDECIDED, make_committee, roll_call_and_agenda


def _handle(c, meeting: Meeting, items: list[AgendaItem]) -> list[int]:
    numbers = []
    for item in items:
        item_activate(meeting_id=meeting.pk, actor=c.secretary, item_id=item.pk)
        event = item_close(meeting_id=meeting.pk, actor=c.secretary, item_id=item.pk, **UNDECIDED)
        numbers.append(event.payload["paragraph"])
        item.refresh_from_db()
        assert item.paragraph == event.payload["paragraph"]
    return numbers


def test_items_closed_without_a_decision_are_numbered_in_the_order_handled(committee):
    c = committee
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    roll_call_and_agenda(c)
    # Handled out of agenda order: numbers follow the handling, not the agenda position.
    assert _handle(c, c.meeting, [c.items[0], c.items[2], c.items[1]]) == [1, 2, 3]


def test_the_next_meeting_of_the_body_continues_the_years_numbering(committee):
    c = committee
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    roll_call_and_agenda(c)
    _handle(c, c.meeting, c.items[:2])
    meeting_adjourn(meeting_id=c.meeting.pk, actor=c.secretary)
    later = Meeting.objects.create(body=c.body, title="Nästa", starts_at=c.meeting.starts_at)
    items = [AgendaItem.objects.create(meeting=later, position=i, title=f"Punkt {i}")
             for i in (1, 2)]
    meeting_open(meeting_id=later.pk, actor=c.secretary)
    for member in c.members:
        attendance_check_in(meeting_id=later.pk, actor=c.secretary, user_id=member.pk,
                            remote=False)
    agenda_approve(meeting_id=later.pk, actor=c.secretary)
    assert _handle(c, later, items) == [3, 4]
    # Another body numbers on its own.
    other = make_committee(name="Annan nämnd")
    meeting_open(meeting_id=other.meeting.pk, actor=other.secretary)
    roll_call_and_agenda(other)
    assert _handle(other, other.meeting, other.items[:1]) == [1]
