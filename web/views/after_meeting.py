"""After the meeting, for the secretary: who each decision is sent to, certified extracts
(protokollsutdrag), their dispatch by e-mail, and the meeting's archive package.

The page only parses forms and renders; the rules are in ``minutes.commands`` (recipients,
extracts, dispatch) and ``minutes.archive``. A refused command shows its message.
"""

from __future__ import annotations

import tempfile
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from identity import throttle
from identity.factors import CodeRefused
from identity.messages import refusal_text
from meetings.errors import CommandError
from meetings.models import Meeting
from minutes import commands as minutes_commands
from minutes.archive import archive_name, write_archive
from minutes.commands.dispatch import recipients_from_text
from minutes.errors import MinutesError
from minutes.inputs import minutes_of
from minutes.models import DecisionRecipient, MinutesDocument, ProtocolExtract
from web.access import participant_meeting
from web.signer_check import signer_check, step_up_status


def _secretary_meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting, roles = participant_meeting(request, meeting_id)
    if not roles.is_secretary:
        raise PermissionDenied(_("Only the secretary handles extracts and dispatch."))
    return meeting


def _int(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class FormError:
    """A refusal, shown next to the field it is about (``field``: the id of that field, or
    empty for the page-level message)."""

    message: str
    field: str = ""


_EXTRACT_FIELDS: dict[str, str] = {MinutesError.NO_PARAGRAPHS_CHOSEN: "extract-paragraphs",
                   MinutesError.PARAGRAPH_NOT_IN_MINUTES: "extract-paragraphs",
                   MinutesError.PARAGRAPH_CONFIDENTIAL: "extract-paragraphs",
                   MinutesError.WRONG_PASSWORD: "extract-password"}


def _act(request: HttpRequest, meeting: Meeting) -> FormError | None:
    action = request.POST.get("action", "")
    common: dict[str, Any] = {"meeting_id": meeting.pk, "actor": request.user,
                              "command_id": f"web-{uuid.uuid4().hex}"}
    field = ""
    try:
        if action == "recipients":
            item_id = _int(request.POST.get("item_id", "")) or 0
            field = f"rcpt-{item_id}"
            minutes_commands.minutes_recipients_set(
                **common, item_id=item_id,
                recipients=recipients_from_text(request.POST.get("recipients", "")))
        elif action == "extract":
            # Certifying signs a PDF: the same checks as signing the minutes.
            if throttle.password_locked(request, request.user):
                return FormError(str(throttle.locked_text()), "extract-password")
            try:
                check = signer_check(request, meeting)
            except CodeRefused as refused:
                return FormError(str(refusal_text(refused.reason)), "extract-step-up")
            minutes_commands.extract_certify(
                **common, item_ids=[n for n in map(_int, request.POST.getlist("item_id"))
                                    if n is not None],
                public=request.POST.get("public") == "1", check=check,
                password=request.POST.get("password", ""))
        elif action == "dispatch":
            minutes_commands.extract_dispatch(
                **common, extract_id=_int(request.POST.get("extract_id", "")) or 0)
        else:
            return FormError(_("Unknown action."))
    except CommandError as exc:
        if action == "extract":
            field = _EXTRACT_FIELDS.get(exc.code, "")
        if exc.code == MinutesError.WRONG_PASSWORD and throttle.signing_password_failed(
                request, request.user):
            return FormError(str(throttle.locked_text()), field)  # counted as at login
        return FormError(str(exc.message), field)
    return None


def _paragraphs(meeting: Meeting, document: MinutesDocument | None) -> list[dict[str, Any]]:
    """Each handled item with its § (as in the locked minutes) and its recipients."""
    numbers: dict[int, int] = {}
    if document is not None:
        locked = minutes_of(meeting, upto_seq=document.log_seq, base=document.paragraph_base)
        numbers = {p.item_id: p.number for p in locked.paragraphs}
    recipients: dict[int, list[DecisionRecipient]] = {}
    for r in DecisionRecipient.objects.filter(item__meeting=meeting):
        recipients.setdefault(r.item_id, []).append(r)
    return [
        {"item": item, "number": numbers.get(item.pk) or item.paragraph,
         "field_id": f"rcpt-{item.pk}", "chosen": False,
         "recipients": recipients.get(item.pk, []),
         "text": "\n".join(f"{r.name}; {r.organisation}; {r.email}"
                           for r in recipients.get(item.pk, []))}
        for item in meeting.items.order_by("position")
    ]


@never_cache
@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "POST"])
def after_meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Recipients per §, extracts, dispatch and the archive package."""
    meeting = _secretary_meeting(request, meeting_id)
    error = None
    if request.method == "POST":
        error = _act(request, meeting)
        if error is None:
            done = request.POST.get("action", "")
            return redirect(reverse("meetings:minutes_after", args=[meeting.pk]) + f"#{done}")
    document = MinutesDocument.objects.filter(meeting=meeting, item__isnull=True).first()
    extracts = list(ProtocolExtract.objects.filter(meeting=meeting)
                    .prefetch_related("dispatches").order_by("-number"))
    paragraphs = _paragraphs(meeting, document)
    posted = _posted(request, paragraphs) if error is not None else {}
    context = {
        "meeting": meeting, "document": document,
        "signed": document is not None and document.fully_signed,
        "paragraphs": paragraphs, "extracts": extracts, "error": error, "posted": posted,
        "step_up": step_up_status(request, meeting),
    }
    return render(request, "meetings/minutes_after.html", context, status=400 if error else 200)


def _posted(request: HttpRequest, paragraphs: list[dict[str, Any]]) -> dict[str, Any]:
    """A refused form is shown again with what was typed and ticked (never the password)."""
    action = request.POST.get("action", "")
    if action == "recipients":
        item_id = _int(request.POST.get("item_id", ""))
        for p in paragraphs:
            if p["item"].pk == item_id:
                p["text"] = request.POST.get("recipients", "")
        return {}
    if action == "extract":
        chosen = {n for n in map(_int, request.POST.getlist("item_id")) if n is not None}
        for p in paragraphs:
            p["chosen"] = p["item"].pk in chosen
        return {"public": request.POST.get("public") == "1"}
    return {}


@never_cache
@login_required
@require_GET
def extract_pdf(request: HttpRequest, meeting_id: int, extract_id: int) -> HttpResponse:
    meeting = _secretary_meeting(request, meeting_id)
    extract = get_object_or_404(ProtocolExtract, meeting=meeting, pk=extract_id)
    response = HttpResponse(bytes(extract.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{extract.filename}"'
    return response


@never_cache
@login_required
@require_GET
def archive_zip(request: HttpRequest, meeting_id: int) -> FileResponse:
    """The archive package, built in a temporary file and streamed from it."""
    meeting = _secretary_meeting(request, meeting_id)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_archive(meeting, out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=archive_name(meeting),
                        content_type="application/zip")

