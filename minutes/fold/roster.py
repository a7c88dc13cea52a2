"""Seat changes in the minutes: who served which seat on which item, and why."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from minutes.fold.state import FoldState, person_name
from minutes.model import LogEvent

ROSTER_REASONS = {
    "absent": "för frånvarande",
    "vacant": "på vakant plats",
    "recused": "på grund av jäv",
    "member_returned": "ledamoten återtar sin plats",
    "recusal_ended": "jävet upphör",
    "recusal_withdrawn": "jävsanmälan återtagen",
    "released": "ersättaren lämnar tjänstgöringen",
}


def roster_changes(s: FoldState, e: LogEvent) -> None:
    """Print each seat change ("Ersättare X tjänstgör för Y") on the item where it happened."""
    for change in e.payload.get("roster_changes") or []:
        seat = change.get("seat")
        to, frm = person_name(change.get("to")), person_name(change.get("from"))
        reason = ROSTER_REASONS.get(str(change.get("reason")), str(change.get("reason") or ""))
        if to and frm:
            text = f"{to} tjänstgör på plats {seat} i stället för {frm} ({reason})."
        elif to:
            text = f"{to} tjänstgör på plats {seat} ({reason})."
        else:
            text = f"Plats {seat} är utan tjänstgörande efter {frm} ({reason})."
        s.roster_note(e.payload.get("item_id"), text)
        if isinstance(change.get("to"), Mapping) and change["to"].get("user_id") is not None:
            uid = int(change["to"]["user_id"])
            if any(p.user_id == uid for p in s.info.substitutes):
                person = s.person(uid, to, "substitute")
                person.serving_for = frm or person.serving_for
                current = e.payload.get("item_id") or s.current_item
                if current and int(current) not in person.serving_items:
                    person.serving_items.append(int(current))


def serving(s: FoldState, row: Mapping[str, Any], item_id: int) -> None:
    """From an item's roster snapshot: a substitute serving a seat on this item."""
    if not row.get("substitute") or row.get("user_id") is None:
        return
    person = s.person(row["user_id"], str(row.get("name", "")), "substitute")
    member = next((m for m in s.info.members if m.seat == row.get("seat")), None)
    if member is not None:
        person.serving_for = member.name
    if item_id not in person.serving_items:
        person.serving_items.append(item_id)
