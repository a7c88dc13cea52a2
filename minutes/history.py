"""The history of the justering loop, read from the meeting log: each version locked, the
remarks and approvals on it, the secretary's revisions, and the signatures.

Nothing here is stored beside the log: the events are the history (``minutes.events``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from meetings.models import Meeting, MeetingEvent
from minutes.events import MinutesEventType as M

KINDS = {
    M.MINUTES_LOCKED: "locked",
    M.MINUTES_REMARK_ADDED: "remark",
    M.MINUTES_PARAGRAPH_APPROVED: "approved",
    M.MINUTES_PARAGRAPH_TEXT_SET: "revised",
    M.MINUTES_JUSTERING_SET: "revised_justering",
    M.MINUTES_SIGNED: "signed",
}


@dataclass(frozen=True)
class HistoryEntry:
    """One step of the loop, in log order. ``version``: the version it concerns (for a
    revision: the version it revises); ``item_id``/``paragraph`` for acts on one §."""

    kind: str
    at: datetime
    version: int
    name: str
    item_id: int | None = None
    paragraph: int | None = None
    title: str = ""
    text: str = ""


def justering_history(meeting: Meeting) -> list[HistoryEntry]:
    """From the first lock on; empty while the minutes are a draft. Revisions of a § carry
    the § number the current version gave it."""
    events = list(MeetingEvent.objects.filter(meeting=meeting, type__in=list(KINDS))
                  .order_by("seq").only("seq", "type", "payload", "at"))
    entries: list[HistoryEntry] = []
    version = 0
    numbers: dict[str, int] = {}
    for e in events:
        p = e.payload
        if e.type == M.MINUTES_LOCKED:
            version = int(p.get("version", 1))
            numbers = {str(k): int(v) for k, v in (p.get("numbers") or {}).items()}
            entries.append(HistoryEntry(kind="locked", at=e.at, version=version,
                                        name=str(p.get("by", ""))))
        elif version == 0:
            continue  # the draft before the first lock is not part of the loop
        elif e.type in (M.MINUTES_REMARK_ADDED, M.MINUTES_PARAGRAPH_APPROVED):
            entries.append(HistoryEntry(
                kind=KINDS[M(e.type)], at=e.at, version=int(p.get("version", version)),
                name=str(p.get("name", "")), item_id=p.get("item_id"),
                paragraph=p.get("paragraph"), title=str(p.get("title", "")),
                text=str(p.get("text", ""))))
        elif e.type == M.MINUTES_PARAGRAPH_TEXT_SET:
            item_id = p.get("item_id")
            entries.append(HistoryEntry(
                kind="revised", at=e.at, version=version, name=str(p.get("by", "")),
                item_id=item_id, paragraph=numbers.get(str(item_id)),
                title=str(p.get("title", "")), text=str(p.get("text", ""))))
        elif e.type == M.MINUTES_JUSTERING_SET:
            entries.append(HistoryEntry(kind="revised_justering", at=e.at, version=version,
                                        name="", text=str(p.get("text", ""))))
        else:
            entries.append(HistoryEntry(kind="signed", at=e.at,
                                        version=int(p.get("version", version)),
                                        name=str(p.get("name", ""))))
    return entries
