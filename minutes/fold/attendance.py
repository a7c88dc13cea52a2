"""Fold handlers for the meeting itself: opening and closing, pauses, attendance and presence,
the agenda and its items, adjusters and substitutes (meetings app events)."""

from __future__ import annotations

from collections.abc import Mapping

from meetings.events import MeetingEventType as E
from minutes.fold import presence
from minutes.fold.proposals import add_proposal
from minutes.fold.roster import roster_changes, serving
from minutes.fold.state import FoldState, Handler, local_time
from minutes.model import ItemInfo, LogEvent, NamedText

PAUSE_REASONS = {
    "remote_link_lost": "förbindelsen med en ledamot som deltar på distans bröts",
}


def _on_meeting_opened(s: FoldState, e: LogEvent) -> None:
    s.opened_at = local_time(e.payload.get("at")) or local_time(e.at)
    presence.on_meeting_opened(s, e)


def _on_meeting_adjourned(s: FoldState, e: LogEvent) -> None:
    s.adjourned_at = local_time(e.payload.get("at")) or local_time(e.at)


def _on_meeting_paused(s: FoldState, e: LogEvent) -> None:
    if presence.on_paused_by_link(s, e):
        return
    reason = str(e.payload.get("reason") or "").strip()
    reason = PAUSE_REASONS.get(reason, reason)
    at = local_time(e.at)
    text = f"Sammanträdet ajournerades kl. {at:%H.%M}" if at else "Sammanträdet ajournerades"
    s.roster_note(e.payload.get("item_id"), text + (f" ({reason})." if reason else "."))


def _on_meeting_resumed(s: FoldState, e: LogEvent) -> None:
    if presence.on_resumed_after_link(s, e):
        return
    at = local_time(e.at)
    s.roster_note(
        e.payload.get("item_id"),
        f"Sammanträdet återupptogs kl. {at:%H.%M}." if at else "Sammanträdet återupptogs.",
    )


def _on_checked_in(s: FoldState, e: LogEvent) -> None:
    p = e.payload
    person = s.person(p["user_id"], str(p.get("name", "")), str(p.get("role", "")))
    person.remote = bool(p.get("remote", False))
    if person.remote:
        presence.on_remote_check_in(s, e)
    if p.get("confirmed"):
        person.confirmed_ever = True
    was_present, person.present_now = person.present_now, True
    if not person.present_ever:
        person.present_ever = True
        if s.started:
            person.from_item = s.current_item if s.current_item else None
            if person.from_item is None:
                person.from_item = -1  # arrived between items; resolved to the next item
            s.roster_note(
                p.get("item_id"), f"{person.name} anslöt till sammanträdet."
            )
    elif not was_present:
        person.left_item = None  # back again: present to the end unless they leave again
        if s.started and not presence.on_back(s, person.user_id, e):
            s.roster_note(p.get("item_id"), f"{person.name} återkom till sammanträdet.")
    if p.get("confirmed") and person.remote:
        presence.on_remote_confirmed(s, e, {person.user_id: person.name})


def _on_confirmed(s: FoldState, e: LogEvent) -> None:
    for row in e.payload.get("users", []):
        person = s.person(row["user_id"], str(row.get("name", "")))
        person.confirmed_ever = True
        person.present_ever = True
        person.present_now = True
        if "remote" in row:
            person.remote = bool(row["remote"])
    presence.on_remote_confirmed(s, e, {int(row["user_id"]): str(row.get("name", ""))
                                        for row in e.payload.get("users", [])
                                        if row.get("remote")})


def _on_checked_out(s: FoldState, e: LogEvent) -> None:
    p = e.payload
    person = s.person(p["user_id"], str(p.get("name", "")))
    item_id = p.get("item_id") or s.current_item
    person.present_now = False
    last = item_id or s.last_item
    person.left_item = int(last) if last else None
    s.roster_note(item_id, f"{person.name} lämnade sammanträdet.")


def _on_presence_expired(s: FoldState, e: LogEvent) -> None:
    """A remote link lost past the grace period: that person no longer counts as present."""
    person = s.person(e.payload["user_id"], str(e.payload.get("name", "")))
    person.present_now = False
    last = e.payload.get("item_id") or s.current_item or s.last_item
    person.left_item = int(last) if last else None
    if e.payload.get("role") in ("member", "substitute") and not presence.on_presence_expired(
            s, e):
        s.roster_note(
            e.payload.get("item_id"),
            f"Förbindelsen med {e.payload.get('name', '')} bröts; "
            f"{e.payload.get('name', '')} räknas inte längre som närvarande.",
        )


def _on_agenda_approved(s: FoldState, e: LogEvent) -> None:
    for row in e.payload.get("items", []):
        item_id = int(row["item_id"])
        known = s.items.get(item_id)
        s.items[item_id] = ItemInfo(
            item_id=item_id, position=int(row.get("position", 0)),
            title=str(row.get("title", known.title if known else "")),
            confidential=bool(row.get("confidential", known.confidential if known else False)),
            description=known.description if known else "",
            paragraph=known.paragraph if known else None,
            case_number=str(row.get("case_number") or ""),
            presenter=str(row.get("presenter") or ""),
        )


def _on_item_activated(s: FoldState, e: LogEvent) -> None:
    s.started = True
    item_id = int(e.payload["item_id"])
    para = s.para(item_id)
    if para is not None:
        para.title = str(e.payload.get("title") or para.title)
        para.confidential = bool(e.payload.get("confidential", para.confidential))
        # Dnr and föredragande as logged when the item was taken up (older logs: none, or
        # what agenda.approved said).
        para.case_number = str(e.payload.get("case_number") or para.case_number)
        para.presenter = str(e.payload.get("presenter") or para.presenter)
    s.current_item = item_id
    s.last_item = item_id
    for person in s.people.values():
        if person.from_item == -1:
            person.from_item = item_id
    if para is not None:
        para.roster.extend(s.pending_roster)
        s.pending_roster.clear()
        presence.start_item(s, para)
        roster_changes(s, e)
        for row in e.payload.get("roster") or []:
            serving(s, row, item_id)
        prepared = e.payload.get("prepared_proposal")
        if isinstance(prepared, Mapping):
            add_proposal(para, prepared)


def _on_item_closed(s: FoldState, e: LogEvent) -> None:
    roster_changes(s, e)
    para = s.para(e.payload.get("item_id"))
    if para is not None and e.payload.get("paragraph"):
        # Every closed item carries the § the body's allocator gave it (meetings.paragraphs).
        para.paragraph = int(e.payload["paragraph"])
    s.current_item = None


def _on_adjusters_chosen(s: FoldState, e: LogEvent) -> None:
    rows = e.payload.get("adjusters", [])
    s.adjusters = [NamedText(str(r.get("name", ""))) for r in rows]
    s.adjuster_ids = [int(r["user_id"]) for r in rows]


def _on_substitute_change(s: FoldState, e: LogEvent) -> None:
    roster_changes(s, e)


HANDLERS: dict[str, Handler] = {
    E.MEETING_OPENED: _on_meeting_opened,
    E.MEETING_ADJOURNED: _on_meeting_adjourned,
    E.MEETING_PAUSED: _on_meeting_paused,
    E.MEETING_RESUMED: _on_meeting_resumed,
    E.ATTENDANCE_CHECKED_IN: _on_checked_in,
    E.ATTENDANCE_CONFIRMED: _on_confirmed,
    E.ATTENDANCE_CHECKED_OUT: _on_checked_out,
    E.PRESENCE_EXPIRED: _on_presence_expired,
    E.AGENDA_APPROVED: _on_agenda_approved,
    E.ITEM_ACTIVATED: _on_item_activated,
    E.ITEM_CLOSED: _on_item_closed,
    E.ADJUSTERS_CHOSEN: _on_adjusters_chosen,
    E.SUBSTITUTE_CALLED_IN: _on_substitute_change,
    E.SUBSTITUTE_RELEASED: _on_substitute_change,
}
