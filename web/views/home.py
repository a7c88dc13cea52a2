"""The start page: what Klubba is, and for a logged-in person their meetings per body."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from meetings.models import Adjuster, BodyRole, Meeting, Seat, Substitute
from minutes.models import MinutesDocument, Publication
from notices.selectors import my_preparations


def _minutes_facts(meeting_ids: list[int]) -> tuple[set[int], dict[int, int]]:
    """Which of these meetings' current minutes are fully signed, and the posted minutes'
    publication (anslag) per meeting: the home page links "After the meeting" and the
    public minutes from them."""
    signed = {d.meeting_id for d in MinutesDocument.objects.filter(
        meeting_id__in=meeting_ids, item__isnull=True, superseded_at__isnull=True,
    ).prefetch_related("signatures") if d.fully_signed}
    posted = dict(Publication.objects.filter(
        document__meeting_id__in=meeting_ids, document__item__isnull=True,
    ).values_list("document__meeting_id", "pk"))
    return signed, posted


def _my_meetings(uid: int) -> list[tuple[str, dict[str, list[dict[str, Any]]]]]:
    """Upcoming and past meetings per body name, with the links this person's offices give."""
    body_ids = set(BodyRole.objects.filter(user_id=uid).values_list("body_id", flat=True))
    body_ids |= set(Seat.objects.filter(member_id=uid).values_list("body_id", flat=True))
    body_ids |= set(Substitute.objects.filter(user_id=uid).values_list("body_id", flat=True))
    meetings = Meeting.objects.filter(
        Q(body_id__in=body_ids) | Q(participants__user_id=uid)
    ).distinct().select_related("body").order_by("starts_at")
    offices = list(BodyRole.objects.filter(
        user_id=uid, role__in=[BodyRole.Role.SECRETARY, BodyRole.Role.CHAIR]
    ).select_related("body"))
    console = {o.body_id for o in offices}
    review = {o.body_id for o in offices if o.role == BodyRole.Role.SECRETARY
              or o.body.chair_controls_meeting}
    chairs = {o.body_id for o in offices if o.role == BodyRole.Role.CHAIR}
    secretaries = {o.body_id for o in offices if o.role == BodyRole.Role.SECRETARY}
    signed, posted = _minutes_facts([m.pk for m in meetings])
    adjusting = set(Adjuster.objects.filter(user_id=uid).values_list("meeting_id", flat=True))
    now = timezone.now()
    groups: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for m in meetings:
        past = m.status == Meeting.Status.ADJOURNED or (
            m.status == Meeting.Status.PLANNED and m.starts_at < now - timedelta(days=1)
        )
        group = groups.setdefault(m.body.name, {"upcoming": [], "past": []})
        group["past" if past else "upcoming"].append({
            "meeting": m, "console": m.body_id in console, "review": m.body_id in review,
            "signs": m.body_id in chairs or m.pk in adjusting,
            "notice": m.body_id in console and m.status == Meeting.Status.PLANNED,
            # The secretary's ways on: the agenda editor and the mail record before the
            # meeting, "After the meeting" once the minutes are signed.
            "plan": m.body_id in secretaries and m.status == Meeting.Status.PLANNED,
            "after": m.body_id in secretaries and m.pk in signed,
            "publication": posted.get(m.pk),
        })
    for group in groups.values():
        group["past"].reverse()
    return sorted(groups.items())


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Anonymous: what Klubba is. Logged in: my meetings, upcoming and past, per body."""
    context: dict[str, Any] = {}
    public_live = Meeting.objects.filter(
        is_public=True, status=Meeting.Status.OPEN).select_related("body").order_by("starts_at")
    context["public_live"] = public_live[:20]
    if request.user.is_authenticated:
        context["groups"] = _my_meetings(request.user.pk)
        context["before"] = my_preparations(request.user.pk)  # förhinder, substitute requests
    return render(request, "home.html", context)
