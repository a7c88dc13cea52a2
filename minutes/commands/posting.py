"""Anslag: posting the signed minutes on the notice board, which starts the appeal period."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError
from meetings.events import MeetingEventType
from meetings.models import Meeting, MeetingEvent
from meetings.roles import display_name, query_id, require_control
from minutes.commands.documents import minutes_document
from minutes.dates import appeal_last_day, notice_taken_down
from minutes.errors import MinutesError
from minutes.events import MinutesEventType as M
from minutes.events import MinutesPosted
from minutes.model import STOCKHOLM
from minutes.models import MinutesDocument, Publication


def appeal_dates(posted_on: date) -> tuple[date, date]:
    """(last day to appeal, day the notice comes down): three weeks from the posting date,
    the last day moved past weekends and holidays (lag 1930:173, see minutes/dates.py)."""
    return appeal_last_day(posted_on), notice_taken_down(posted_on)


def held_on(meeting: Meeting, document: MinutesDocument) -> date:
    """The day the meeting was held, as the minutes say it (one date everywhere: the notice
    board and the archive show the minutes' date, not the planned one)."""
    stated = (document.public_minutes or {}).get("date")
    if stated:
        return date.fromisoformat(str(stated))
    opened = MeetingEvent.objects.filter(
        meeting=meeting, type=MeetingEventType.MEETING_OPENED,
    ).order_by("seq").values_list("at", flat=True).first()
    return (opened or meeting.starts_at).astimezone(STOCKHOLM).date()


@meeting_command
def minutes_post(
    cmd: CommandContext, *, kept_at: str = "", now: datetime | None = None
) -> Emit:
    """Anslag: post the signed minutes on the notice board; the appeal period starts."""
    meeting = cmd.meeting
    require_control(meeting, cmd.actor)
    document = minutes_document(meeting)
    if document is None:
        raise CommandError(MinutesError.MINUTES_NOT_LOCKED)
    if Publication.objects.filter(document=document).exists():
        raise CommandError(MinutesError.ALREADY_POSTED)
    if document.signatures.count() < len(document.signers):
        raise CommandError(MinutesError.NOT_ALL_SIGNED)
    posted_at = now or timezone.now()
    posted_on = posted_at.astimezone(STOCKHOLM).date()
    last_day, taken_down_on = appeal_dates(posted_on)
    kept = kept_at.strip()[:300] or (
        f"{meeting.body.organisation or meeting.body.name}, digitalt arkiv"
    )
    publication = Publication.objects.create(
        document=document, body=meeting.body,
        meeting_date=held_on(meeting, document), posted_at=posted_at,
        posted_on=posted_on, appeal_last_day=last_day, taken_down_on=taken_down_on,
        posted_by_id=query_id(cmd.actor), kept_at=kept,
    )
    return Emit(M.MINUTES_POSTED, MinutesPosted(
        document_id=document.pk, publication_id=publication.pk,
        posted_on=posted_on.isoformat(), appeal_last_day=last_day.isoformat(),
        taken_down_on=taken_down_on.isoformat(), kept_at=kept,
        full_sha256=document.full_sha256, public_sha256=document.public_sha256,
        by=display_name(cmd.actor),
    ))
