"""The justering loop: the presiding chair and the adjusters comment on a § of the locked
minutes, or approve it, before anyone signs.

A remark goes back to the secretary, who revises (``minutes_paragraph_text_set`` and
``minutes_justering_set`` stay open after the lock while nobody has signed) and locks a new
version (``minutes_lock``). Remarks and approvals are events in the meeting log, so the
history of versions and remarks is the log itself (``minutes.history``).
"""

from __future__ import annotations

from meetings.commands.lookup import item_of
from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError, ErrorCode
from meetings.models import AgendaItem, Meeting
from meetings.roles import query_id
from minutes.commands.documents import minutes_document, require_unsigned, require_version
from minutes.errors import MinutesError
from minutes.events import MinutesEventType as M
from minutes.events import (
    MinutesParagraphApproved,
    MinutesRemarkAdded,
    ParagraphReview,
    Signer,
)
from minutes.models import MinutesDocument

MAX_REMARK = 4_000


def _reviewable(
    cmd: CommandContext, item_id: int, version: int | None
) -> tuple[MinutesDocument, Signer, AgendaItem]:
    """The checks every review act makes: a locked, unsigned current version; the actor
    one of its signers (the presiding chair or a chosen adjuster); the item one of its §§."""
    meeting: Meeting = cmd.meeting
    document = minutes_document(meeting)
    if document is None:
        raise CommandError(MinutesError.MINUTES_NOT_LOCKED)
    mine = next((s for s in document.signers if s["user_id"] == cmd.actor.pk), None)
    if mine is None:
        raise CommandError(MinutesError.NOT_A_REVIEWER)
    require_version(document, version)
    require_unsigned(document)
    item = item_of(meeting, item_id)
    number = item.paragraph
    if number is None or not document.first_paragraph <= number <= document.last_paragraph:
        raise CommandError(MinutesError.PARAGRAPH_NOT_IN_MINUTES, item_id=item.pk)
    return document, mine, item


def _review(document: MinutesDocument, mine: Signer, item: AgendaItem, actor_id: int
            ) -> ParagraphReview:
    return ParagraphReview(
        document_id=document.pk, version=document.version, item_id=item.pk,
        paragraph=int(item.paragraph or 0), title=item.title, confidential=item.confidential,
        user_id=actor_id, name=mine["name"], role=mine["role"],
    )


@meeting_command
def minutes_remark(
    cmd: CommandContext, *, item_id: int, text: str, version: int | None = None
) -> Emit:
    """A remark on one § of the current version, for the secretary to act on."""
    document, mine, item = _reviewable(cmd, item_id, version)
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_REMARK:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="text", max=MAX_REMARK)
    review = _review(document, mine, item, query_id(cmd.actor))
    return Emit(M.MINUTES_REMARK_ADDED, MinutesRemarkAdded(**review, text=text.strip()))


@meeting_command
def minutes_approve(cmd: CommandContext, *, item_id: int, version: int | None = None) -> Emit:
    """The reviewer has read one § of the current version and has nothing to remark."""
    document, mine, item = _reviewable(cmd, item_id, version)
    review = _review(document, mine, item, query_id(cmd.actor))
    return Emit(M.MINUTES_PARAGRAPH_APPROVED, MinutesParagraphApproved(**review))
