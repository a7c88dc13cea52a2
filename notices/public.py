"""The public notice (kungörelse) of public meetings, for the notice board.

A public meeting's notice appears once the secretary has sent it, until the meeting day has
passed, with the time, the place and the items as the last notice listed them, each with its
public documents (the checked document view serves them to anyone for a public meeting);
closed items never appear (not even as a count), as the public view never shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from meetings.models import Attachment, Meeting, MeetingEvent
from notices.events import NoticeEventType
from notices.ics import STOCKHOLM


@dataclass(frozen=True)
class PublicNotice:
    meeting: Meeting
    starts_at: datetime
    place: str
    video_link: str
    items: list[dict[str, Any]]
    posted_at: datetime
    amended: bool
    late: bool
    days_before: int
    required_days: int


def public_notices(today: date) -> list[PublicNotice]:
    """Kungörelser on the board today: public meetings from ``today`` on whose notice was sent."""
    meetings = Meeting.objects.filter(
        is_public=True, starts_at__date__gte=today, events__type=NoticeEventType.NOTICE_SENT,
    ).exclude(status=Meeting.Status.ADJOURNED).distinct().select_related("body")
    notices = []
    for meeting in meetings.order_by("starts_at"):
        last = MeetingEvent.objects.filter(
            meeting=meeting, type=NoticeEventType.NOTICE_SENT).order_by("-seq").first()
        if last is None:
            continue
        p = last.payload
        listed = [a for i in p["items"] if not i["confidential"] for a in i["attachments"]]
        documents: dict[int, list[dict[str, Any]]] = {}
        for attachment in Attachment.objects.filter(
                pk__in=listed, item__meeting=meeting, item__confidential=False).order_by("pk"):
            documents.setdefault(attachment.item_id, []).append(
                {"id": attachment.pk, "title": attachment.title})
        notices.append(PublicNotice(
            meeting=meeting, starts_at=meeting.starts_at.astimezone(STOCKHOLM),
            place=p["place"], video_link=p["video_link"],
            items=[{"position": i["position"], "title": i["title"],
                    "case_number": i["case_number"],
                    "documents": documents.get(i["item_id"], [])}
                   for i in p["items"] if not i["confidential"]],
            posted_at=last.at.astimezone(STOCKHOLM), amended=p["amended"], late=p["late"],
            days_before=p["days_before"], required_days=p["required_days"],
        ))
    return notices
