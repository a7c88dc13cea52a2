"""The acts of the time before a meeting as the pages call them: the command (logged under
the meeting lock), then the mail it causes (sent after the commit, outside the lock).

A mail that fails is recorded in ``SentMail`` and shown to the secretary; the act itself
stands, since it is already in the meeting log.
"""

from __future__ import annotations

from typing import Any, cast

from django.utils import timezone

from meetings.models import Meeting, MeetingEvent
from meetings.roles import Actor
from notices.commands import absence_report, absence_withdraw, notice_send, substitute_answer
from notices.events import NoticeSent
from notices.mail import send_all
from notices.models import SentMail, SubstituteRequest
from notices.notice_mail import (
    notice_mails,
    substitute_released_mail,
    substitute_request_mail,
)


def send_notice(*, meeting_id: int, actor: Actor, late_confirmed: bool = False,
                command_id: str | None = None) -> tuple[MeetingEvent, list[SentMail]]:
    """Issue the notice (or an amended one) and mail it to every recipient with an address."""
    event = notice_send(meeting_id=meeting_id, actor=actor, late_confirmed=late_confirmed,
                        command_id=command_id)
    meeting = Meeting.objects.select_related("body").get(pk=meeting_id)
    return event, send_all(notice_mails(meeting, cast(NoticeSent, event.payload)))


def mail_asked_substitutes(meeting_id: int) -> list[SentMail]:
    """Mail every substitute asked at this meeting who has not been mailed yet. Each request
    is claimed with one UPDATE, so two concurrent callers never mail the same person twice."""
    outgoing = []
    for request in SubstituteRequest.objects.filter(
        meeting_id=meeting_id, state=SubstituteRequest.State.ASKED, mailed_at=None
    ).select_related("meeting__body", "substitute__user", "absence__member", "absence__seat"):
        claimed = SubstituteRequest.objects.filter(pk=request.pk, mailed_at=None).update(
            mailed_at=timezone.now())
        if claimed and (mail := substitute_request_mail(request)) is not None:
            outgoing.append(mail)
    return send_all(outgoing)


def report_absence(*, meeting_id: int, actor: Actor, command_id: str | None = None
                   ) -> MeetingEvent:
    event = absence_report(meeting_id=meeting_id, actor=actor, command_id=command_id)
    mail_asked_substitutes(meeting_id)
    return event


def withdraw_absence(*, meeting_id: int, actor: Actor, command_id: str | None = None
                     ) -> MeetingEvent:
    """Withdraw the förhinder; each released substitute is told by mail (and on their page)."""
    event = absence_withdraw(meeting_id=meeting_id, actor=actor, command_id=command_id)
    ids = [r["request_id"] for r in event.payload["released"]]
    outgoing = [mail for request in SubstituteRequest.objects.filter(pk__in=ids).select_related(
        "meeting__body", "substitute__user", "absence__member", "absence__seat").order_by("pk")
        if (mail := substitute_released_mail(request)) is not None]
    send_all(outgoing)
    return event


def answer_substitute_request(*, meeting_id: int, actor: Actor, request_id: Any,
                              accept: bool, command_id: str | None = None) -> MeetingEvent:
    event = substitute_answer(meeting_id=meeting_id, actor=actor, request_id=request_id,
                              accept=accept, command_id=command_id)
    mail_asked_substitutes(meeting_id)
    return event
