"""Fold handlers for jäv and proposals (meetings app events)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from meetings.events import MeetingEventType as E
from meetings.refs import author_name
from minutes.fold.roster import roster_changes
from minutes.fold.state import FoldState, Handler, ParagraphDraft
from minutes.model import LogEvent, NamedText

PROPOSAL_KINDS = {
    "prepared": "Beslutsförslag",
    "bifall": "Bifall",
    "avslag": "Avslag",
    "andring": "Ändringsyrkande",
    "tillagg": "Tilläggsyrkande",
    "aterremiss": "Återremiss",
    "bordlaggning": "Bordläggning",
}


def add_proposal(para: ParagraphDraft, ref: Mapping[str, Any]) -> None:
    """A proposal on the item, from any proposal reference ever logged (see meetings.refs)."""
    number = int(ref.get("number", len(para.proposals) + 1))
    para.proposals[number] = {
        "kind": PROPOSAL_KINDS.get(str(ref.get("kind")), str(ref.get("kind", ""))),
        "author": author_name(dict(ref)), "text": str(ref.get("text", "")),
        "withdrawn": bool(ref.get("withdrawn", False)),
    }


def _on_recusal(s: FoldState, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        # The reason is personal data: kept only where the body keeps it (internal version).
        reason = str(e.payload.get("reason") or "") if s.info.keep_recusal_reasons else ""
        para.recusals[int(e.payload["user_id"])] = NamedText(
            str(e.payload.get("name", "")), reason
        )


def _on_recusal_withdrawn(s: FoldState, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        para.recusals.pop(int(e.payload["user_id"]), None)
    roster_changes(s, e)


def _on_proposal_made(s: FoldState, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        add_proposal(para, e.payload)


def _on_proposal_withdrawn(s: FoldState, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    number = e.payload.get("number")
    if para is not None and number is not None and int(number) in para.proposals:
        para.proposals[int(number)]["withdrawn"] = True


HANDLERS: dict[str, Handler] = {
    E.RECUSAL_DECLARED: _on_recusal,
    E.RECUSAL_RECORDED: _on_recusal,
    E.RECUSAL_WITHDRAWN: _on_recusal_withdrawn,
    E.PROPOSAL_MADE: _on_proposal_made,
    E.PROPOSAL_WITHDRAWN: _on_proposal_withdrawn,
}
