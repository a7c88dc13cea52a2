"""Minutes pages for the people of a meeting: the review (the secretary's paragraph texts,
lock, signing status and posting; the justering loop where the chair and the adjusters comment
on or approve each § and the secretary revises and locks a new version) and the signing page.

The minutes commands are not on the websocket (signing needs the password again, and the
PDF is a download), so these pages post plain forms to views that call the minutes app's
commands (``minutes.commands``). A refused command is shown as its readable message.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from identity import throttle
from identity.factors import CodeRefused
from identity.messages import refusal_text
from meetings.errors import CommandError
from meetings.models import Meeting
from meetings.roles import may_control
from minutes import commands as minutes_commands
from minutes.commands.documents import minutes_document
from minutes.errors import MinutesError
from minutes.history import HistoryEntry, justering_history
from minutes.inputs import minutes_of
from minutes.model import Minutes
from minutes.models import MinutesDocument, Publication
from minutes.public import attendance_sections
from minutes.signing.service import signing_service
from web.access import participant_meeting
from web.signer_check import signer_check, step_up_status


def _document(meeting: Meeting) -> MinutesDocument | None:
    return minutes_document(meeting)


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0


def _is_reviewer(document: MinutesDocument | None, user: Any) -> bool:
    return document is not None and any(s["user_id"] == user.pk for s in document.signers)


def _paragraph_reviews(
    document: MinutesDocument | None, shown: Minutes | None, history: list[HistoryEntry], *,
    reviewer: bool, secretary: bool, meeting: Meeting,
) -> list[dict[str, Any]]:
    """Per § of the version shown: its remarks and approvals, and what this user may do (the
    reviewers comment or approve; the secretary revises the text for the next version)."""
    if document is None or shown is None:
        return []
    open_loop = not document.signatures.exists()
    texts = {p.item_id: p.text for p in minutes_of(meeting).paragraphs} if (
        secretary and open_loop) else {}
    return [{
        "number": p.number, "item_id": p.item_id, "title": p.title,
        "remarks": [h for h in history if h.version == document.version
                    and h.paragraph == p.number and h.kind in ("remark", "approved")],
        "may_review": reviewer and open_loop,
        "may_revise": secretary and open_loop,
        "text": texts.get(p.item_id, ""),
    } for p in shown.paragraphs]


def _signing_status(document: MinutesDocument | None) -> list[dict[str, Any]]:
    if document is None:
        return []
    done = {s.user_id: s for s in document.signatures.all()}
    return [
        {**signer, "signed_at": done[signer["user_id"]].signed_at
         if signer["user_id"] in done else None}
        for signer in document.signers
    ]


def _command_id() -> str:
    return f"web-{uuid.uuid4().hex}"


def _run(request: HttpRequest, func: Any, **kwargs: Any) -> str | None:
    """Run a minutes command; its readable error message, or None when it went through."""
    try:
        func(actor=request.user, command_id=_command_id(), **kwargs)
    except CommandError as exc:
        return str(exc.message)
    return None


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The secretary's minutes page: draft text, paragraph texts, lock, signatures, posting."""
    meeting, roles = participant_meeting(request, meeting_id)
    secretary = may_control(meeting, request.user)
    reviewer = _is_reviewer(_document(meeting), request.user)
    if not secretary and not reviewer:
        raise PermissionDenied(_("Only the secretary can review the minutes."))
    error = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        mid = meeting.pk
        item_id = _int(request.POST.get("item_id"))
        version = _int(request.POST.get("version")) or None
        if action == "remark":
            error = _run(request, minutes_commands.minutes_remark, meeting_id=mid,
                         item_id=item_id, version=version, text=request.POST.get("text", ""))
        elif action == "approve":
            error = _run(request, minutes_commands.minutes_approve, meeting_id=mid,
                         item_id=item_id, version=version)
        elif not secretary:
            error = _("Only the secretary can review the minutes.")
        elif action == "paragraph":
            error = _run(request, minutes_commands.minutes_paragraph_text_set, meeting_id=mid,
                         item_id=item_id, text=request.POST.get("text", ""))
        elif action == "justering":
            error = _run(request, minutes_commands.minutes_justering_set, meeting_id=mid,
                         text=request.POST.get("text", ""))
        elif action == "lock":
            error = _run(request, minutes_commands.minutes_lock, meeting_id=mid)
        elif action == "post":
            error = _run(request, minutes_commands.minutes_post, meeting_id=mid,
                         kept_at=request.POST.get("kept_at", ""))
        else:
            error = _("Unknown action.")
        if error is None:
            anchor = f"#p-{request.POST.get('paragraph')}" if action in (
                "remark", "approve", "paragraph") and request.POST.get("paragraph") else "#status"
            return redirect(reverse("meetings:minutes_review", args=[mid]) + anchor)
    document = _document(meeting)
    # The minutes as formatted HTML, from the same model as the PDF (same content and order):
    # the draft as the log stands, or, once locked, the current version as it was locked.
    draft = None
    if document is not None:  # as locked: later events (e.g. recipients) are not in them
        draft = minutes_of(meeting, upto_seq=document.log_seq, base=document.paragraph_base)
    elif meeting.status == Meeting.Status.ADJOURNED:
        draft = minutes_of(meeting)
    publication = Publication.objects.filter(document=document).first() if document else None
    history = justering_history(meeting)
    context = {
        "meeting": meeting,
        "document": document,
        "draft": draft,
        "attendance": attendance_sections(draft) if draft is not None else [],
        "items": meeting.items.order_by("position"),
        "signers": _signing_status(document),
        "publication": publication,
        "is_secretary": roles.is_secretary,
        "error": error,
        "secretary": secretary,
        "reviewer": reviewer,
        "history": history,
        "reviews": _paragraph_reviews(document, draft, history, reviewer=reviewer,
                                      secretary=secretary, meeting=meeting),
        "loop_open": document is not None and not document.signatures.exists(),
        "revised": document is not None and meeting.last_seq > document.log_seq and any(
            h.kind.startswith("revised") and h.version == document.version for h in history),
    }
    return render(request, "meetings/minutes_review.html", context, status=400 if error else 200)


@never_cache
@sensitive_post_parameters("password", "otp_token")
@login_required
@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Justering: the PDF as it stands and "sign" with the password entered again."""
    meeting, _roles = participant_meeting(request, meeting_id)
    document = _document(meeting)
    signers = _signing_status(document)
    mine = next((s for s in signers if s["user_id"] == request.user.pk), None)
    if document is not None and mine is None and not may_control(meeting, request.user):
        raise PermissionDenied(_("Only the chair and the adjusters sign the minutes."))
    error = None
    if request.method == "POST":
        error = _sign_with_step_up(request, meeting)
        if error is None:
            return redirect(reverse("meetings:minutes_sign", args=[meeting.pk]) + "?signed=1")
    # The same minutes as HTML, for those who cannot read the PDF (screen readers, phones).
    locked = minutes_of(meeting, upto_seq=document.log_seq,
                        base=document.paragraph_base) if document else None
    service = signing_service()
    context = {
        "meeting": meeting, "document": document, "signers": signers, "mine": mine,
        "text": locked, "attendance": attendance_sections(locked) if locked else [],
        "step_up": step_up_status(request, meeting),
        "key_holder": service.key_holder(request.user), "signing_service": service.name,
        "error": error, "signed_now": request.GET.get("signed") == "1",
        "signers_started": any(s["signed_at"] for s in signers),
        "publication": Publication.objects.filter(document=document).first() if document
        else None,
    }
    return render(request, "meetings/minutes_sign.html", context, status=400 if error else 200)


def _sign_with_step_up(request: HttpRequest, meeting: Meeting) -> str | None:
    """A user locked out for wrong passwords is refused before anything is checked
    (``identity.throttle``: the same counter as the login page). Then the second factor
    (fresh, see ``web.signer_check``), then the signing command, which checks the password
    (outside the meeting lock) and records how the identity was checked."""
    if throttle.password_locked(request, request.user):
        return throttle.locked_text()
    try:
        check = signer_check(request, meeting)
    except CodeRefused as refused:
        return refusal_text(refused.reason)
    try:
        minutes_commands.minutes_sign(actor=request.user, command_id=_command_id(),
                                      meeting_id=meeting.pk, check=check,
                                      version=_int(request.POST.get("version")) or None,
                                      password=request.POST.get("password", ""))
    except CommandError as exc:
        if exc.code == MinutesError.WRONG_PASSWORD and throttle.signing_password_failed(
                request, request.user):
            return throttle.locked_text()
        return str(exc.message)
    return None


@never_cache
@login_required
@require_GET
@xframe_options_sameorigin
def preview_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The full minutes PDF with the signatures so far (for the body's people only)."""
    meeting, _roles = participant_meeting(request, meeting_id)
    document = _document(meeting)
    if document is None:
        raise Http404(_("The minutes are not locked yet."))
    response = HttpResponse(bytes(document.full_pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="protokoll-{meeting.pk}.pdf"'
    # Our own PDF: browsers' PDF viewers do not run under the pages' policy (django-csp).
    response._csp_exempt = True  # type: ignore[attr-defined]
    return response
