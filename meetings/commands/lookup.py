"""Finding the rows a command acts on, with typed errors for ids that do not belong."""

from __future__ import annotations

from typing import Any

from meetings.errors import CommandError, ErrorCode
from meetings.models import AgendaItem, Meeting, Participant


def item_of(meeting: Meeting, item_id: Any) -> AgendaItem:
    """The item, only if it belongs to this meeting: an id from another meeting is unknown."""
    try:
        return AgendaItem.objects.get(meeting=meeting, pk=item_id)
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise CommandError(ErrorCode.ITEM_NOT_FOUND, item_id=item_id) from None


def participant_of(meeting: Meeting, user_id: Any) -> Participant:
    try:
        return Participant.objects.select_related("user").get(meeting=meeting, user_id=user_id)
    except (Participant.DoesNotExist, ValueError, TypeError):
        raise CommandError(ErrorCode.USER_NOT_FOUND, user_id=user_id) from None


def active_item_of(meeting: Meeting) -> AgendaItem:
    """The item being handled now, or ``item_not_active``."""
    if not meeting.active_item_id:
        raise CommandError(ErrorCode.ITEM_NOT_ACTIVE)
    return item_of(meeting, meeting.active_item_id)
