"""The agenda's payload shapes: the item reference every agenda event carries, the case
keys (Dnr, föredragande), and the events of setting up an agenda before the meeting
(``meetings.setup.agenda``, ``meetings.setup.attachments``). Registered with the other
types in ``meetings.events``, which re-exports them."""

from __future__ import annotations

from typing import Any, TypedDict


class AgendaItemRef(TypedDict):
    item_id: int
    position: int
    title: str
    confidential: bool


class AgendaItemAdded(AgendaItemRef):
    """An item added before the meeting, with its texts; ``source``: "added", "copied" (from
    an earlier meeting's agenda) or "imported" (a case system's agenda); ``agenda``: the whole
    order after the change, so the log alone tells the agenda's history."""

    case_number: str
    presenter: str
    description: str
    prepared_proposal: str
    source: str
    agenda: list[AgendaItemRef]


class AgendaItemChanged(AgendaItemRef):
    #: The fields that changed, with their new values.
    changed: dict[str, Any]
    agenda: list[AgendaItemRef]


class AgendaItemRemoved(AgendaItemRef):
    agenda: list[AgendaItemRef]


class AgendaReordered(TypedDict):
    agenda: list[AgendaItemRef]


class AgendaAttachmentAdded(TypedDict):
    item_id: int
    attachment_id: int
    title: str
    file_name: str
    size: int
    sha256: str


class AgendaAttachmentRemoved(TypedDict):
    item_id: int
    attachment_id: int
    title: str


class CaseKeys(TypedDict, total=False):
    """The item's case number (Dnr) and presenting official (föredragande), logged where the
    minutes need them; only when set, and not in logs written before they existed."""

    case_number: str
    presenter: str


class ApprovedItem(AgendaItemRef, CaseKeys, total=False):
    """An item of the approved agenda (``agenda.approved``)."""
