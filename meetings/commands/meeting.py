"""Opening, pausing, resuming and adjourning a meeting."""

from __future__ import annotations

from django.utils import timezone

from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError, ErrorCode
from meetings.events import MeetingAdjourned, MeetingOpened, MeetingPaused, MeetingResumed
from meetings.events import MeetingEventType as E
from meetings.models import (
    BodyRole,
    Meeting,
    Participant,
    Seat,
    SeatService,
    Substitute,
)
from meetings.roles import display_name, require_control, require_open, roles_in
from meetings.roster import serving_seats


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


@meeting_command
def meeting_open(cmd: CommandContext) -> Emit:
    meeting, actor = cmd.meeting, cmd.actor
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
    return Emit(E.MEETING_OPENED, MeetingOpened(
        by=display_name(actor),
        by_role="chair" if roles.is_chair and not roles.is_secretary else "secretary",
        at=meeting.opened_at.isoformat(),
        place=meeting.place,
        seats=meeting.body.seats_count,
        roster=[row.as_dict() for row in serving_seats(meeting)],
        remote_ruleset=meeting.body.remote_ruleset,
    ))


@meeting_command
def meeting_pause(cmd: CommandContext, *, reason: str = "") -> Emit:
    require_control(cmd.meeting, cmd.actor)
    require_open(cmd.meeting)
    return pause(cmd.meeting, reason=reason[:500])


def pause(meeting: Meeting, *, reason: str) -> Emit:
    """Pause the locked meeting; also what a lost remote link does under KL 2017 rules."""
    meeting.paused = True
    meeting.save(update_fields=["paused"])
    return Emit(E.MEETING_PAUSED, MeetingPaused(reason=reason, item_id=meeting.active_item_id))


@meeting_command
def meeting_resume(cmd: CommandContext) -> Emit:
    meeting = cmd.meeting
    require_control(meeting, cmd.actor)
    require_open(meeting, allow_paused=True)
    if not meeting.paused:
        raise CommandError(ErrorCode.MEETING_NOT_PAUSED)
    meeting.paused = False
    meeting.save(update_fields=["paused"])
    return Emit(E.MEETING_RESUMED, MeetingResumed(item_id=meeting.active_item_id))


@meeting_command
def meeting_adjourn(cmd: CommandContext) -> Emit:
    meeting = cmd.meeting
    require_control(meeting, cmd.actor)
    require_open(meeting, allow_paused=True)
    if meeting.active_item_id:
        raise CommandError(ErrorCode.ANOTHER_ITEM_ACTIVE)
    meeting.status = Meeting.Status.ADJOURNED
    meeting.paused = False
    meeting.adjourned_at = timezone.now()
    meeting.save(update_fields=["status", "paused", "adjourned_at"])
    Participant.objects.filter(meeting=meeting).update(connected=False)
    return Emit(E.MEETING_ADJOURNED, MeetingAdjourned(
        by=display_name(cmd.actor), at=meeting.adjourned_at.isoformat()))
