"""The minutes workflow for scripted clients: status, review texts, lock, post (anslag), the
PDFs; and why signing is not here.

Signing (justering) is refused to a token with ``signing_not_by_token`` (403), whoever calls.
An advanced electronic signature must be under the signer's sole control, made after the
signer proved who they are just then: the signing page asks for the password again and, where
the body requires it, a fresh second factor (``identity.stepup``), and the signature records
how. An API token is a long-lived secret a script holds, often on a server; a signature made
with it would say "the chair signed" when only a program acted. The answer names the signing
page (``details.sign_url``) where the signer signs in person.

Decision recipients, extracts (protokollsutdrag), their dispatch (expediering) and the archive
package are ``api.after_meeting``; certifying an extract is refused there for the same reason.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router

from api.auth import caller
from api.common import command_id, event_ref, meeting_of, reader_audience
from api.errors import ApiError
from api.schemas import ErrorOut, EventRef, MinutesOut, PostIn, TextIn
from meetings.errors import CommandError, ErrorCode
from meetings.models import Meeting
from meetings.visibility import PUBLIC
from minutes import commands as minutes_commands
from minutes.errors import MinutesError
from minutes.models import MinutesDocument, Publication

router = Router(tags=["minutes"])
ERRORS: dict[int, Any] = {code: ErrorOut for code in (401, 403, 404, 409, 422)}


def _document(meeting: Meeting) -> MinutesDocument | None:
    """The current version of the minutes (earlier versions of the justering loop are kept)."""
    return MinutesDocument.objects.filter(
        meeting=meeting, item__isnull=True, superseded_at__isnull=True
    ).first()


def _sign_url(meeting: Meeting) -> str:
    return reverse("meetings:minutes_sign", args=[meeting.pk])


def _status(meeting: Meeting) -> dict[str, Any]:
    document = _document(meeting)
    signed = {s.user_id: s.signed_at for s in document.signatures.all()} if document else {}
    signers = [{"user_id": s["user_id"], "name": s["name"], "role": s["role"],
                "signed_at": signed.get(s["user_id"])} for s in (document.signers if document
                                                                   else [])]
    publication = Publication.objects.filter(document=document).first() if document else None
    return {
        "meeting_id": meeting.pk, "meeting_status": meeting.status,
        "locked": document is not None,
        "version": document.version if document else None,
        "log_seq": document.log_seq if document else None,
        "full_sha256": document.full_sha256 if document else None,
        "public_sha256": document.public_sha256 if document else None,
        "signers": signers,
        "complete": bool(document) and len(signed) >= len(signers),
        "publication": None if publication is None else {
            "posted_on": publication.posted_on, "appeal_last_day": publication.appeal_last_day,
            "taken_down_on": publication.taken_down_on, "kept_at": publication.kept_at},
        "sign_url": _sign_url(meeting),
    }


def _participant_meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting = meeting_of(meeting_id)
    if reader_audience(meeting, caller(request)) == PUBLIC:
        raise CommandError(ErrorCode.NOT_A_PARTICIPANT)
    return meeting


@router.get("/meetings/{meeting_id}/minutes", response={200: MinutesOut, **ERRORS})
def minutes_status(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    """Locked or not, who has signed, and the posting (anslag) with its appeal dates."""
    return _status(_participant_meeting(request, meeting_id))


@router.put("/meetings/{meeting_id}/minutes/paragraphs/{item_id}",
            response={200: EventRef, **ERRORS})
def minutes_paragraph_text(request: HttpRequest, meeting_id: int, item_id: int,
                           data: TextIn) -> dict[str, Any]:
    """The secretary's text for one paragraph, before the lock."""
    _participant_meeting(request, meeting_id)
    event = minutes_commands.minutes_paragraph_text_set(
        meeting_id=meeting_id, actor=caller(request), command_id=command_id(request),
        item_id=item_id, text=data.text)
    return event_ref(event)


@router.put("/meetings/{meeting_id}/minutes/justering", response={200: EventRef, **ERRORS})
def minutes_justering(request: HttpRequest, meeting_id: int, data: TextIn) -> dict[str, Any]:
    """Where and when the minutes will be signed (justeringens plats och tid)."""
    _participant_meeting(request, meeting_id)
    event = minutes_commands.minutes_justering_set(
        meeting_id=meeting_id, actor=caller(request), command_id=command_id(request),
        text=data.text)
    return event_ref(event)


@router.post("/meetings/{meeting_id}/minutes/lock", response={200: MinutesOut, **ERRORS})
def minutes_lock(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    """Freeze the minutes of an adjourned meeting: the full and public PDFs are rendered
    from the log as it stands (``meeting_not_adjourned``, ``minutes_locked``, ...)."""
    meeting = _participant_meeting(request, meeting_id)
    minutes_commands.minutes_lock(meeting_id=meeting.pk, actor=caller(request),
                                  command_id=command_id(request))
    return _status(meeting_of(meeting_id))


@router.post("/meetings/{meeting_id}/minutes/sign", response={403: ErrorOut, **ERRORS})
def minutes_sign(request: HttpRequest, meeting_id: int) -> Any:
    """Always refused: ``signing_not_by_token`` (see the module docstring); sign on the page
    named in ``details.sign_url``."""
    meeting = _participant_meeting(request, meeting_id)
    raise CommandError(ApiError.SIGNING_NOT_BY_TOKEN, sign_url=_sign_url(meeting))


@router.post("/meetings/{meeting_id}/minutes/post", response={200: MinutesOut, **ERRORS})
def minutes_post(request: HttpRequest, meeting_id: int, data: PostIn) -> dict[str, Any]:
    """Anslag: post the signed minutes on the notice board; the appeal period starts
    (``not_all_signed``, ``already_posted``, ...)."""
    meeting = _participant_meeting(request, meeting_id)
    minutes_commands.minutes_post(meeting_id=meeting.pk, actor=caller(request),
                                  command_id=command_id(request), kept_at=data.kept_at)
    return _status(meeting_of(meeting_id))


@router.get("/meetings/{meeting_id}/minutes/{version}.pdf", response={200: None, **ERRORS})
def minutes_pdf(request: HttpRequest, meeting_id: int, version: str) -> HttpResponse:
    """The locked minutes with the signatures so far, for the body's people (as the pages'
    preview): ``full``, or ``public`` (without closed items)."""
    meeting = _participant_meeting(request, meeting_id)
    if version not in ("full", "public"):
        raise CommandError(ApiError.NOT_FOUND)
    document = _document(meeting)
    if document is None:
        raise CommandError(MinutesError.MINUTES_NOT_LOCKED)
    data = document.full_pdf if version == "full" else document.public_pdf
    response = HttpResponse(bytes(data), content_type="application/pdf")
    name = f"protokoll-{meeting.pk}-{version}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

