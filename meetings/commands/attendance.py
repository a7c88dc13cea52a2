"""Roll call (upprop) and attendance: check-in by the member, confirmation by the secretary."""

from __future__ import annotations

from collections.abc import Sequence

from meetings.commands.lookup import participant_of
from meetings.contract import CommandContext, Emit, meeting_command, optional_meeting_command
from meetings.errors import CommandError, ErrorCode
from meetings.events import (
    AttendanceCheckedIn,
    AttendanceCheckedOut,
    AttendanceConfirmed,
    ConfirmedAttendee,
    RemoteConfirmation,
    RollCallStarted,
)
from meetings.events import MeetingEventType as E
from meetings.models import AgendaItem, Body, BodyRole, Meeting, Participant, SeatService
from meetings.presiding import presiding_of, require_presiding
from meetings.quorum import quorum_of
from meetings.roles import (
    Actor,
    display_name,
    may_control,
    query_id,
    require_control,
    require_open,
)
from meetings.roster import recused_user_ids, roster_proposals_data


def presidium_must_attend(meeting: Meeting, user_id: int) -> bool:
    """Prop. 2025/26:164: the fullmäktige presidium (chair and vice chairs) may not take part
    remotely."""
    body = meeting.body
    return (
        body.kind == Body.Kind.FULLMAKTIGE
        and body.remote_ruleset == Body.RemoteRuleset.CHAIR_ENSURES
        and BodyRole.objects.filter(
            body=body, user_id=user_id,
            role__in=[BodyRole.Role.CHAIR, BodyRole.Role.VICE_CHAIR]).exists()
    )


def _subject(meeting: Meeting, actor: Actor, user_id: int | None) -> Participant:
    """Members act for themselves; the secretary may act for anyone in the meeting."""
    if user_id is None or user_id == actor.pk:
        try:
            return Participant.objects.select_related("user").get(
                meeting=meeting, user_id=query_id(actor)
            )
        except Participant.DoesNotExist:
            raise CommandError(ErrorCode.NOT_A_PARTICIPANT) from None
    require_control(meeting, actor)
    return participant_of(meeting, user_id)


def presiding_confirms_remote(meeting: Meeting) -> bool:
    """Prop. 2025/26:164: the presiding person confirms who takes part remotely."""
    return meeting.body.remote_ruleset == Body.RemoteRuleset.CHAIR_ENSURES


def remote_confirmation(meeting: Meeting, actor: Actor) -> RemoteConfirmation:
    """The presiding person's act of confirming a remote participant (``chair_ensures``):
    the presiding person or the secretary as their clerk (``on_behalf_of``); anyone else is
    refused with ``not_presiding``. A pending handover does not stop it (meetings.presiding)."""
    on_behalf_of = require_presiding(meeting, actor, item_act=False)
    payload = RemoteConfirmation(confirmed_by=presiding_of(meeting).ref())
    if on_behalf_of is not None:
        payload["on_behalf_of"] = on_behalf_of
    return payload


@meeting_command
def roll_call_start(cmd: CommandContext) -> Emit:
    meeting = cmd.meeting
    require_control(meeting, cmd.actor)
    require_open(meeting, allow_paused=True)
    return Emit(E.ROLL_CALL_STARTED, RollCallStarted(
        item_id=meeting.active_item_id, quorum=quorum_of(meeting).as_dict()))


@optional_meeting_command
def attendance_check_in(
    cmd: CommandContext, *, user_id: int | None = None, remote: bool = True
) -> Emit | None:
    """Check someone in (see ``_subject`` for who may check in whom).

    A repeated check-in that would change nothing (already present, same ``remote``, link
    not lost, and already confirmed or not being confirmed now) logs nothing and returns
    ``None``: a flood of check-ins cannot fill the permanent log (docs/protocol.md,
    "Unchanged")."""
    meeting, actor = cmd.meeting, cmd.actor
    require_open(meeting, allow_paused=True)
    participant = _subject(meeting, actor, user_id)
    if remote and not meeting.body.remote_allowed:
        raise CommandError(
            ErrorCode.PERMISSION_DENIED,
            message=None,
            reason="remote_participation_not_allowed",
        )
    if remote and presidium_must_attend(meeting, participant.user_id):
        raise CommandError(ErrorCode.PERMISSION_DENIED, reason="presidium_not_remote")
    # A check-in recorded by the secretary is confirmed at once; a self check-in awaits it.
    # It is also how a remote member whose link dropped is restored (one action). Under
    # ``chair_ensures`` a remote one is confirmed at once only in the presiding person's name.
    confirmed = participant.user_id != actor.pk and may_control(meeting, actor)
    confirmation: RemoteConfirmation = {}
    if confirmed and remote and presiding_confirms_remote(meeting):
        try:
            confirmation = remote_confirmation(meeting, actor)
        except CommandError:
            confirmed = False  # recorded; awaits the presiding person's confirmation
    if (participant.present and participant.remote == remote and not participant.link_lost
            and (participant.confirmed or not confirmed)):
        return None  # nothing changes: nothing is logged
    participant.present = True
    participant.remote = remote
    participant.confirmed = confirmed
    participant.link_lost = False
    participant.save(update_fields=["present", "remote", "confirmed", "link_lost"])
    payload = AttendanceCheckedIn(
        user_id=participant.user_id,
        name=display_name(participant.user),
        role=participant.role,
        remote=remote,
        confirmed=participant.confirmed,
        item_id=meeting.active_item_id,
        quorum=quorum_of(meeting).as_dict(),
        roster_proposals=roster_proposals_data(meeting),
    )
    payload.update(confirmation)
    return Emit(E.ATTENDANCE_CHECKED_IN, payload)


@optional_meeting_command
def attendance_confirm(cmd: CommandContext, *, user_ids: Sequence[int]) -> Emit | None:
    """The secretary confirms who is present. Under ``chair_ensures`` confirming a remote
    participant is the presiding person's act (``remote_confirmation``); in-room ones stay
    the secretary's. Confirming only the already confirmed changes nothing: it logs nothing
    and returns ``None``."""
    meeting = cmd.meeting
    require_open(meeting, allow_paused=True)
    if not user_ids:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="user_ids")
    participants = [participant_of(meeting, user_id) for user_id in dict.fromkeys(user_ids)]
    by_presiding = presiding_confirms_remote(meeting) and any(p.remote for p in participants)
    if not (by_presiding and all(p.remote for p in participants)):
        require_control(meeting, cmd.actor)
    confirmation = remote_confirmation(meeting, cmd.actor) if by_presiding else {}
    for participant in participants:
        if not participant.present:
            raise CommandError(
                ErrorCode.INVALID_ARGUMENT, reason="not_checked_in",
                user_id=participant.user_id,
            )
    if all(participant.confirmed for participant in participants):
        return None
    Participant.objects.filter(pk__in=[p.pk for p in participants]).update(confirmed=True)
    payload = AttendanceConfirmed(
        users=[
            ConfirmedAttendee(user_id=p.user_id, name=display_name(p.user), remote=p.remote)
            for p in participants
        ],
        item_id=meeting.active_item_id,
        quorum=quorum_of(meeting).as_dict(),
        roster_proposals=roster_proposals_data(meeting),
    )
    payload.update(confirmation)
    return Emit(E.ATTENDANCE_CONFIRMED, payload)


@optional_meeting_command
def attendance_check_out(cmd: CommandContext, *, user_id: int | None = None) -> Emit | None:
    """Check someone out. Checking out someone who is not present changes nothing: it logs
    nothing and returns ``None``."""
    meeting = cmd.meeting
    require_open(meeting, allow_paused=True)
    participant = _subject(meeting, cmd.actor, user_id)
    if not participant.present and not participant.confirmed:
        return None
    participant.present = False
    participant.confirmed = False
    # No växeltjänstgöring: leaving while serving, once the items have begun, is for the rest
    # of the meeting. Leaving because of jäv on the active item is not stepping out.
    stepped_out = (
        not participant.stepped_out
        and SeatService.objects.filter(meeting=meeting, user_id=participant.user_id).exists()
        and participant.user_id not in recused_user_ids(meeting.active_item_id)
        and meeting.items.exclude(state=AgendaItem.State.PENDING).exists()
    )
    participant.stepped_out = participant.stepped_out or stepped_out
    participant.save(update_fields=["present", "confirmed", "stepped_out"])
    return Emit(E.ATTENDANCE_CHECKED_OUT, AttendanceCheckedOut(
        user_id=participant.user_id,
        name=display_name(participant.user),
        stepped_out=participant.stepped_out,
        item_id=meeting.active_item_id,
        quorum=quorum_of(meeting).as_dict(),
        roster_proposals=roster_proposals_data(meeting),
    ))
