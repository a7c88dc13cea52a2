"""Fold handlers for the minutes' own review events: paragraph texts, the justering line and
paragraphs signed at the meeting (omedelbar justering). Locking, signing the whole minutes and
posting come after the frozen head and change nothing in the content."""

from __future__ import annotations

from minutes.events import MinutesEventType as M
from minutes.fold.state import FoldState, Handler
from minutes.model import LogEvent, Recipient


def _on_paragraph_text_set(s: FoldState, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        para.text = str(e.payload.get("text", ""))


def _on_justering_set(s: FoldState, e: LogEvent) -> None:
    s.justering = str(e.payload.get("text", ""))


def _on_paragraph_signed(s: FoldState, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None and e.payload.get("complete"):
        para.immediately_adjusted = True


def _on_recipients_set(s: FoldState, e: LogEvent) -> None:
    """"Beslutet skickas till": the latest list for the item (name and organisation; the
    e-mail address is for the dispatch, not for the minutes)."""
    try:
        item_id = int(e.payload["item_id"])
    except (KeyError, TypeError, ValueError):
        return
    s.recipients[item_id] = tuple(
        Recipient(name=str(r.get("name", "")), organisation=str(r.get("organisation", "")))
        for r in e.payload.get("recipients") or []
    )


HANDLERS: dict[str, Handler] = {
    M.MINUTES_PARAGRAPH_TEXT_SET: _on_paragraph_text_set,
    M.MINUTES_JUSTERING_SET: _on_justering_set,
    M.MINUTES_PARAGRAPH_SIGNED: _on_paragraph_signed,
    M.MINUTES_RECIPIENTS_SET: _on_recipients_set,
}
