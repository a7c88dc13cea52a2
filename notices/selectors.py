"""What the pages show of the time before a meeting (reads only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from meetings.models import Meeting, Seat, Substitute
from notices.models import AbsenceReport, RemoteRequest, SentMail, SubstituteRequest
from notices.notice import NoticeStatus, days_before, notice_status, recipients, required_days


@dataclass(frozen=True)
class Preparations:
    """Förhinder, the substitutes asked and their answers, and remote requests of a meeting:
    the secretary's page and the roll call show them."""

    absences: list[dict[str, Any]]
    remote: list[RemoteRequest]

    @property
    def approved_remote(self) -> list[RemoteRequest]:
        return [r for r in self.remote if r.state == RemoteRequest.State.APPROVED]


def preparations(meeting: Meeting) -> Preparations:
    absences = []
    for absence in AbsenceReport.objects.filter(meeting=meeting, withdrawn_at=None).select_related(
            "seat", "member"):
        requests = list(SubstituteRequest.objects.filter(absence=absence).select_related(
            "substitute__user").order_by("asked_at", "pk"))
        accepted = next((r for r in requests
                         if r.state == SubstituteRequest.State.ACCEPTED), None)
        absences.append({"absence": absence, "requests": requests, "accepted": accepted})
    remote = list(RemoteRequest.objects.filter(meeting=meeting).select_related(
        "user", "decided_by"))
    return Preparations(absences=absences, remote=remote)


@dataclass(frozen=True)
class NoticePage:
    status: NoticeStatus
    recipients: list[dict[str, Any]]
    days_before: int
    required_days: int
    preparations: Preparations
    mail_counts: dict[str, int]

    @property
    def late(self) -> bool:
        return self.days_before < self.required_days

    @property
    def without_email(self) -> list[dict[str, Any]]:
        return [r for r in self.recipients if not r["mailed"]]


def notice_page(meeting: Meeting) -> NoticePage:
    counts: dict[str, int] = {}
    for status in SentMail.objects.filter(meeting=meeting).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return NoticePage(
        status=notice_status(meeting), recipients=[dict(r) for r in recipients(meeting)],
        days_before=days_before(meeting, timezone.localdate()),
        required_days=required_days(meeting.body), preparations=preparations(meeting),
        mail_counts=counts,
    )


def my_preparations(user_id: int) -> dict[str, Any]:
    """For a person's home page: upcoming meetings where they hold a seat (with their
    förhinder and remote request), and requests to serve that await their answer."""
    seats = {s.body_id: s for s in Seat.objects.filter(member_id=user_id)}
    sub_bodies = set(Substitute.objects.filter(user_id=user_id).values_list("body_id",
                                                                            flat=True))
    upcoming = Meeting.objects.filter(
        status=Meeting.Status.PLANNED, starts_at__gte=timezone.now(),
        body_id__in=set(seats) | sub_bodies,
    ).select_related("body").order_by("starts_at")
    rows = []
    for meeting in upcoming:
        rows.append({
            "meeting": meeting, "member": meeting.body_id in seats,
            "absence": AbsenceReport.objects.filter(meeting=meeting, member_id=user_id,
                                                    withdrawn_at=None).first(),
            "remote": RemoteRequest.objects.filter(meeting=meeting, user_id=user_id).first(),
            "remote_allowed": meeting.body.remote_allowed,
        })
    asked = list(SubstituteRequest.objects.filter(
        substitute__user_id=user_id, state=SubstituteRequest.State.ASKED,
        meeting__status=Meeting.Status.PLANNED,
    ).select_related("meeting__body", "absence__member", "absence__seat"))
    accepted = list(SubstituteRequest.objects.filter(
        substitute__user_id=user_id, state=SubstituteRequest.State.ACCEPTED,
        meeting__status=Meeting.Status.PLANNED,
    ).select_related("meeting__body", "absence__member", "absence__seat"))
    released = list(SubstituteRequest.objects.filter(
        substitute__user_id=user_id, state=SubstituteRequest.State.RELEASED,
        meeting__status=Meeting.Status.PLANNED,
    ).select_related("meeting__body", "absence__member", "absence__seat"))
    return {"meetings": rows, "asked": asked, "accepted": accepted, "released": released}


@dataclass(frozen=True)
class MyAbsence:
    """A member's förhinder for one meeting and where the search for a substitute stands:
    ``accepted`` (``substitute`` serves), ``asked`` (``substitute`` is asked) or
    ``none_left`` (nobody left to ask)."""

    absence: AbsenceReport
    state: str
    substitute: str


def my_absence(meeting: Meeting, user_id: int) -> MyAbsence | None:
    absence = AbsenceReport.objects.filter(meeting=meeting, member_id=user_id,
                                           withdrawn_at=None).first()
    if absence is None:
        return None
    for state in (SubstituteRequest.State.ACCEPTED, SubstituteRequest.State.ASKED):
        request = SubstituteRequest.objects.filter(absence=absence, state=state).select_related(
            "substitute__user").order_by("-pk").first()
        if request is not None:
            user = request.substitute.user
            return MyAbsence(absence, str(state), user.get_full_name() or user.username)
    return MyAbsence(absence, "none_left", "")


def called_to_serve(meeting: Meeting, user_id: int) -> SubstituteRequest | None:
    """The request this substitute accepted for this meeting (before it opens they are called
    to serve; the roll call confirms it)."""
    return SubstituteRequest.objects.filter(
        meeting=meeting, substitute__user_id=user_id, state=SubstituteRequest.State.ACCEPTED,
    ).select_related("absence__member", "absence__seat").first()
