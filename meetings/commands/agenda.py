"""Approving the agenda and moving through its items."""

from __future__ import annotations

from django.db import transaction

from meetings.errors import CommandError, ErrorCode
from meetings.log import append_event, lock_meeting, replayed_event
from meetings.models import AgendaItem, Meeting, MeetingEvent
from meetings.quorum import quorum_of
from meetings.roles import Actor, require_control, require_open


def item_of(meeting: Meeting, item_id: object) -> AgendaItem:
    """The item, only if it belongs to this meeting: an id from another meeting is unknown."""
    try:
        return AgendaItem.objects.get(meeting=meeting, pk=item_id)
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise CommandError(ErrorCode.ITEM_NOT_FOUND, item_id=item_id) from None


@transaction.atomic
def agenda_approve(
    *, meeting_id: int, actor: Actor, command_id: str | None = None
) -> MeetingEvent:
    meeting = lock_meeting(meeting_id)
    if done := replayed_event(meeting=meeting, command_id=command_id, actor_id=actor.pk):
        return done
    require_control(meeting, actor)
    require_open(meeting)
    if meeting.agenda_approved:
        raise CommandError(ErrorCode.AGENDA_ALREADY_APPROVED)
    meeting.agenda_approved = True
    meeting.save(update_fields=["agenda_approved"])
    items = [
        {"item_id": item.pk, "position": item.position, "title": item.title,
         "confidential": item.confidential}
        for item in meeting.items.order_by("position")
    ]
    return append_event(
        meeting=meeting, type="agenda.approved", payload={"items": items},
        actor_id=actor.pk, command_id=command_id,
    )


@transaction.atomic
def item_activate(
    *, meeting_id: int, actor: Actor, item_id: int, command_id: str | None = None
) -> MeetingEvent:
    meeting = lock_meeting(meeting_id)
    if done := replayed_event(meeting=meeting, command_id=command_id, actor_id=actor.pk):
        return done
    require_control(meeting, actor)
    require_open(meeting)
    item = item_of(meeting, item_id)
    if item.state == AgendaItem.State.ACTIVE:
        raise CommandError(ErrorCode.ITEM_ALREADY_ACTIVE)
    if item.state == AgendaItem.State.CLOSED:
        raise CommandError(ErrorCode.ITEM_CLOSED)
    if meeting.active_item_id:
        raise CommandError(ErrorCode.ANOTHER_ITEM_ACTIVE)
    item.state = AgendaItem.State.ACTIVE
    item.save(update_fields=["state"])
    meeting.active_item = item
    meeting.save(update_fields=["active_item"])
    return append_event(
        meeting=meeting, type="item.activated",
        payload={
            "item_id": item.pk, "position": item.position, "title": item.title,
            "confidential": item.confidential, "quorum": quorum_of(meeting).as_dict(),
        },
        actor_id=actor.pk, command_id=command_id,
    )


@transaction.atomic
def item_close(
    *, meeting_id: int, actor: Actor, item_id: int, command_id: str | None = None
) -> MeetingEvent:
    meeting = lock_meeting(meeting_id)
    if done := replayed_event(meeting=meeting, command_id=command_id, actor_id=actor.pk):
        return done
    require_control(meeting, actor)
    require_open(meeting, allow_paused=True)
    item = item_of(meeting, item_id)
    if item.state != AgendaItem.State.ACTIVE:
        raise CommandError(ErrorCode.ITEM_NOT_ACTIVE)
    item.state = AgendaItem.State.CLOSED
    item.save(update_fields=["state"])
    meeting.active_item = None
    meeting.save(update_fields=["active_item"])
    return append_event(
        meeting=meeting, type="item.closed",
        payload={"item_id": item.pk, "position": item.position, "title": item.title,
                 "confidential": item.confidential},
        actor_id=actor.pk, command_id=command_id,
    )
