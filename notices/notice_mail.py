"""The mails of the time before a meeting: the notice with its calendar invitation, the
request to a substitute, and the word that a substitute is no longer needed. Written in
Swedish (the organisation's language) whatever the language of the person who pressed the
button.

A closed (confidential) item is listed only as "Sekretessärende" with no title, case number,
official, proposal or document link; its documents are reached after login, through the
meeting page. Other documents link to the checked document view (``meetings:document``),
which itself requires login unless the meeting is public.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from meetings.models import Attachment, Meeting
from notices.events import NoticeSent
from notices.ics import STOCKHOLM, calendar_invitation
from notices.mail import Outgoing
from notices.models import SentMail, SubstituteRequest

MAIL_LANGUAGE = "sv"


def absolute(path: str) -> str:
    return settings.KLUBBA_BASE_URL.rstrip("/") + path


def _items_for_mail(meeting: Meeting, payload: NoticeSent) -> list[dict[str, Any]]:
    attachments = {a.pk: a for a in Attachment.objects.filter(item__meeting=meeting)}
    rows = []
    for item in payload["items"]:
        row: dict[str, Any] = {"position": item["position"],
                               "confidential": item["confidential"]}
        if not item["confidential"]:
            row.update(
                title=item["title"], case_number=item["case_number"],
                presenter=item["presenter"], proposal=item["prepared_proposal"],
                documents=[
                    (attachments[a].title, absolute(reverse(
                        "meetings:document", args=[meeting.pk, a])))
                    for a in item["attachments"] if a in attachments
                ],
            )
        rows.append(row)
    return rows


def notice_mails(meeting: Meeting, payload: NoticeSent) -> list[Outgoing]:
    """One message per recipient with an address; the .ics is the same for all."""
    meeting_url = absolute(reverse("meetings:room", args=[meeting.pk]))
    absence_url = absolute(reverse("meetings:absence", args=[meeting.pk]))
    users = {u.pk: u for u in User.objects.filter(
        pk__in=[r["user_id"] for r in payload["recipients"]])}
    with translation.override(MAIL_LANGUAGE):
        context = {
            "meeting": meeting, "body": meeting.body.name,
            "starts": meeting.starts_at.astimezone(STOCKHOLM),
            "ends": meeting.ends_at.astimezone(STOCKHOLM) if meeting.ends_at else None,
            "amended": payload["amended"], "items": _items_for_mail(meeting, payload),
            "meeting_url": meeting_url, "absence_url": absence_url,
        }
        subject = render_to_string("notices/mail/notice_subject.txt", context).strip()
        invitation = calendar_invitation(
            meeting, sequence=payload["sequence"], url=meeting_url, stamp=timezone.now(),
            description=render_to_string("notices/mail/notice_ics.txt", context).strip(),
        )
        mails = []
        for recipient in payload["recipients"]:
            user = users.get(recipient["user_id"])
            if user is None or not user.email:
                continue
            body = render_to_string("notices/mail/notice.txt", {
                **context, "recipient": recipient,
                "is_member": recipient["role"] == "member",
            })
            mails.append(Outgoing(
                to=user.email, subject=subject, body=body,
                kind=SentMail.Kind.AMENDED_NOTICE if payload["amended"]
                else SentMail.Kind.NOTICE,
                meeting_id=meeting.pk, recipient=user,
                attachments=[("kallelse.ics", invitation, "text/calendar")],
            ))
    return mails


def substitute_request_mail(request: SubstituteRequest) -> Outgoing | None:
    """Ask a substitute to serve; None when they have no address (the app still shows it)."""
    user = request.substitute.user
    if not user.email:
        return None
    meeting = request.meeting
    with translation.override(MAIL_LANGUAGE):
        context = {
            "meeting": meeting, "body": meeting.body.name,
            "starts": meeting.starts_at.astimezone(STOCKHOLM),
            "member": request.absence.member, "seat": request.absence.seat,
            "answer_url": absolute(reverse("meetings:home")),
            "meeting_url": absolute(reverse("meetings:room", args=[meeting.pk])),
        }
        subject = render_to_string("notices/mail/substitute_subject.txt", context).strip()
        body = render_to_string("notices/mail/substitute.txt", context)
    return Outgoing(to=user.email, subject=subject, body=body,
                    kind=SentMail.Kind.SUBSTITUTE_REQUEST, meeting_id=meeting.pk,
                    recipient=user)


def substitute_released_mail(request: SubstituteRequest) -> Outgoing | None:
    """Tell a substitute who was asked or had accepted that they are no longer needed (the
    member withdrew the förhinder); None when they have no address (their page says it)."""
    user = request.substitute.user
    if not user.email:
        return None
    meeting = request.meeting
    with translation.override(MAIL_LANGUAGE):
        context = {
            "meeting": meeting, "body": meeting.body.name,
            "starts": meeting.starts_at.astimezone(STOCKHOLM),
            "member": request.absence.member, "seat": request.absence.seat,
            "home_url": absolute(reverse("meetings:home")),
        }
        subject = render_to_string("notices/mail/released_subject.txt", context).strip()
        body = render_to_string("notices/mail/released.txt", context)
    return Outgoing(to=user.email, subject=subject, body=body,
                    kind=SentMail.Kind.SUBSTITUTE_RELEASED, meeting_id=meeting.pk,
                    recipient=user)
