"""Paragraph numbers (§): every handled item gets one, numbered per body and calendar year.

One allocator serves both the decision (voting) and the close of an item without a decision
(upprop, val av justerare, information items), so the numbers never collide. Locking the body
row serialises two meetings of the same body that number at the same moment.
"""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone

from meetings.models import AgendaItem, Body, Meeting


def paragraph_year(meeting: Meeting) -> int:
    return timezone.localtime(meeting.starts_at).year


def paragraph_assign(*, meeting: Meeting, item: AgendaItem) -> tuple[int, int]:
    """Give ``item`` the body's next § in the meeting's year (or keep the one it has).

    Returns ``(year, paragraph)``. Must run inside the command's transaction.
    """
    year = paragraph_year(meeting)
    if item.paragraph is not None:
        return year, item.paragraph
    Body.objects.select_for_update().filter(pk=meeting.body_id).first()
    last = AgendaItem.objects.filter(
        meeting__body_id=meeting.body_id, paragraph__isnull=False,
        meeting__starts_at__year=year,
    ).aggregate(m=Max("paragraph"))["m"]
    item.paragraph = (last or 0) + 1
    AgendaItem.objects.filter(pk=item.pk).update(paragraph=item.paragraph)
    return year, item.paragraph
