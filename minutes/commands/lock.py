"""Locking the minutes: freeze the content and render the full and the public PDF.

The minutes are built and both PDFs rendered from the log as it stands, without the meeting
lock (see ``minutes.commands.documents``). The commit, under the lock, checks that the log
head and the § base are still what was built from, stores the document and appends
``minutes.locked``. Signatures are later appended to exactly those bytes, never re-rendered.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError
from meetings.models import AgendaItem, Meeting, MeetingEvent
from meetings.roles import Actor, display_name, query_id, require_control
from minutes.commands.documents import (
    Stale,
    already_done,
    meeting_of,
    minutes_document,
    prepare_and_commit,
    render_both,
    require_adjusters,
    require_unsigned,
    sha256,
    signers_of,
)
from minutes.errors import MinutesError
from minutes.events import MinutesEventType as M
from minutes.events import MinutesLocked, Signer
from minutes.inputs import minutes_of, paragraph_base
from minutes.model import Minutes
from minutes.models import MinutesDocument
from minutes.redaction import public_minutes
from minutes.serialise import minutes_text, minutes_to_dict


@dataclass(frozen=True)
class RenderedMinutes:
    """The minutes built from the log up to ``full.log_seq``, and both PDFs rendered."""

    base: int
    full: Minutes
    public: Minutes
    full_pdf: bytes
    public_pdf: bytes
    signers: list[Signer]


def _require_lockable(meeting: Meeting, actor: Actor) -> MinutesDocument | None:
    """The secretary locks an adjourned meeting's minutes; a new version replaces the current
    one only while nobody has signed it. Returns the version being replaced, if any."""
    require_control(meeting, actor)
    if meeting.status != Meeting.Status.ADJOURNED:
        raise CommandError(MinutesError.MEETING_NOT_ADJOURNED)
    current = minutes_document(meeting)
    if current is not None:
        require_unsigned(current)
    return current


def _render(meeting: Meeting, actor: Actor) -> RenderedMinutes:
    """Build and render without the lock (the slow part)."""
    _require_lockable(meeting, actor)
    base = paragraph_base(meeting)
    full = minutes_of(meeting, base=base)
    signers = signers_of(full)
    require_adjusters(signers)
    public = public_minutes(full)
    full_pdf, public_pdf = render_both(full, public)
    return RenderedMinutes(base=base, full=full, public=public, full_pdf=full_pdf,
                           public_pdf=public_pdf, signers=signers)


@meeting_command
def _store_locked(cmd: CommandContext, *, rendered: RenderedMinutes) -> Emit:
    """Under the lock: re-check, store the document, number the items, append the event."""
    meeting = cmd.meeting
    previous = _require_lockable(meeting, cmd.actor)
    full = rendered.full
    if meeting.last_seq != full.log_seq or paragraph_base(meeting) != rendered.base:
        raise Stale
    numbers = [p.number for p in full.paragraphs]
    now = timezone.now()
    if previous is not None:  # kept, with its bytes, as the history of the justering loop
        previous.superseded_at = now
        previous.save(update_fields=["superseded_at"])
    document = MinutesDocument.objects.create(
        meeting=meeting, log_seq=full.log_seq, log_hash=full.log_hash,
        version=previous.version + 1 if previous else 1,
        locked_at=now, locked_by_id=query_id(cmd.actor),
        full_unsigned=rendered.full_pdf, public_unsigned=rendered.public_pdf,
        full_pdf=rendered.full_pdf, public_pdf=rendered.public_pdf,
        full_sha256=sha256(rendered.full_pdf), public_sha256=sha256(rendered.public_pdf),
        public_text=minutes_text(rendered.public),
        public_minutes=minutes_to_dict(rendered.public),
        full_minutes=minutes_to_dict(full),
        signers=rendered.signers, paragraph_base=rendered.base,
        first_paragraph=min(numbers, default=0), last_paragraph=max(numbers, default=0),
    )
    # Items handled without a recorded decision got their § here; keep them on the items so
    # the body's later decisions (voting.decision_record) number after them.
    for paragraph in full.paragraphs:
        AgendaItem.objects.filter(pk=paragraph.item_id, paragraph__isnull=True).update(
            paragraph=paragraph.number)
    payload = MinutesLocked(
        document_id=document.pk, log_seq=full.log_seq, log_hash=full.log_hash,
        paragraph_base=rendered.base, full_sha256=document.full_sha256,
        public_sha256=document.public_sha256,
        paragraphs=[full.paragraphs[0].number, full.paragraphs[-1].number]
        if full.paragraphs else [],
        numbers={str(p.item_id): p.number for p in full.paragraphs},
        signers=rendered.signers, by=display_name(cmd.actor), version=document.version,
    )
    if previous is not None:
        payload["supersedes"] = previous.pk
    return Emit(M.MINUTES_LOCKED, payload)


def minutes_lock(
    *, meeting_id: int, actor: Actor, command_id: str | None = None
) -> MeetingEvent:
    """Freeze the minutes: render the full and public PDFs from the log as it stands. Again,
    after remarks and revisions, as a new version while nobody has signed the current one."""
    meeting = meeting_of(meeting_id)
    if done := already_done(meeting, actor=actor, command_id=command_id):
        return done

    def attempt() -> MeetingEvent:
        rendered = _render(meeting_of(meeting_id), actor)
        event = _store_locked(meeting_id=meeting_id, actor=actor, command_id=command_id,
                              rendered=rendered)
        assert event is not None  # noqa: S101 - the commit always emits
        return event

    return prepare_and_commit(attempt)
