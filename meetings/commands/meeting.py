"""Opening, pausing, resuming and adjourning a meeting."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from meetings.errors import CommandError, ErrorCode
from meetings.log import append_event, lock_meeting, replayed_event
from meetings.models import (
    BodyRole,
    Meeting,
    MeetingEvent,
    Participant,
    Seat,
    SeatService,
    Substitute,
)
from meetings.roles import Actor, display_name, require_control, require_open, roles_in


def _seed_participants(meeting: Meeting) -> None:
    """Everyone with a place in the body gets an (absent) attendance row when the meeting opens."""
    rows: dict[int, str] = {}
    for user_id in BodyRole.objects.filter(body_id=meeting.body_id).values_list(
        "user_id", flat=True
    ):
        rows[user_id] = Participant.Role.OFFICIAL
    for user_id in BodyRole.objects.filter(
        body_id=meeting.body_id, role=BodyRole.Role.SECRETARY
    ).values_list("user_id", flat=True):
        rows[user_id] = Participant.Role.SECRETARY
    for user_id in Substitute.objects.filter(body_id=meeting.body_id).values_list(
        "user_id", flat=True
    ):
        rows[user_id] = Participant.Role.SUBSTITUTE
    for user_id in Seat.objects.filter(body_id=meeting.body_id).values_list(
        "member_id", flat=True
    ):
        rows[user_id] = Participant.Role.MEMBER
    existing = set(
        Participant.objects.filter(meeting=meeting).values_list("user_id", flat=True)
    )
    Participant.objects.bulk_create(
        Participant(meeting=meeting, user_id=user_id, role=role)
        for user_id, role in rows.items()
        if user_id not in existing
    )
    SeatService.objects.bulk_create(
        SeatService(meeting=meeting, seat=seat, user_id=seat.member_id)
        for seat in Seat.objects.filter(body_id=meeting.body_id)
        if not SeatService.objects.filter(meeting=meeting, seat=seat).exists()
    )


@transaction.atomic
def meeting_open(
    *, meeting_id: int, actor: Actor, command_id: str | None = None
) -> MeetingEvent:
    meeting = lock_meeting(meeting_id)
    if done := replayed_event(meeting=meeting, command_id=command_id, actor_id=actor.pk):
        return done
    require_control(meeting, actor)
    if meeting.status == Meeting.Status.OPEN:
        raise CommandError(ErrorCode.MEETING_ALREADY_OPEN)
    if meeting.status == Meeting.Status.ADJOURNED:
        raise CommandError(ErrorCode.MEETING_ADJOURNED)
    meeting.status = Meeting.Status.OPEN
    meeting.opened_at = timezone.now()
    meeting.save(update_fields=["status", "opened_at"])
    _seed_participants(meeting)
    roles = roles_in(meeting, actor)
    return append_event(
        meeting=meeting, type="meeting.opened",
        payload={
            "by": display_name(actor),
            "by_role": "chair" if roles.is_chair and not roles.is_secretary else "secretary",
            "at": meeting.opened_at.isoformat(),
            "place": meeting.place,
            "seats": meeting.body.seats_count,
        },
        actor_id=actor.pk, command_id=command_id,
    )


@transaction.atomic
def meeting_pause(
    *, meeting_id: int, actor: Actor, reason: str = "", command_id: str | None = None
) -> MeetingEvent:
    meeting = lock_meeting(meeting_id)
    if done := replayed_event(meeting=meeting, command_id=command_id, actor_id=actor.pk):
        return done
    require_control(meeting, actor)
    require_open(meeting)
    return pause_locked(meeting=meeting, reason=reason[:500], actor_id=actor.pk,
                        command_id=command_id)


def pause_locked(
    *, meeting: Meeting, reason: str, actor_id: int | None, command_id: str | None = None
) -> MeetingEvent:
    """Pause an already locked meeting; also used when a remote link drops under KL 2017 rules."""
    meeting.paused = True
    meeting.save(update_fields=["paused"])
    return append_event(
        meeting=meeting, type="meeting.paused",
        payload={"reason": reason, "item_id": meeting.active_item_id},
        actor_id=actor_id, command_id=command_id,
    )


@transaction.atomic
def meeting_resume(
    *, meeting_id: int, actor: Actor, command_id: str | None = None
) -> MeetingEvent:
    meeting = lock_meeting(meeting_id)
    if done := replayed_event(meeting=meeting, command_id=command_id, actor_id=actor.pk):
        return done
    require_control(meeting, actor)
    require_open(meeting, allow_paused=True)
    if not meeting.paused:
        raise CommandError(ErrorCode.MEETING_NOT_PAUSED)
    meeting.paused = False
    meeting.save(update_fields=["paused"])
    return append_event(
        meeting=meeting, type="meeting.resumed", payload={"item_id": meeting.active_item_id},
        actor_id=actor.pk, command_id=command_id,
    )


@transaction.atomic
def meeting_adjourn(
    *, meeting_id: int, actor: Actor, command_id: str | None = None
) -> MeetingEvent:
    meeting = lock_meeting(meeting_id)
    if done := replayed_event(meeting=meeting, command_id=command_id, actor_id=actor.pk):
        return done
    require_control(meeting, actor)
    require_open(meeting, allow_paused=True)
    if meeting.active_item_id:
        raise CommandError(ErrorCode.ANOTHER_ITEM_ACTIVE)
    meeting.status = Meeting.Status.ADJOURNED
    meeting.paused = False
    meeting.adjourned_at = timezone.now()
    meeting.save(update_fields=["status", "paused", "adjourned_at"])
    Participant.objects.filter(meeting=meeting).update(connected=False)
    return append_event(
        meeting=meeting, type="meeting.adjourned",
        payload={"by": display_name(actor), "at": meeting.adjourned_at.isoformat()},
        actor_id=actor.pk, command_id=command_id,
    )
