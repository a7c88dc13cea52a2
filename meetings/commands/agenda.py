"""Approving the agenda and moving through its items."""

from __future__ import annotations

from django.db import transaction

from meetings.commands.lookup import item_of
from meetings.commands.proposals import add_prepared_proposal
from meetings.commands.speakers import clear_requests
from meetings.errors import CommandError, ErrorCode
from meetings.guards import check_item_close
from meetings.log import append_event, lock_meeting, replayed_event
from meetings.models import AgendaItem, MeetingEvent
from meetings.paragraphs import paragraph_assign
from meetings.quorum import quorum_of
from meetings.refs import proposal_ref
from meetings.roles import Actor, require_control, require_open
from meetings.roster import (
    end_one_item_services,
    return_seats_to_members,
    roster_proposals_data,
    serving_seats,
)


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
    # Between items is when seats change hands: late members take their seats back now.
    roster_changes = return_seats_to_members(meeting, item)
    prepared = add_prepared_proposal(item)
    return append_event(
        meeting=meeting, type="item.activated",
        payload={
            "item_id": item.pk, "position": item.position, "title": item.title,
            "confidential": item.confidential,
            "roster_changes": roster_changes,
            # Who serves each seat as the item starts, so the minutes can list it per item.
            "roster": [row.as_dict() for row in serving_seats(meeting)],
            "prepared_proposal": proposal_ref(prepared) if prepared else None,
            "quorum": quorum_of(meeting).as_dict(),
            "roster_proposals": roster_proposals_data(meeting),
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
    check_item_close(item)
    # Every handled item gets its §, decided or not (upprop, information items).
    year, paragraph = paragraph_assign(meeting=meeting, item=item)
    item.state = AgendaItem.State.CLOSED
    item.save(update_fields=["state"])
    cleared = clear_requests(item)
    meeting.active_item = None
    meeting.save(update_fields=["active_item"])
    # Substitutes who served only because of jäv on this item step down.
    roster_changes = end_one_item_services(meeting, item)
    return append_event(
        meeting=meeting, type="item.closed",
        payload={"item_id": item.pk, "position": item.position, "title": item.title,
                 "confidential": item.confidential, "paragraph": paragraph, "year": year,
                 "roster_changes": roster_changes,
                 **cleared, "roster_proposals": roster_proposals_data(meeting)},
        actor_id=actor.pk, command_id=command_id,
    )
