"""Expediering: who the decision of each § is sent to ("Beslutet skickas till"), and sending
a certified extract to them by e-mail.

The list is the secretary's, kept per item (``minutes.recipients_set``, the latest list
replaces the earlier one). A list logged before the minutes are locked is printed under the §;
one logged later is used for the dispatch only (the lock froze the minutes' content).

The dispatch sends one message per recipient (recipients do not see each other's addresses)
through Django's mail framework, OUTSIDE the meeting lock (SMTP can be slow), and then logs
``minutes.extract_dispatched`` with each recipient's result: ``sent``, ``failed`` (with the
SMTP error) or ``no_email`` (no address: sent by post or handed over, outside Klubba). Mail is
sent before the log says so: a log line never claims a message that was not handed to the
mail server. A retried command (same ``command_id``) returns the logged event and sends nothing.
"""

from __future__ import annotations

import smtplib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from meetings.commands.lookup import item_of
from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError, ErrorCode
from meetings.models import Meeting, MeetingEvent
from meetings.roles import Actor, display_name, query_id
from minutes.commands.documents import already_done, meeting_of
from minutes.commands.extracts import require_secretary
from minutes.errors import MinutesError
from minutes.events import (
    DispatchResult,
    MinutesExtractDispatched,
    MinutesRecipientsSet,
    RecipientRow,
)
from minutes.events import MinutesEventType as M
from minutes.models import DecisionRecipient, ExtractDispatch, ProtocolExtract
from minutes.serialise import paragraph_ranges

MAX_RECIPIENTS = 50
MAX_FIELD = 200


def _text(row: dict[str, Any], key: str, index: int) -> str:
    value = row.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str) or len(value.strip()) > MAX_FIELD:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field=f"recipients[{index}].{key}",
                           max=MAX_FIELD)
    return " ".join(value.split())


def recipients_from_text(text: str) -> list[dict[str, Any]]:
    """One recipient a line, "Name; Organisation; e-mail" (parts may be left empty); each row
    keeps its ``line`` (1-based, blank lines counted) so a refusal can point at it."""
    rows: list[dict[str, Any]] = []
    for line_number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";", 2)] + ["", ""]
        rows.append({"name": parts[0], "organisation": parts[1], "email": parts[2],
                     "line": line_number})
    return rows


def _line(row: dict[str, Any], index: int) -> int:
    line = row.get("line")
    return line if isinstance(line, int) and not isinstance(line, bool) else index + 1


def clean_recipients(recipients: object) -> list[RecipientRow]:
    """Each row a dict with ``name`` and/or ``organisation`` and an optional valid ``email``.
    A refused row is named by its ``line`` (as typed) or else its position, from 1."""
    if not isinstance(recipients, (list, tuple)) or len(recipients) > MAX_RECIPIENTS:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="recipients", max=MAX_RECIPIENTS)
    rows: list[RecipientRow] = []
    for index, row in enumerate(recipients):
        if not isinstance(row, dict):
            raise CommandError(ErrorCode.INVALID_ARGUMENT, field=f"recipients[{index}]")
        name, organisation = _text(row, "name", index), _text(row, "organisation", index)
        email = _text(row, "email", index)
        line = _line(row, index)
        if not (name or organisation):
            raise CommandError(
                MinutesError.RECIPIENT_NAME_MISSING,
                format_lazy(_("Line {line}: give a name or an organisation."), line=line),
                field=f"recipients[{index}].name", line=line)
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise CommandError(
                    MinutesError.RECIPIENT_EMAIL_INVALID,
                    format_lazy(_("Line {line}: “{email}” is not an e-mail address."),
                                line=line, email=email),
                    field=f"recipients[{index}].email", line=line, email=email) from None
        rows.append(RecipientRow(name=name, organisation=organisation, email=email))
    return rows


@meeting_command
def minutes_recipients_set(cmd: CommandContext, *, item_id: int, recipients: list[dict]) -> Emit:
    """The secretary lists who the item's decision is sent to (replacing the earlier list)."""
    require_secretary(cmd.meeting, cmd.actor)
    item = item_of(cmd.meeting, item_id)
    rows = clean_recipients(recipients)
    DecisionRecipient.objects.filter(item=item).delete()
    DecisionRecipient.objects.bulk_create(
        DecisionRecipient(item=item, position=n, name=r["name"], organisation=r["organisation"],
                          email=r["email"])
        for n, r in enumerate(rows, 1)
    )
    return Emit(M.MINUTES_RECIPIENTS_SET, MinutesRecipientsSet(
        item_id=item.pk, title=item.title, confidential=item.confidential, recipients=rows,
        by=display_name(cmd.actor),
    ))


def extract_of(meeting: Meeting, extract_id: Any) -> ProtocolExtract:
    try:
        return ProtocolExtract.objects.get(meeting=meeting, pk=extract_id)
    except (ProtocolExtract.DoesNotExist, ValueError, TypeError):
        raise CommandError(MinutesError.EXTRACT_NOT_FOUND, extract_id=extract_id) from None


def recipients_of(extract: ProtocolExtract) -> list[RecipientRow]:
    """The recipients listed for the extract's items, each address once."""
    rows: list[RecipientRow] = []
    seen: set[str] = set()
    for r in DecisionRecipient.objects.filter(item_id__in=extract.item_ids).order_by(
            "item__position", "position"):
        key = r.email.lower() or f"{r.name}|{r.organisation}"
        if key in seen:
            continue
        seen.add(key)
        rows.append(RecipientRow(name=r.name, organisation=r.organisation, email=r.email))
    return rows


def _message(extract: ProtocolExtract, to: str) -> EmailMessage:
    meeting = extract.meeting
    body = meeting.body
    paragraphs = paragraph_ranges(extract.paragraphs)
    date = (extract.document.public_minutes or {}).get("date", "")
    subject = f"Protokollsutdrag {body.name} {date} {paragraphs}".strip()
    text = (
        f"Hej,\n\nBifogat finns ett bestyrkt utdrag ur {body.name}s protokoll från "
        f"sammanträdet {date}, {paragraphs}.\n\nUtdraget är elektroniskt underskrivet "
        f"(PAdES). Underskriften kan kontrolleras i en PDF-läsare eller på kommunens "
        f"verifieringssida.\n\n{body.organisation or body.name}\n"
    )
    message = EmailMessage(subject=subject, body=text, to=[to],
                           from_email=settings.DEFAULT_FROM_EMAIL)
    message.attach(extract.filename, bytes(extract.pdf), "application/pdf")
    return message


def send_extract(extract: ProtocolExtract, recipients: list[RecipientRow]
                 ) -> list[DispatchResult]:
    """One message per recipient with an address; each one's result."""
    results: list[DispatchResult] = []
    connection = get_connection()
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as exc:
        connection = None
        opened_error = str(exc)[:200] or exc.__class__.__name__
    for r in recipients:
        row = DispatchResult(name=r["name"], organisation=r["organisation"], email=r["email"],
                             result="no_email", error="")
        if r["email"]:
            if connection is None:
                row["result"], row["error"] = "failed", opened_error
            else:
                try:
                    sent = connection.send_messages([_message(extract, r["email"])])
                    row["result"] = "sent" if sent else "failed"
                except (OSError, smtplib.SMTPException) as exc:
                    row["result"] = "failed"
                    row["error"] = str(exc)[:200] or exc.__class__.__name__
        results.append(row)
    if connection is not None:
        connection.close()
    return results


@meeting_command
def _record_dispatch(cmd: CommandContext, *, extract_id: int,
                     results: list[DispatchResult]) -> Emit:
    require_secretary(cmd.meeting, cmd.actor)
    extract = extract_of(cmd.meeting, extract_id)
    now = timezone.now()
    dispatch = ExtractDispatch.objects.create(extract=extract, sent_at=now,
                                              sent_by_id=query_id(cmd.actor), recipients=results)
    return Emit(M.MINUTES_EXTRACT_DISPATCHED, MinutesExtractDispatched(
        dispatch_id=dispatch.pk, extract_id=extract.pk, item_ids=list(extract.item_ids),
        paragraphs=list(extract.paragraphs), recipients=results, sent_at=now.isoformat(),
        by=display_name(cmd.actor),
    ))


def extract_dispatch(
    *, meeting_id: int, actor: Actor, extract_id: int, command_id: str | None = None,
) -> MeetingEvent:
    """Expediering: e-mail the certified extract to the recipients of its paragraphs and log
    when and to whom, with each result."""
    meeting = meeting_of(meeting_id)
    if done := already_done(meeting, actor=actor, command_id=command_id):
        return done
    require_secretary(meeting, actor)
    extract = extract_of(meeting, extract_id)
    if extract.confidential:
        raise CommandError(MinutesError.CONFIDENTIAL_BY_EMAIL, extract_id=extract.pk)
    recipients = recipients_of(extract)
    if not any(r["email"] for r in recipients):
        raise CommandError(MinutesError.NO_RECIPIENTS, extract_id=extract.pk)
    results = send_extract(extract, recipients)
    event = _record_dispatch(meeting_id=meeting_id, actor=actor, command_id=command_id,
                             extract_id=extract.pk, results=results)
    assert event is not None  # noqa: S101 - the commit always emits
    return event
