"""Every mail Klubba sends goes through here: Django's mail framework to the SMTP server the
settings name (``KLUBBA_EMAIL_*``, docs/operations.md), and one ``SentMail`` row per
recipient and message, so the secretary sees what was sent, kept or failed ("Utskick").

In the demo (``KLUBBA_DEBUG`` and no ``KLUBBA_EMAIL_HOST``) the settings choose
``KeptBackend``: nothing leaves the machine, and the rows say "kept" instead of "sent".
A sending failure (server down, address refused) is recorded on the row and never raised:
the act that caused the mail (a notice, a förhinder) is already in the meeting log.
"""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.utils import timezone

from notices.models import SentMail

#: What a failed send can raise: the SMTP conversation, the socket, a bad header.
SEND_ERRORS = (smtplib.SMTPException, OSError, ValueError, UnicodeError)


class KeptBackend(BaseEmailBackend):
    """The demo's backend: sends nothing; the ``SentMail`` record is the mail."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        return len(email_messages)


@dataclass
class Outgoing:
    """One message to one person."""

    to: str
    subject: str
    body: str
    kind: str
    meeting_id: int | None = None
    recipient: User | None = None
    html: str = ""
    #: (file name, content, MIME type)
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)

    def message(self, connection: BaseEmailBackend) -> EmailMultiAlternatives:
        mail = EmailMultiAlternatives(
            subject=self.subject, body=self.body, to=[self.to], connection=connection,
            from_email=settings.DEFAULT_FROM_EMAIL,
        )
        if self.html:
            mail.attach_alternative(self.html, "text/html")
        for name, content, mimetype in self.attachments:
            mail.attach(name, content, mimetype)
        return mail


def send_all(messages: Sequence[Outgoing]) -> list[SentMail]:
    """Send each message on one connection and record each outcome. Never raises for a
    sending failure; the returned rows say what happened."""
    if not messages:
        return []
    connection = get_connection(fail_silently=False)
    kept = isinstance(connection, KeptBackend)
    records: list[SentMail] = []
    opened_error = ""
    try:
        connection.open()
    except SEND_ERRORS as exc:
        opened_error = _describe(exc)
    try:
        for outgoing in messages:
            error = opened_error
            if not error:
                try:
                    outgoing.message(connection).send()
                except SEND_ERRORS as exc:
                    error = _describe(exc)
            status = (SentMail.Status.FAILED if error
                      else SentMail.Status.KEPT if kept else SentMail.Status.SENT)
            records.append(SentMail(
                meeting_id=outgoing.meeting_id, recipient=outgoing.recipient, to=outgoing.to,
                subject=outgoing.subject[:300], body=outgoing.body, kind=outgoing.kind,
                attachments=[name for name, _, _ in outgoing.attachments], status=status,
                error=error, sent_at=timezone.now(),
            ))
    finally:
        try:
            connection.close()
        except SEND_ERRORS:
            pass
    return SentMail.objects.bulk_create(records)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000]
