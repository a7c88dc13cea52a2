"""Choosing who will check and sign the minutes (val av justerare)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from meetings.commands.attendance import participant_of
from meetings.errors import CommandError, ErrorCode
from meetings.log import append_event, lock_meeting, replayed_event
from meetings.models import Adjuster, MeetingEvent, Participant
from meetings.roles import Actor, display_name, require_control, require_open

MAX_ADJUSTERS = 2


@transaction.atomic
def adjusters_choose(
    *, meeting_id: int, actor: Actor, user_ids: Sequence[int], command_id: str | None = None
) -> MeetingEvent:
    meeting = lock_meeting(meeting_id)
    if done := replayed_event(meeting=meeting, command_id=command_id, actor_id=actor.pk):
        return done
    require_control(meeting, actor)
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
    return append_event(
        meeting=meeting, type="adjusters.chosen",
        payload={
            "adjusters": [
                {"user_id": p.user_id, "name": display_name(p.user)} for p in participants
            ],
            "item_id": meeting.active_item_id,
        },
        actor_id=actor.pk, command_id=command_id,
    )
