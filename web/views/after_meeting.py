"""After the meeting, for the secretary: who each decision is sent to, certified extracts
(protokollsutdrag), their dispatch by e-mail, and the meeting's archive package.

The page only parses forms and renders; the rules are in ``minutes.commands`` (recipients,
extracts, dispatch) and ``minutes.archive``. A refused command shows its message.
"""

from __future__ import annotations

import tempfile
import uuid
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
from meetings.errors import CommandError
from meetings.models import Meeting
from minutes import commands as minutes_commands
from minutes.archive import archive_name, write_archive
from minutes.errors import MinutesError
from minutes.inputs import minutes_of
from minutes.models import DecisionRecipient, MinutesDocument, ProtocolExtract
from web.access import participant_meeting


def _secretary_meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting, roles = participant_meeting(request, meeting_id)
    if not roles.is_secretary:
        raise PermissionDenied(_("Only the secretary handles extracts and dispatch."))
    return meeting


def parse_recipients(text: str) -> list[dict[str, str]]:
    """One recipient a line: "Name; Organisation; e-mail" (the parts may be left empty)."""
    rows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";", 2)] + ["", ""]
        rows.append({"name": parts[0], "organisation": parts[1], "email": parts[2]})
    return rows


def _int(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _act(request: HttpRequest, meeting: Meeting) -> str | None:
    action = request.POST.get("action", "")
    common: dict[str, Any] = {"meeting_id": meeting.pk, "actor": request.user,
                              "command_id": f"web-{uuid.uuid4().hex}"}
    try:
        if action == "recipients":
            minutes_commands.minutes_recipients_set(
                **common, item_id=_int(request.POST.get("item_id", "")) or 0,
                recipients=parse_recipients(request.POST.get("recipients", "")))
        elif action == "extract":
            if throttle.password_locked(request, request.user):
                return throttle.locked_text()
            minutes_commands.extract_certify(
                **common, item_ids=[n for n in map(_int, request.POST.getlist("item_id"))
                                    if n is not None],
                public=request.POST.get("public") == "1",
                password=request.POST.get("password", ""))
        elif action == "dispatch":
            minutes_commands.extract_dispatch(
                **common, extract_id=_int(request.POST.get("extract_id", "")) or 0)
        else:
            return _("Unknown action.")
    except CommandError as exc:
        if exc.code == MinutesError.WRONG_PASSWORD and throttle.signing_password_failed(
                request, request.user):
            return throttle.locked_text()  # counted like a wrong password at login
        return str(exc.message)
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
    context = {
        "meeting": meeting, "document": document,
        "signed": document is not None and document.fully_signed,
        "paragraphs": _paragraphs(meeting, document), "extracts": extracts, "error": error,
    }
    return render(request, "meetings/minutes_after.html", context, status=400 if error else 200)


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

