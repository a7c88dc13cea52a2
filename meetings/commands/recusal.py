"""Conflict of interest (jäv): declared by the person, recorded or withdrawn by the secretary.

A recused person does not count for quorum on the item, may not speak, propose or vote on it,
and a substitute may serve their seat for that item only. Declaring jäv on the active item
ends the person's speech and withdraws their waiting requests to speak; their proposals stay
(the secretary may withdraw them). Leaving the room because of jäv is not stepping out.

Jäv is declared before the item is handled (domain.md): while a vote on the item is open,
jäv can be neither declared, recorded nor withdrawn, and nobody who cast a ballot on the item
can be recorded as recused on it (the guards ``voting`` adds through ``meetings.guards``), so
the minutes never show a jäv and a ballot of the same person on the same item.
"""

from __future__ import annotations

from django.contrib.auth.models import User

from meetings.commands.lookup import item_of, participant_of
from meetings.commands.speakers import clear_requests
from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError, ErrorCode
from meetings.events import MeetingEventType as E
from meetings.events import RecusalDeclared, RecusalRecorded, RecusalWithdrawn, RosterChange
from meetings.guards import check_recusal_change
from meetings.models import AgendaItem, Meeting, Participant, Recusal, SeatService
from meetings.quorum import quorum_of
from meetings.refs import person_ref
from meetings.roles import display_name, require_control, require_open
from meetings.roster import roster_change, roster_proposals_data, serving_seat_of

MAX_REASON = 500


def _open_item(meeting: Meeting, item_id: object) -> AgendaItem:
    item = item_of(meeting, item_id)
    if item.state == AgendaItem.State.CLOSED:
        raise CommandError(ErrorCode.ITEM_CLOSED, item_id=item.pk)
    return item


def _recuse(
    *, meeting: Meeting, item: AgendaItem, participant: Participant, reason: str,
    recorded_by: User | None,
) -> RecusalDeclared:
    """Record the jäv and build the payload both declare and record share."""
    if participant.role not in (Participant.Role.MEMBER, Participant.Role.SUBSTITUTE):
        raise CommandError(ErrorCode.INVALID_ARGUMENT, reason="only_members_and_substitutes",
                           user_id=participant.user_id)
    if Recusal.objects.filter(item=item, user_id=participant.user_id).exists():
        raise CommandError(ErrorCode.ALREADY_RECUSED, item_id=item.pk,
                           user_id=participant.user_id)
    check_recusal_change(item, participant.user_id)
    Recusal.objects.create(item=item, user_id=participant.user_id, reason=reason[:MAX_REASON],
                           recorded_by=recorded_by)
    active = meeting.active_item_id == item.pk
    cleared = clear_requests(item, participant.user_id) if active else None
    seat = serving_seat_of(meeting, participant.user_id)
    return RecusalDeclared(
        item_id=item.pk, item_title=item.title, active=active,
        user_id=participant.user_id, name=display_name(participant.user),
        role=participant.role, seat=seat.seat_number if seat else None,
        reason=reason[:MAX_REASON], recorded_by=person_ref(recorded_by),
        speech_ended=cleared["speech_ended"] if cleared else None,
        requests_withdrawn=cleared["requests_withdrawn"] if cleared else [],
        quorum=quorum_of(meeting).as_dict() if active else None,
        roster_proposals=roster_proposals_data(meeting) if active else None,
    )


@meeting_command
def recusal_declare(cmd: CommandContext, *, item_id: int, reason: str = "") -> Emit:
    """A member or substitute declares jäv for themselves on a pending or the active item."""
    meeting = cmd.meeting
    require_open(meeting, allow_paused=True)
    participant = Participant.objects.select_related("user").filter(
        meeting=meeting, user_id=cmd.user_id
    ).first()
    if participant is None:
        raise CommandError(ErrorCode.NOT_A_PARTICIPANT)
    if participant.role not in (Participant.Role.MEMBER, Participant.Role.SUBSTITUTE):
        raise CommandError(ErrorCode.PERMISSION_DENIED, reason="only_members_and_substitutes")
    item = _open_item(meeting, item_id)
    return Emit(E.RECUSAL_DECLARED, _recuse(
        meeting=meeting, item=item, participant=participant, reason=reason, recorded_by=None))


@meeting_command
def recusal_record(
    cmd: CommandContext, *, item_id: int, user_id: int, reason: str = ""
) -> Emit:
    """The secretary records jäv for someone (raised by others or decided by the body)."""
    meeting = cmd.meeting
    require_control(meeting, cmd.actor)
    require_open(meeting, allow_paused=True)
    item = _open_item(meeting, item_id)
    participant = participant_of(meeting, user_id)
    payload: RecusalRecorded = _recuse(
        meeting=meeting, item=item, participant=participant, reason=reason,
        recorded_by=cmd.user)
    return Emit(E.RECUSAL_RECORDED, payload)


@meeting_command
def recusal_withdraw(cmd: CommandContext, *, item_id: int, user_id: int) -> Emit:
    """The secretary removes a jäv (recorded by mistake, or the body found none). On the
    active item a substitute serving for that item only steps down at once."""
    meeting = cmd.meeting
    require_control(meeting, cmd.actor)
    require_open(meeting, allow_paused=True)
    item = _open_item(meeting, item_id)
    participant = participant_of(meeting, user_id)
    recusal = Recusal.objects.filter(item=item, user_id=participant.user_id).first()
    if recusal is None:
        raise CommandError(ErrorCode.NOT_RECUSED, item_id=item.pk, user_id=participant.user_id)
    check_recusal_change(item, participant.user_id)
    recusal.delete()
    changes: list[RosterChange] = []
    for service in SeatService.objects.filter(
        meeting=meeting, only_item=item, returns_to_id=participant.user_id
    ).select_related("seat", "user"):
        changes.append(roster_change(seat_number=service.seat.number, from_user=service.user,
                                     to_user=participant.user, reason="recusal_withdrawn"))
        service.user = participant.user
        service.only_item = None
        service.returns_to = None
        service.save(update_fields=["user", "only_item", "returns_to"])
    active = meeting.active_item_id == item.pk
    return Emit(E.RECUSAL_WITHDRAWN, RecusalWithdrawn(
        item_id=item.pk, item_title=item.title, active=active,
        user_id=participant.user_id, name=display_name(participant.user),
        roster_changes=changes,
        quorum=quorum_of(meeting).as_dict() if active else None,
        roster_proposals=roster_proposals_data(meeting) if active else None,
    ))
