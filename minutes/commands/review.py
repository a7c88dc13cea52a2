"""The secretary's review of the minutes: paragraph texts and the justering line, before the
lock and, as revisions for the next version, after it while nobody has signed (the justering
loop, see ``minutes.commands.remarks``). Plain contract commands: nothing slow under the lock."""

from __future__ import annotations

from meetings.commands.lookup import item_of
from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError, ErrorCode
from meetings.roles import display_name, require_control
from minutes.commands.documents import require_revisable
from minutes.events import MinutesEventType as M
from minutes.events import MinutesJusteringSet, MinutesParagraphTextSet

MAX_PARAGRAPH_TEXT = 20_000
MAX_JUSTERING_TEXT = 300


@meeting_command
def minutes_paragraph_text_set(cmd: CommandContext, *, item_id: int, text: str) -> Emit:
    """The secretary writes a paragraph's reasoning (Beslutsunderlag) before the lock."""
    require_control(cmd.meeting, cmd.actor)
    require_revisable(cmd.meeting)
    item = item_of(cmd.meeting, item_id)
    if not isinstance(text, str) or len(text) > MAX_PARAGRAPH_TEXT:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="text", max=MAX_PARAGRAPH_TEXT)
    return Emit(M.MINUTES_PARAGRAPH_TEXT_SET, MinutesParagraphTextSet(
        item_id=item.pk, position=item.position, title=item.title,
        confidential=item.confidential, text=text.strip(), by=display_name(cmd.actor),
    ))


@meeting_command
def minutes_justering_set(cmd: CommandContext, *, text: str) -> Emit:
    """Where and when the minutes will be signed ("Justeringens plats och tid")."""
    require_control(cmd.meeting, cmd.actor)
    require_revisable(cmd.meeting)
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_JUSTERING_TEXT:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="text", max=MAX_JUSTERING_TEXT)
    return Emit(M.MINUTES_JUSTERING_SET, MinutesJusteringSet(text=text.strip()))
