"""Calling in and releasing substitutes (ersättare) for seats.

Seat changes happen between items. The one exception is jäv: while an item is active, a seat
whose server is recused on it may be given to a substitute for that item only; the seat goes
back when the item closes (see ``meetings.roster``).
"""

from __future__ import annotations

from typing import Any

from meetings.commands.lookup import participant_of
from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError, ErrorCode
from meetings.events import MeetingEventType as E
from meetings.events import SubstituteCalledIn, SubstituteReleased
from meetings.models import Body, Meeting, Participant, Seat, SeatService
from meetings.quorum import quorum_of
from meetings.roles import require_control, require_open
from meetings.roster import (
    present_user_ids,
    recused_user_ids,
    roster_change,
    roster_proposals_data,
)


def service_of(meeting: Meeting, seat_number: Any) -> SeatService:
    """The service row of a seat of this meeting's body, or ``seat_not_found``."""
    try:
        seat = Seat.objects.get(body_id=meeting.body_id, number=seat_number)
    except (Seat.DoesNotExist, ValueError, TypeError):
        raise CommandError(ErrorCode.SEAT_NOT_FOUND, seat=seat_number) from None
    service, _ = SeatService.objects.select_related("seat", "user").get_or_create(
        meeting=meeting, seat=seat, defaults={"user_id": seat.member_id}
    )
    return service


@meeting_command
def substitute_call_in(cmd: CommandContext, *, seat_number: int, user_id: int) -> Emit:
    """The secretary lets a present substitute serve a seat whose server is absent (between
    items) or recused on the active item (for that item only)."""
    meeting = cmd.meeting
    require_control(meeting, cmd.actor)
    require_open(meeting, allow_paused=True)
    if meeting.body.substitute_policy == Body.SubstitutePolicy.NONE:
        raise CommandError(ErrorCode.NO_SUBSTITUTES)
    service = service_of(meeting, seat_number)
    substitute = participant_of(meeting, user_id)
    if substitute.role != Participant.Role.SUBSTITUTE:
        raise CommandError(ErrorCode.NOT_A_SUBSTITUTE, user_id=substitute.user_id)
    if not (substitute.present and substitute.confirmed):
        raise CommandError(ErrorCode.NOT_PRESENT, user_id=substitute.user_id)
    if substitute.stepped_out:
        raise CommandError(ErrorCode.STEPPED_OUT, user_id=substitute.user_id)
    if SeatService.objects.filter(meeting=meeting, user_id=substitute.user_id).exists():
        raise CommandError(ErrorCode.ALREADY_SERVING, user_id=substitute.user_id)
    recused = recused_user_ids(meeting.active_item_id)
    if substitute.user_id in recused:
        raise CommandError(ErrorCode.RECUSED, user_id=substitute.user_id,
                           item_id=meeting.active_item_id)
    current = service.user
    server_recused = current is not None and current.pk in recused
    if meeting.active_item_id and not server_recused:
        raise CommandError(ErrorCode.SEAT_CHANGE_DURING_ITEM, seat=service.seat.number,
                           item_id=meeting.active_item_id)
    if (current is not None and current.pk in present_user_ids(meeting)
            and not server_recused):
        raise CommandError(ErrorCode.SEAT_OCCUPIED, seat=service.seat.number)
    reason = "recused" if server_recused else "absent" if current is not None else "vacant"
    change = roster_change(seat_number=service.seat.number, from_user=current,
                           to_user=substitute.user, reason=reason)
    service.user = substitute.user
    if server_recused:
        # For this item only; afterwards the seat goes back to the recused server.
        service.only_item_id = meeting.active_item_id
        service.returns_to = current
    else:
        service.only_item = None
        service.returns_to = None
    service.save(update_fields=["user", "only_item", "returns_to"])
    return Emit(E.SUBSTITUTE_CALLED_IN, SubstituteCalledIn(
        item_id=meeting.active_item_id,
        only_item_id=service.only_item_id,
        roster_changes=[change],
        quorum=quorum_of(meeting).as_dict(),
        roster_proposals=roster_proposals_data(meeting),
    ))


@meeting_command
def substitute_release(cmd: CommandContext, *, seat_number: int) -> Emit:
    """Between items, a serving substitute steps down and the seat goes back to its member;
    if the member stepped out (no växeltjänstgöring) the seat is left vacant instead."""
    meeting = cmd.meeting
    require_control(meeting, cmd.actor)
    require_open(meeting, allow_paused=True)
    service = service_of(meeting, seat_number)
    if meeting.active_item_id:
        raise CommandError(ErrorCode.SEAT_CHANGE_DURING_ITEM, seat=service.seat.number,
                           item_id=meeting.active_item_id)
    member = service.seat.member
    if service.user_id is None or service.user_id == member.pk:
        raise CommandError(ErrorCode.SEAT_NOT_SUBSTITUTED, seat=service.seat.number)
    stepped_out = Participant.objects.filter(
        meeting=meeting, user=member, stepped_out=True
    ).exists()
    back = None if stepped_out else member
    change = roster_change(seat_number=service.seat.number, from_user=service.user,
                           to_user=back, reason="released")
    service.user = back
    service.only_item = None
    service.returns_to = None
    service.save(update_fields=["user", "only_item", "returns_to"])
    return Emit(E.SUBSTITUTE_RELEASED, SubstituteReleased(
        item_id=None,
        roster_changes=[change],
        quorum=quorum_of(meeting).as_dict(),
        roster_proposals=roster_proposals_data(meeting),
    ))
