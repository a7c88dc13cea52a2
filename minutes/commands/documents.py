"""What the minutes commands share: the locked documents, who signs them, rendering, and the
prepare-then-commit discipline that keeps slow work out of the meeting's row lock.

Rendering a PDF (~0.5 s) and making a signature (~0.3 s) must not run while the meeting row
is locked: during a live meeting (omedelbar justering) every other command would wait. So a
command that renders or signs works in two steps:

1. **prepare**, without the lock: read the log (up to its head), build, render, sign;
2. **commit**, a ``meeting_command`` (the lock, the replay, the append): re-check that what was
   prepared still fits (the log head, the document's bytes, the signing order) and store it.

When the meeting moved on in between, the commit raises ``Stale`` and ``prepare_and_commit``
prepares once more; a second ``Stale`` is refused as ``MinutesError.MINUTES_CHANGED``.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from typing import TypeVar

from meetings.errors import CommandError, ErrorCode
from meetings.log import replayed_event
from meetings.models import Meeting, MeetingEvent
from meetings.roles import Actor
from minutes.errors import MinutesError
from minutes.events import Signer
from minutes.model import Minutes
from minutes.models import MinutesDocument
from minutes.pdf import render_minutes_pdf
from minutes.redaction import public_violations

CHAIR_FIELD = "Ordforande"

T = TypeVar("T")


class Stale(Exception):
    """What a command prepared outside the lock no longer fits the meeting: prepare again."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def meeting_of(meeting_id: int) -> Meeting:
    """The meeting, read without the lock (for the prepare step), or refused if unknown."""
    try:
        return Meeting.objects.select_related("body").get(pk=meeting_id)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise CommandError(ErrorCode.MEETING_NOT_FOUND, meeting_id=meeting_id) from None


def already_done(meeting: Meeting, *, actor: Actor, command_id: str | None) -> MeetingEvent | None:
    """A retried command's event, found before preparing anything (the commit checks again)."""
    return replayed_event(meeting=meeting, command_id=command_id,
                          actor_id=getattr(actor, "pk", None))


def prepare_and_commit(attempt: Callable[[], T]) -> T:
    """Run ``attempt`` (prepare, then commit); once more if the commit found it stale."""
    try:
        return attempt()
    except Stale:
        pass
    try:
        return attempt()
    except Stale:
        raise CommandError(MinutesError.MINUTES_CHANGED) from None


def minutes_document(meeting: Meeting) -> MinutesDocument | None:
    """The current version of the locked minutes (not an extract), if locked."""
    return MinutesDocument.objects.filter(
        meeting=meeting, item__isnull=True, superseded_at__isnull=True
    ).first()


def require_unlocked(meeting: Meeting) -> None:
    if minutes_document(meeting) is not None:
        raise CommandError(MinutesError.MINUTES_LOCKED)


def require_unsigned(document: MinutesDocument) -> None:
    """The justering loop stays open while nobody has signed the current version."""
    if document.signatures.exists():
        raise CommandError(MinutesError.SIGNING_STARTED, version=document.version)


def require_revisable(meeting: Meeting) -> None:
    """The secretary may write the minutes' texts before the lock, and revise them after it
    as long as nobody has signed (the revision goes into the next version)."""
    document = minutes_document(meeting)
    if document is not None:
        require_unsigned(document)


def require_version(document: MinutesDocument, version: int | None) -> None:
    """An act on a version that has been replaced is refused (``None``: the current one)."""
    if version is not None and version != document.version:
        raise CommandError(MinutesError.VERSION_SUPERSEDED, version=document.version)


def signers_of(m: Minutes) -> list[Signer]:
    """Who signs, from the minutes' signature section: the presiding chair first, then the
    adjusters in the order they were chosen."""
    rows: list[Signer] = []
    for line in m.signatures:
        if line.user_id is None or any(r["user_id"] == line.user_id for r in rows):
            continue
        if line.role == "Ordförande" and not rows:
            rows.append(Signer(user_id=line.user_id, name=line.name, role="chair",
                               field=CHAIR_FIELD))
        elif line.role == "Justerare":
            rows.append(Signer(user_id=line.user_id, name=line.name, role="adjuster",
                               field=f"Justerare{len(rows)}"))
    return rows


def require_adjusters(signers: list[Signer]) -> None:
    if not any(s["role"] == "adjuster" for s in signers):
        raise CommandError(MinutesError.NO_ADJUSTERS)


def render_both(full: Minutes, public: Minutes) -> tuple[bytes, bytes]:
    """The full and the public PDF. When the public version leaves nothing out (no
    confidential item, no identity number), it is the full version: one document, rendered
    and signed once."""
    problems = public_violations(public)
    if problems:  # a bug in the redaction, never a user error: refuse to freeze it
        raise RuntimeError("public minutes break the public rules: " + "; ".join(problems))
    full_pdf = render_minutes_pdf(full)
    if dataclasses.replace(public, public=False) == full:
        return full_pdf, full_pdf
    return full_pdf, render_minutes_pdf(public)
