"""Choosing who will check and sign the minutes (val av justerare)."""

from __future__ import annotations

from collections.abc import Sequence

from meetings.commands.lookup import participant_of
from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError, ErrorCode
from meetings.events import AdjustersChosen
from meetings.events import MeetingEventType as E
from meetings.models import Adjuster, Participant
from meetings.refs import PersonRef
from meetings.roles import display_name, require_control, require_open

MAX_ADJUSTERS = 2


@meeting_command
def adjusters_choose(cmd: CommandContext, *, user_ids: Sequence[int]) -> Emit:
    meeting = cmd.meeting
    require_control(meeting, cmd.actor)
    require_open(meeting)
    unique_ids = list(dict.fromkeys(user_ids))
    if not 1 <= len(unique_ids) <= MAX_ADJUSTERS:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="user_ids", max=MAX_ADJUSTERS)
    participants = [participant_of(meeting, user_id) for user_id in unique_ids]
    for participant in participants:
        if participant.role not in (Participant.Role.MEMBER, Participant.Role.SUBSTITUTE):
            raise CommandError(
                ErrorCode.INVALID_ARGUMENT, reason="adjuster_must_be_member",
                user_id=participant.user_id,
            )
    Adjuster.objects.filter(meeting=meeting).delete()
    Adjuster.objects.bulk_create(
        Adjuster(meeting=meeting, user_id=p.user_id, position=i)
        for i, p in enumerate(participants, start=1)
    )
    return Emit(E.ADJUSTERS_CHOSEN, AdjustersChosen(
        adjusters=[PersonRef(user_id=p.user_id, name=display_name(p.user)) for p in participants],
        item_id=meeting.active_item_id,
    ))
