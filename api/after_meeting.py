"""After the meeting, for scripted clients (the case-management system, the registry): who
each decision is sent to, the certified extracts (protokollsutdrag) and their PDFs, the
dispatch (expediering) by e-mail, and the meeting's archive package.

All of it is the body's secretary's, as on the page after the meeting
(``web.views.after_meeting``); the rules are ``minutes.commands`` (recipients, dispatch) and
``minutes.archive``. The endpoints only find the meeting, check the reader and call them.

Certifying an extract is refused to a token with ``signing_not_by_token`` (403), as signing
the minutes is (``api.minutes``): "Rätt utdraget intygar" is the secretary's own PAdES
signature, made after they proved who they are just then (their password again). A token is a
program's long-lived secret; a certification made with it would say "the secretary certified
this copy" when only a program acted. ``details.sign_url`` names the page where the secretary
certifies in person; the extracts made there are listed, downloaded and dispatched here.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router

from api.auth import caller
from api.common import command_id, event_ref, meeting_of, reader_audience
from api.errors import ApiError
from api.schemas import DispatchDoneOut, ErrorOut, ExtractOut, RecipientsIn, RecipientsOut
from meetings.commands.lookup import item_of
from meetings.errors import CommandError, ErrorCode
from meetings.models import Meeting
from meetings.visibility import PUBLIC
from minutes import commands as minutes_commands
from minutes.archive import archive_name, write_archive
from minutes.commands.dispatch import extract_of
from minutes.commands.extracts import require_secretary
from minutes.models import DecisionRecipient, ExtractDispatch, ProtocolExtract

router = Router(tags=["after the meeting"])
ERRORS: dict[int, Any] = {code: ErrorOut for code in (401, 403, 404, 409, 422)}


def _secretary_meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    """The meeting, if the caller is its body's secretary (``permission_denied`` for the
    body's other people, ``not_a_participant`` for anyone else)."""
    meeting = meeting_of(meeting_id)
    user = caller(request)
    if reader_audience(meeting, user) == PUBLIC:
        raise CommandError(ErrorCode.NOT_A_PARTICIPANT)
    require_secretary(meeting, user)
    return meeting


def _name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def _recipients(item_id: int) -> list[dict[str, str]]:
    return [{"name": r.name, "organisation": r.organisation, "email": r.email}
            for r in DecisionRecipient.objects.filter(item_id=item_id).order_by("position")]


def _dispatch(dispatch: ExtractDispatch) -> dict[str, Any]:
    return {"id": dispatch.pk, "sent_at": dispatch.sent_at, "sent_by": _name(dispatch.sent_by),
            "recipients": dispatch.recipients}


def _extract(extract: ProtocolExtract) -> dict[str, Any]:
    return {
        "id": extract.pk, "number": extract.number, "paragraphs": extract.paragraphs,
        "item_ids": extract.item_ids, "public": extract.public,
        "confidential": extract.confidential, "certified_by": _name(extract.created_by),
        "certified_at": extract.created_at, "minutes_sha256": extract.document.full_sha256,
        "file_name": extract.filename, "sha256": extract.sha256,
        "pdf_url": reverse("api:extract_pdf", args=[extract.meeting_id, extract.pk]),
        "dispatches": [_dispatch(d) for d in extract.dispatches.order_by("sent_at", "pk")],
    }


@router.get("/meetings/{meeting_id}/minutes/paragraphs/{item_id}/recipients",
            response={200: RecipientsOut, **ERRORS})
def recipients_get(request: HttpRequest, meeting_id: int, item_id: int) -> dict[str, Any]:
    """Who the item's decision is sent to ("Beslutet skickas till"), with their addresses."""
    item = item_of(_secretary_meeting(request, meeting_id), item_id)
    return {"item_id": item.pk, "recipients": _recipients(item.pk)}


@router.put("/meetings/{meeting_id}/minutes/paragraphs/{item_id}/recipients",
            response={200: RecipientsOut, **ERRORS})
def recipients_set(request: HttpRequest, meeting_id: int, item_id: int,
                   data: RecipientsIn) -> dict[str, Any]:
    """Replace the list. Before the lock it is printed under the §; after, it is used for the
    dispatch only (the lock froze the minutes)."""
    _secretary_meeting(request, meeting_id)
    event = minutes_commands.minutes_recipients_set(
        meeting_id=meeting_id, actor=caller(request), command_id=command_id(request),
        item_id=item_id, recipients=[r.model_dump() for r in data.recipients])
    return {"item_id": item_id, "recipients": _recipients(item_id), "event": event_ref(event)}


@router.get("/meetings/{meeting_id}/minutes/extracts", response={200: list[ExtractOut], **ERRORS})
def extracts_list(request: HttpRequest, meeting_id: int) -> list[dict[str, Any]]:
    """The certified extracts, newest last, each with its dispatches and their results."""
    meeting = _secretary_meeting(request, meeting_id)
    extracts = (ProtocolExtract.objects.filter(meeting=meeting)
                .select_related("document", "created_by").order_by("number"))
    return [_extract(e) for e in extracts]


@router.post("/meetings/{meeting_id}/minutes/extracts", response={403: ErrorOut, **ERRORS})
def extract_certify(request: HttpRequest, meeting_id: int) -> Any:
    """Always refused: ``signing_not_by_token`` (see the module docstring); the secretary
    certifies on the page named in ``details.sign_url``."""
    meeting = _secretary_meeting(request, meeting_id)
    raise CommandError(ApiError.SIGNING_NOT_BY_TOKEN,
                       sign_url=reverse("meetings:minutes_after", args=[meeting.pk]))


@router.get("/meetings/{meeting_id}/minutes/extracts/{extract_id}.pdf",
            response={200: None, **ERRORS}, url_name="extract_pdf")
def extract_pdf(request: HttpRequest, meeting_id: int, extract_id: int) -> HttpResponse:
    """The certified extract as signed (PAdES; check it with pdfsig)."""
    extract = extract_of(_secretary_meeting(request, meeting_id), extract_id)
    response = HttpResponse(bytes(extract.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{extract.filename}"'
    return response


@router.post("/meetings/{meeting_id}/minutes/extracts/{extract_id}/dispatch",
             response={200: DispatchDoneOut, **ERRORS})
def extract_dispatch(request: HttpRequest, meeting_id: int, extract_id: int) -> dict[str, Any]:
    """Expediering: e-mail the extract to the recipients of its § (one message each) and log
    when and to whom, with each one's result (``no_recipients``, ``confidential_by_email``)."""
    _secretary_meeting(request, meeting_id)
    event = minutes_commands.extract_dispatch(
        meeting_id=meeting_id, actor=caller(request), command_id=command_id(request),
        extract_id=extract_id)
    dispatch = ExtractDispatch.objects.select_related("sent_by").get(
        pk=event.payload["dispatch_id"])
    return {"event": event_ref(event), "dispatch": _dispatch(dispatch)}


@router.get("/meetings/{meeting_id}/archive.zip", response={200: None, **ERRORS})
def archive_zip(request: HttpRequest, meeting_id: int) -> FileResponse:
    """The archive package for the registry: log, signed minutes, extracts, dispatches,
    documents and how to verify them (``minutes.archive``). Building it logs nothing."""
    meeting = _secretary_meeting(request, meeting_id)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_archive(meeting, out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=archive_name(meeting),
                        content_type="application/zip")
