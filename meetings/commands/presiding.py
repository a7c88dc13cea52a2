"""Handing over who presides (``presiding.changed``): the secretary's one command.

The rules are in ``meetings.presiding``: the chair presides unless absent, gone or recused on
the active item; then the first available vice chair (or, under ``eldest_member``, the
member the secretary names); the chair takes the gavel back with the same command.
"""

from __future__ import annotations

from meetings.commands.lookup import participant_of
from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError, ErrorCode
from meetings.events import MeetingEventType as E
from meetings.events import PresidingChanged
from meetings.models import Body, Participant, SeatService
from meetings.presiding import (
    CHAIR_ABSENT,
    CHAIR_LEFT,
    CHAIR_RECUSED,
    CHAIR_RETURNED,
    chair_id,
    is_present,
    is_recused_now,
    may_stand_in,
    presiding_of,
    vice_chair_ids,
)
from meetings.roles import display_name, require_control, require_open


def _refuse(reason: str, **details: object) -> CommandError:
    return CommandError(ErrorCode.PRESIDING_NOT_ALLOWED, reason=reason, **details)


@meeting_command
def presiding_change(cmd: CommandContext, *, user_id: int, reason: str | None = None) -> Emit:
    """The secretary records who presides from now on.

    To someone other than the chair only while the chair is absent, has left or is recused
    on the active item (``reason`` defaults to which of these holds; ``chair_left`` may be
    given for an absent chair). Under ``vice_chairs`` the first vice chair who is present and
    not recused; with none available, or under ``eldest_member``, a present member who is not
    recused (the meeting's choice under the body's rules). Back to the chair when the chair
    can preside again (``chair_returned``)."""
    meeting = cmd.meeting
    require_control(meeting, cmd.actor)
    require_open(meeting, allow_paused=True)
    before = presiding_of(meeting)
    target = participant_of(meeting, user_id)
    chair = chair_id(meeting)
    why_not_chair = may_stand_in(meeting)
    if target.user_id == chair:
        if why_not_chair is not None:
            raise _refuse(why_not_chair)
        reason = CHAIR_RETURNED
    else:
        if why_not_chair is None:
            raise _refuse("chair_can_preside")
        allowed = ([CHAIR_RECUSED] if why_not_chair == CHAIR_RECUSED
                   else [CHAIR_ABSENT, CHAIR_LEFT])
        if reason is not None and reason not in allowed:
            raise CommandError(ErrorCode.INVALID_ARGUMENT, field="reason", allowed=allowed)
        reason = reason or why_not_chair
        if not is_present(meeting, target.user_id) or is_recused_now(meeting, target.user_id):
            raise _refuse("not_present_or_recused", user_id=target.user_id)
        vice = [v for v in vice_chair_ids(meeting)
                if is_present(meeting, v) and not is_recused_now(meeting, v)]
        if meeting.body.presiding_succession == Body.PresidingSuccession.VICE_CHAIRS and vice:
            if target.user_id != vice[0]:
                raise _refuse("next_vice_chair_presides", next_user_id=vice[0])
        elif target.role != Participant.Role.MEMBER and not SeatService.objects.filter(
                meeting=meeting, user_id=target.user_id).exists():
            raise _refuse("not_a_member", user_id=target.user_id)
    if before.user_id == target.user_id and before.handover is None:
        raise _refuse("already_presiding", user_id=target.user_id)
    meeting.presiding = None if target.user_id == chair else target.user
    meeting.presiding_reason = "" if target.user_id == chair else reason
    meeting.save(update_fields=["presiding", "presiding_reason"])
    office = ("chair" if target.user_id == chair
              else "vice_chair" if target.user_id in vice_chair_ids(meeting) else "member")
    return Emit(E.PRESIDING_CHANGED, PresidingChanged(
        user_id=target.user_id, name=display_name(target.user), office=office,
        reason=reason, previous=before.ref(), item_id=meeting.active_item_id,
    ))

