"""A member reports förhinder (or withdraws it); the substitutes are asked in call-in order
and answer."""

from __future__ import annotations

from django.utils import timezone

from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError
from meetings.models import Meeting, Seat
from meetings.refs import PersonRef, person_ref
from notices.absence import next_substitute
from notices.commands.checks import require_planned
from notices.errors import NoticeError
from notices.events import (
    AbsenceReported,
    AbsenceWithdrawn,
    NoticeEventType,
    ReleasedSubstitute,
    SubstituteAnswered,
    SubstituteAsked,
    SubstituteNoneLeft,
)
from notices.models import AbsenceReport, SubstituteRequest


def _ref(user: object) -> PersonRef:
    ref = person_ref(user)  # type: ignore[arg-type]
    assert ref is not None
    return ref


def ask_next(meeting: Meeting, absence: AbsenceReport) -> Emit:
    """Ask the next substitute for the absent member's seat (or log that nobody is left)."""
    member = _ref(absence.member)
    substitute = next_substitute(meeting, absence)
    if substitute is None:
        return Emit(NoticeEventType.SUBSTITUTE_NONE_LEFT,
                    SubstituteNoneLeft(seat=absence.seat.number, for_member=member))
    request = SubstituteRequest.objects.create(
        meeting=meeting, absence=absence, substitute=substitute, asked_at=timezone.now())
    return Emit(NoticeEventType.SUBSTITUTE_ASKED, SubstituteAsked(
        request_id=request.pk, seat=absence.seat.number, substitute=_ref(substitute.user),
        call_in_order=substitute.call_in_order, party=substitute.party, for_member=member,
    ))


@meeting_command
def absence_report(cmd: CommandContext) -> list[Emit]:
    """A member (seat holder) reports that they cannot come; the next substitute is asked."""
    meeting = cmd.meeting
    user = cmd.user
    require_planned(meeting)
    seat = Seat.objects.filter(body_id=meeting.body_id, member=user).first()
    if seat is None:
        raise CommandError(NoticeError.NOT_SEAT_HOLDER)
    if AbsenceReport.objects.filter(meeting=meeting, seat=seat, withdrawn_at=None).exists():
        raise CommandError(NoticeError.ABSENCE_ALREADY_REPORTED)
    absence = AbsenceReport.objects.create(meeting=meeting, seat=seat, member=user,
                                           reported_at=timezone.now())
    reported = Emit(NoticeEventType.ABSENCE_REPORTED,
                    AbsenceReported(seat=seat.number, member=_ref(user)))
    return [reported, ask_next(meeting, absence)]


@meeting_command
def absence_withdraw(cmd: CommandContext) -> Emit:
    """The member can come after all: the förhinder is withdrawn before the meeting opens, and
    the substitute asked or arranged for the seat is released (told by mail and on their page,
    ``notices.services.withdraw_absence``). Only the member who reported it may withdraw it."""
    meeting = cmd.meeting
    user = cmd.user
    require_planned(meeting)
    absence = AbsenceReport.objects.select_related("seat").filter(
        meeting=meeting, member=user, withdrawn_at=None).first()
    if absence is None:
        raise CommandError(NoticeError.NO_ABSENCE_REPORTED)
    now = timezone.now()
    absence.withdrawn_at = now
    absence.save(update_fields=["withdrawn_at"])
    released: list[ReleasedSubstitute] = []
    for request in SubstituteRequest.objects.filter(
            absence=absence, state__in=[SubstituteRequest.State.ASKED,
                                        SubstituteRequest.State.ACCEPTED],
    ).select_related("substitute__user").order_by("pk"):
        released.append(ReleasedSubstitute(
            request_id=request.pk, substitute=_ref(request.substitute.user),
            accepted=request.state == SubstituteRequest.State.ACCEPTED))
        request.state = SubstituteRequest.State.RELEASED
        request.answered_at = request.answered_at or now
        request.save(update_fields=["state", "answered_at"])
    return Emit(NoticeEventType.ABSENCE_WITHDRAWN, AbsenceWithdrawn(
        seat=absence.seat.number, member=_ref(user), released=released))


@meeting_command
def substitute_answer(cmd: CommandContext, *, request_id: int, accept: bool) -> list[Emit]:
    """The asked substitute accepts or declines; on a decline the next one is asked."""
    meeting = cmd.meeting
    user = cmd.user
    require_planned(meeting)
    try:
        request = SubstituteRequest.objects.select_related(
            "substitute__user", "absence__seat", "absence__member").get(
            pk=int(request_id), meeting=meeting)
    except (SubstituteRequest.DoesNotExist, ValueError, TypeError):
        raise CommandError(NoticeError.SUBSTITUTE_REQUEST_NOT_FOUND,
                           request_id=request_id) from None
    if request.substitute.user_id != user.pk:
        raise CommandError(NoticeError.NOT_THE_ASKED_SUBSTITUTE)
    if request.state != SubstituteRequest.State.ASKED:
        raise CommandError(NoticeError.SUBSTITUTE_ALREADY_ANSWERED, state=request.state)
    request.state = (SubstituteRequest.State.ACCEPTED if accept
                     else SubstituteRequest.State.DECLINED)
    request.answered_at = timezone.now()
    request.save(update_fields=["state", "answered_at"])
    absence = request.absence
    answered = Emit(NoticeEventType.SUBSTITUTE_ANSWERED, SubstituteAnswered(
        request_id=request.pk, seat=absence.seat.number, substitute=_ref(user),
        accepted=bool(accept), for_member=_ref(absence.member),
    ))
    return [answered] if accept else [answered, ask_next(meeting, absence)]
