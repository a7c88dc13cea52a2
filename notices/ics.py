"""The calendar invitation attached to a notice (RFC 5545, built with ``icalendar``).

The UID is stable per meeting, so a re-sent (amended) notice updates the event in the
member's calendar instead of adding a second one; SEQUENCE counts the notices. METHOD is
PUBLISH, not REQUEST: attendance is answered in Klubba (förhinder), not by calendar replies
to an organiser.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event

from meetings.models import Meeting

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DEFAULT_LENGTH = timedelta(hours=3)


def meeting_uid(meeting: Meeting) -> str:
    host = urlsplit(settings.KLUBBA_BASE_URL).hostname or "klubba"
    return f"klubba-meeting-{meeting.pk}@{host}"


def calendar_invitation(
    meeting: Meeting, *, sequence: int, url: str, description: str, stamp: datetime
) -> bytes:
    """The .ics bytes for ``meeting``: DTSTART/DTEND in Europe/Stockholm, LOCATION, URL."""
    cal = Calendar()
    cal.add("prodid", "-//Klubba//Kallelse//SV")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)
    starts = meeting.starts_at.astimezone(STOCKHOLM)
    ends = (meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH).astimezone(STOCKHOLM)
    event.add("dtstart", starts)
    event.add("dtend", ends)
    event.add("summary", f"{meeting.body.name}: {meeting.title}")
    event.add("location", meeting.place or meeting.video_link or "Digitalt sammanträde")
    event.add("url", url)
    event.add("description", description)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
