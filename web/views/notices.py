"""Before the meeting: the secretary's notice page and mail record ("Utskick"), a member's
förhinder and remote request, a substitute's answer, the chair's remote decision.

Thin: each view checks who may see the page, calls ``notices.services`` / ``notices.commands``
and renders; a refusal (``CommandError``) is shown on the page with its message.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from meetings.errors import CommandError
from meetings.models import Meeting
from meetings.roles import query_id
from notices.commands import remote_decide, remote_request
from notices.commands.checks import handles_notice, is_secretary
from notices.models import SentMail
from notices.selectors import notice_page
from notices.services import (
    answer_substitute_request,
    report_absence,
    send_notice,
    withdraw_absence,
)
from web.access import participant_meeting
from web.before_meeting import before_status


def _secretary_or_chair(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=meeting_id)
    if not handles_notice(meeting, request.user):
        raise PermissionDenied(_("Only the secretary and the chair can open this page."))
    return meeting


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def notice(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Kallelse: status, what changed since it was sent, send / send amended notice;
    förhinder, substitutes and remote requests."""
    meeting = _secretary_or_chair(request, meeting_id)
    error: Any = None
    sent_now = None
    if request.method == "POST":
        try:
            _event, sent_now = send_notice(
                meeting_id=meeting.pk, actor=request.user,
                late_confirmed=request.POST.get("late_confirmed") == "1")
        except CommandError as exc:
            error = exc.message
        else:
            return redirect(f"{request.path}?skickad=1")
    return render(request, "notices/notice.html", {
        "meeting": meeting, "page": notice_page(meeting), "error": error,
        "is_secretary": is_secretary(meeting, request.user), "sent_now": sent_now,
        "just_sent": request.GET.get("skickad") == "1",
    }, status=400 if error else 200)


@never_cache
@login_required
def sent_mail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Utskick: every mail of this meeting as sent (or, in the demo, kept) and its status."""
    meeting = _secretary_or_chair(request, meeting_id)
    mails = SentMail.objects.filter(meeting=meeting).select_related("recipient")
    return render(request, "notices/sent_mail.html", {
        "meeting": meeting, "mails": mails, "is_secretary": is_secretary(meeting, request.user)})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def absence(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Anmäl förhinder (the link in the kallelse lands here; POST reports it, or with
    ``action=withdraw`` withdraws it) and, once reported, who serves in the member's place."""
    meeting, roles = participant_meeting(request, meeting_id)
    error: Any = None
    if request.method == "POST":
        act = withdraw_absence if request.POST.get("action") == "withdraw" else report_absence
        try:
            act(meeting_id=meeting.pk, actor=request.user)
        except CommandError as exc:
            error = exc.message
        else:
            return redirect("meetings:absence", meeting.pk)
    return render(request, "notices/absence.html", {
        "meeting": meeting, "roles": roles, "error": error,
        "before": before_status(meeting, query_id(request.user)),
    }, status=400 if error else 200)


def _act(request: HttpRequest, meeting_id: int, act: Any, **kwargs: Any) -> HttpResponse:
    """Run a before-meeting act from a home-page or notice-page form, then go back."""
    try:
        act(meeting_id=meeting_id, actor=request.user, **kwargs)
    except CommandError as exc:
        return render(request, "notices/refused.html", {"message": exc.message,
                                                       "code": exc.code}, status=400)
    back = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts=None) and back.startswith("/")
    return redirect(back if safe else "meetings:home")


@login_required
@require_POST
def substitute_answer(request: HttpRequest, meeting_id: int, request_id: int) -> HttpResponse:
    return _act(request, meeting_id, answer_substitute_request, request_id=request_id,
                accept=request.POST.get("answer") == "accept")


@login_required
@require_POST
def remote_ask(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _act(request, meeting_id, remote_request)


@login_required
@require_POST
def remote_answer(request: HttpRequest, meeting_id: int, request_id: int) -> HttpResponse:
    return _act(request, meeting_id, remote_decide, request_id=request_id,
                approve=request.POST.get("decision") == "approve",
                reason=request.POST.get("reason", "")[:500])
