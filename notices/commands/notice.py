"""Sending the notice (kallelse) — and, for a public meeting, the kungörelse."""

from __future__ import annotations

from django.utils import timezone

from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError
from notices.commands.checks import require_planned, require_secretary
from notices.errors import NoticeError
from notices.events import NoticeEventType, NoticeSent
from notices.ics import STOCKHOLM
from notices.notice import (
    agenda_items,
    days_before,
    notice_facts,
    notices_sent,
    recipients,
    required_days,
)


@meeting_command
def notice_send(cmd: CommandContext, *, late_confirmed: bool = False) -> Emit:
    """The body's secretary issues the notice: logs who it goes to and the agenda it lists.

    The mail itself is sent after the commit (``notices.services.send_notice``): slow work
    stays outside the meeting lock. Later than the required days before the meeting (KL 5:11
    for fullmäktige) it is refused with ``notice_late`` until the secretary confirms; it is
    then logged as late. A late notice does not by itself annul the decisions, but it is a
    ground for appeal (laglighetsprövning), so the record must show it.
    """
    meeting = cmd.meeting
    require_secretary(meeting, cmd.actor)
    require_planned(meeting)
    items = agenda_items(meeting)
    if not items:
        raise CommandError(NoticeError.AGENDA_EMPTY)
    days = days_before(meeting, timezone.now().astimezone(STOCKHOLM).date())
    required = required_days(meeting.body)
    late = days < required
    if late and not late_confirmed:
        raise CommandError(NoticeError.NOTICE_LATE, days_before=days, required_days=required)
    previous = len(notices_sent(meeting))
    facts = notice_facts(meeting)
    return Emit(NoticeEventType.NOTICE_SENT, NoticeSent(
        sequence=previous, amended=previous > 0,
        starts_at=facts["starts_at"], ends_at=facts["ends_at"], place=facts["place"],
        video_link=facts["video_link"], items=items, recipients=recipients(meeting),
        public_notice=meeting.is_public, days_before=days, required_days=required,
        late=late,
    ))
