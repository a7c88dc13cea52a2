"""Minutes (protokoll) as a pure function of the meeting log and the body's metadata.

``build_minutes(info, events)`` folds the events through a dispatch table of one small
handler per event type (``HANDLERS``); an event type without a handler is ignored, so a new
command's events appear in the minutes as soon as someone adds a handler. Same log and same
metadata -> equal ``Minutes`` (frozen dataclasses, no clock, no database).

``public_minutes(m)`` is the version for the notice board: confidential items become
"§ N Sekretess" with no content and personal identity numbers are masked everywhere.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
JUSTERING_DAYS = 14  # KL: the minutes are signed within 14 days of the meeting
DIGITAL_PLACE = "Digitalt sammanträde"


# --- Inputs ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LogEvent:
    seq: int
    type: str
    payload: Mapping[str, Any]
    at: datetime
    actor_id: int | None
    hash: str


@dataclass(frozen=True)
class PersonInfo:
    user_id: int
    name: str
    party: str = ""
    seat: int | None = None  # seat number for members
    order: int | None = None  # call-in order for substitutes


@dataclass(frozen=True)
class ItemInfo:
    item_id: int
    position: int
    title: str
    confidential: bool
    description: str = ""
    paragraph: int | None = None


@dataclass(frozen=True)
class MeetingInfo:
    """What the minutes need from outside the log: the body, its people and the agenda."""

    meeting_id: int
    body: str
    body_kind: str
    organisation: str
    title: str
    starts_at: datetime
    place: str
    members: tuple[PersonInfo, ...]
    substitutes: tuple[PersonInfo, ...]
    chair_ids: tuple[int, ...] = ()
    vice_chair_ids: tuple[int, ...] = ()
    secretary_ids: tuple[int, ...] = ()
    officers: tuple[PersonInfo, ...] = ()  # chair/secretary who hold no seat
    items: tuple[ItemInfo, ...] = ()


# --- Output ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AttendanceRow:
    user_id: int
    name: str
    role: str  # Swedish label as printed: "ordförande", "ledamot", "tjänstgörande ersättare" ...
    party: str = ""
    seat: int | None = None
    remote: bool = False
    note: str = ""  # e.g. "§§ 3–5", "ersätter Lars Nilsson"


@dataclass(frozen=True)
class NamedText:
    name: str
    text: str = ""


@dataclass(frozen=True)
class ProposalLine:
    number: int
    kind: str
    author: str
    text: str


@dataclass(frozen=True)
class VoteRow:
    name: str
    party: str
    choice: str  # "Ja" / "Nej" / "Avstår" (or a candidate)


@dataclass(frozen=True)
class VoteTable:
    title: str
    secret: bool
    rows: tuple[VoteRow, ...]  # empty for secret votes: never who voted what
    counts: tuple[tuple[str, int], ...]
    result: str = ""


@dataclass(frozen=True)
class Paragraph:
    item_id: int
    number: int
    title: str
    confidential: bool = False
    description: str = ""
    text: str = ""  # the secretary's reasoning / Beslutsunderlag
    proposals: tuple[ProposalLine, ...] = ()
    proposition_order: tuple[str, ...] = ()
    votes: tuple[VoteTable, ...] = ()
    decision: str = ""
    recusals: tuple[NamedText, ...] = ()
    reservations: tuple[NamedText, ...] = ()
    notes: tuple[NamedText, ...] = ()
    roster_changes: tuple[str, ...] = ()
    immediately_adjusted: bool = False
    withheld: bool = False  # public version: content left out (sekretess)


@dataclass(frozen=True)
class SignatureLine:
    role: str
    name: str
    user_id: int | None = None


@dataclass(frozen=True)
class Minutes:
    meeting_id: int
    organisation: str
    body: str
    title: str
    date: str
    time: str
    place: str
    deciding: tuple[AttendanceRow, ...]
    substitutes: tuple[AttendanceRow, ...]
    others: tuple[AttendanceRow, ...]
    absent: tuple[AttendanceRow, ...]
    adjusters: tuple[NamedText, ...]
    justering: str
    paragraphs: tuple[Paragraph, ...]
    signatures: tuple[SignatureLine, ...]
    log_seq: int
    log_hash: str
    last_event_at: datetime | None
    public: bool = False

    @property
    def has_remote(self) -> bool:
        return any(r.remote for r in self.deciding + self.substitutes + self.others)


# --- The fold ----------------------------------------------------------------------------------

@dataclass
class _Para:
    item_id: int
    position: int
    title: str
    confidential: bool
    description: str
    paragraph: int | None
    handled_order: int
    text: str = ""
    proposals: dict[int, dict[str, Any]] = field(default_factory=dict)
    proposition_order: list[str] = field(default_factory=list)
    votes: list[VoteTable] = field(default_factory=list)
    decision: str = ""
    recusals: dict[int, NamedText] = field(default_factory=dict)
    reservations: dict[int, NamedText] = field(default_factory=dict)
    notes: list[NamedText] = field(default_factory=list)
    roster: list[str] = field(default_factory=list)
    immediately_adjusted: bool = False


@dataclass
class _Person:
    user_id: int
    name: str
    role: str  # participant role from the log: member, substitute, secretary, official, guest
    present_ever: bool = False
    present_now: bool = False
    confirmed_ever: bool = False
    remote: bool = False
    from_item: int | None = None  # item_id where they arrived (None: from the start)
    left_item: int | None = None
    serving_for: str = ""  # substitute: name of the member whose seat they served
    serving_items: list[int] = field(default_factory=list)


@dataclass
class _State:
    info: MeetingInfo
    items: dict[int, ItemInfo]
    paragraphs: dict[int, _Para] = field(default_factory=dict)
    people: dict[int, _Person] = field(default_factory=dict)
    current_item: int | None = None
    last_item: int | None = None  # the item being handled or handled last
    started: bool = False
    opened_at: datetime | None = None
    adjourned_at: datetime | None = None
    adjusters: list[NamedText] = field(default_factory=list)
    adjuster_ids: list[int] = field(default_factory=list)
    justering: str = ""
    last: LogEvent | None = None
    # Seat changes made between items are printed on the next item handled.
    pending_roster: list[str] = field(default_factory=list)

    def para(self, item_id: Any) -> _Para | None:
        """The paragraph for an item, created on first mention (an item handled at all)."""
        if item_id is None:
            return None
        try:
            item_id = int(item_id)
        except (TypeError, ValueError):
            return None
        if item_id not in self.paragraphs:
            item = self.items.get(item_id) or ItemInfo(item_id, 0, "", False)
            self.paragraphs[item_id] = _Para(
                item_id=item_id, position=item.position, title=item.title,
                confidential=item.confidential, description=item.description,
                paragraph=item.paragraph, handled_order=len(self.paragraphs) + 1,
            )
        return self.paragraphs[item_id]

    def person(self, user_id: Any, name: str = "", role: str = "") -> _Person:
        uid = int(user_id)
        if uid not in self.people:
            self.people[uid] = _Person(uid, name or self.name_of(uid), role or self.role_of(uid))
        person = self.people[uid]
        if name:
            person.name = name
        return person

    def name_of(self, user_id: int) -> str:
        for p in self.info.members + self.info.substitutes + self.info.officers:
            if p.user_id == user_id:
                return p.name
        return f"#{user_id}"

    def role_of(self, user_id: int) -> str:
        if any(p.user_id == user_id for p in self.info.members):
            return "member"
        if any(p.user_id == user_id for p in self.info.substitutes):
            return "substitute"
        if user_id in self.info.secretary_ids:
            return "secretary"
        return "official"

    def roster_note(self, item_id: Any, text: str) -> None:
        """A change of who takes part, recorded on the item where it happened."""
        para = self.para(item_id if item_id is not None else self.current_item)
        if para is not None and self.started:
            para.roster.append(text)
        elif self.started:
            self.pending_roster.append(text)


Handler = Callable[[_State, LogEvent], None]


def _local(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value.astimezone(STOCKHOLM)
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value).astimezone(STOCKHOLM)
        except ValueError:
            return None
    return None


def _on_meeting_opened(s: _State, e: LogEvent) -> None:
    s.opened_at = _local(e.payload.get("at")) or _local(e.at)


def _on_meeting_adjourned(s: _State, e: LogEvent) -> None:
    s.adjourned_at = _local(e.payload.get("at")) or _local(e.at)


PAUSE_REASONS = {
    "remote_link_lost": "förbindelsen med en ledamot som deltar på distans bröts",
}


def _on_meeting_paused(s: _State, e: LogEvent) -> None:
    reason = str(e.payload.get("reason") or "").strip()
    reason = PAUSE_REASONS.get(reason, reason)
    at = _local(e.at)
    text = f"Sammanträdet ajournerades kl. {at:%H.%M}" if at else "Sammanträdet ajournerades"
    s.roster_note(e.payload.get("item_id"), text + (f" ({reason})." if reason else "."))


def _on_meeting_resumed(s: _State, e: LogEvent) -> None:
    at = _local(e.at)
    s.roster_note(
        e.payload.get("item_id"),
        f"Sammanträdet återupptogs kl. {at:%H.%M}." if at else "Sammanträdet återupptogs.",
    )


def _on_checked_in(s: _State, e: LogEvent) -> None:
    p = e.payload
    person = s.person(p["user_id"], str(p.get("name", "")), str(p.get("role", "")))
    person.remote = bool(p.get("remote", False))
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
        if s.started:
            s.roster_note(p.get("item_id"), f"{person.name} återkom till sammanträdet.")


def _on_confirmed(s: _State, e: LogEvent) -> None:
    for row in e.payload.get("users", []):
        person = s.person(row["user_id"], str(row.get("name", "")))
        person.confirmed_ever = True
        person.present_ever = True
        person.present_now = True
        if "remote" in row:
            person.remote = bool(row["remote"])


def _on_checked_out(s: _State, e: LogEvent) -> None:
    p = e.payload
    person = s.person(p["user_id"], str(p.get("name", "")))
    item_id = p.get("item_id") or s.current_item
    person.present_now = False
    last = item_id or s.last_item
    person.left_item = int(last) if last else None
    s.roster_note(item_id, f"{person.name} lämnade sammanträdet.")


def _on_agenda_approved(s: _State, e: LogEvent) -> None:
    for row in e.payload.get("items", []):
        item_id = int(row["item_id"])
        known = s.items.get(item_id)
        s.items[item_id] = ItemInfo(
            item_id=item_id, position=int(row.get("position", 0)),
            title=str(row.get("title", known.title if known else "")),
            confidential=bool(row.get("confidential", known.confidential if known else False)),
            description=known.description if known else "",
            paragraph=known.paragraph if known else None,
        )


def _on_item_activated(s: _State, e: LogEvent) -> None:
    s.started = True
    item_id = int(e.payload["item_id"])
    para = s.para(item_id)
    if para is not None:
        para.title = str(e.payload.get("title") or para.title)
        para.confidential = bool(e.payload.get("confidential", para.confidential))
    s.current_item = item_id
    s.last_item = item_id
    for person in s.people.values():
        if person.from_item == -1:
            person.from_item = item_id
    if para is not None:
        para.roster.extend(s.pending_roster)
        s.pending_roster.clear()
        _roster_changes(s, e)
        for row in e.payload.get("roster") or []:
            _serving(s, row, item_id)
        prepared = e.payload.get("prepared_proposal")
        if isinstance(prepared, Mapping):
            _on_proposal(para, prepared)


def _on_item_closed(s: _State, e: LogEvent) -> None:
    _roster_changes(s, e)
    para = s.para(e.payload.get("item_id"))
    if para is not None and e.payload.get("paragraph"):
        # Every closed item carries the § the body's allocator gave it (meetings.paragraphs).
        para.paragraph = int(e.payload["paragraph"])
    s.current_item = None


def _on_adjusters_chosen(s: _State, e: LogEvent) -> None:
    rows = e.payload.get("adjusters", [])
    s.adjusters = [NamedText(str(r.get("name", ""))) for r in rows]
    s.adjuster_ids = [int(r["user_id"]) for r in rows]


def _on_paragraph_text_set(s: _State, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        para.text = str(e.payload.get("text", ""))


def _on_justering_set(s: _State, e: LogEvent) -> None:
    s.justering = str(e.payload.get("text", ""))


def _on_paragraph_adjusted(s: _State, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None and e.payload.get("complete"):
        para.immediately_adjusted = True

# --- Live meeting: seats, jäv, proposals (meetings app) ----------------------------------------

ROSTER_REASONS = {
    "absent": "för frånvarande",
    "vacant": "på vakant plats",
    "recused": "på grund av jäv",
    "member_returned": "ledamoten återtar sin plats",
    "recusal_ended": "jävet upphör",
    "recusal_withdrawn": "jävsanmälan återtagen",
    "released": "ersättaren lämnar tjänstgöringen",
}

PROPOSAL_KINDS = {
    "prepared": "Beslutsförslag",
    "bifall": "Bifall",
    "avslag": "Avslag",
    "andring": "Ändringsyrkande",
    "tillagg": "Tilläggsyrkande",
    "aterremiss": "Återremiss",
    "bordlaggning": "Bordläggning",
}

CHOICE_LABELS = {"ja": "Ja", "nej": "Nej", "avstar": "Avstår"}


def _name(ref: Any) -> str:
    return str(ref.get("name", "")) if isinstance(ref, Mapping) else str(ref or "")


def _roster_changes(s: _State, e: LogEvent) -> None:
    """Print each seat change ("Ersättare X tjänstgör för Y") on the item where it happened."""
    for change in e.payload.get("roster_changes") or []:
        seat = change.get("seat")
        to, frm = _name(change.get("to")), _name(change.get("from"))
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


def _serving(s: _State, row: Mapping[str, Any], item_id: int) -> None:
    """From an item's roster snapshot: a substitute serving a seat on this item."""
    if not row.get("substitute") or row.get("user_id") is None:
        return
    person = s.person(row["user_id"], str(row.get("name", "")), "substitute")
    member = next((m for m in s.info.members if m.seat == row.get("seat")), None)
    if member is not None:
        person.serving_for = member.name
    if item_id not in person.serving_items:
        person.serving_items.append(item_id)


def _on_substitute_change(s: _State, e: LogEvent) -> None:
    _roster_changes(s, e)


def _on_recusal(s: _State, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        para.recusals[int(e.payload["user_id"])] = NamedText(
            str(e.payload.get("name", "")), str(e.payload.get("reason") or "")
        )


def _on_recusal_withdrawn(s: _State, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        para.recusals.pop(int(e.payload["user_id"]), None)
    _roster_changes(s, e)


def _on_proposal(para: _Para, ref: Mapping[str, Any]) -> None:
    number = int(ref.get("number", len(para.proposals) + 1))
    para.proposals[number] = {
        "kind": PROPOSAL_KINDS.get(str(ref.get("kind")), str(ref.get("kind", ""))),
        "author": _name(ref.get("author")), "text": str(ref.get("text", "")),
        "withdrawn": bool(ref.get("withdrawn", False)),
    }


def _on_proposal_made(s: _State, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        _on_proposal(para, e.payload)


def _on_proposal_withdrawn(s: _State, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    number = e.payload.get("number")
    if para is not None and number is not None and int(number) in para.proposals:
        para.proposals[int(number)]["withdrawn"] = True


# --- Voting: order, acclamation, votes, decisions (voting app) ---------------------------------

def _proposal_label(ref: Any) -> str:
    if not isinstance(ref, Mapping):
        return ""
    author = _name(ref.get("author"))
    kind = PROPOSAL_KINDS.get(str(ref.get("kind")), "")
    label = f"yrkande {ref.get('number')}"
    if kind == "Beslutsförslag":
        return f"{label} (beslutsförslaget)"
    return f"{label} ({author})" if author else label


def _on_order_approved(s: _State, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is None:
        return
    refs = e.payload.get("proposals") or []
    para.proposition_order.append(
        "Ordföranden föreslår följande propositionsordning, som godkänns: "
        + ", ".join(f"{i}) {_proposal_label(r)}" for i, r in enumerate(refs, start=1)) + "."
    )


def _on_acclamation_decided(s: _State, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is None:
        return
    proposal = _proposal_label(e.payload.get("proposal"))
    counter = _proposal_label(e.payload.get("counter_proposal"))
    won = e.payload.get("outcome") == "bifall"
    if counter:
        winner = proposal if won else counter
        para.proposition_order.append(
            f"Ordföranden ställer {proposal} mot {counter} och finner att {s.info.body} "
            f"bifaller {winner}."
        )
    else:
        para.proposition_order.append(
            f"Ordföranden ställer proposition på {proposal} och finner att {s.info.body} "
            f"{'bifaller' if won else 'avslår'} det."
        )


def _seat_party(s: _State, row: Mapping[str, Any]) -> str:
    seat = row.get("seat")
    member = next((m for m in s.info.members if m.seat == seat), None)
    sub = next((m for m in s.info.substitutes if m.user_id == row.get("user_id")), None)
    if sub is not None:
        return sub.party
    return member.party if member else ""


def _on_vote_closed(s: _State, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is None:
        return
    p = e.payload
    result: Mapping[str, Any] = p.get("result") or {}
    kind = str(p.get("kind", "open"))
    main, counter = _proposal_label(p.get("main_proposal")), _proposal_label(
        p.get("counter_proposal"))
    number = p.get("number")
    if kind == "election":
        counts = tuple((str(r["candidate"]), int(r["votes"])) for r in result.get("votes", []))
        counts += (("Blanka", int(result.get("blank", 0))),
                   ("Ogiltiga", int(result.get("invalid", 0))))
        text = "Valda: " + ", ".join(result.get("elected", [])) + "."
        lot = result.get("lot")
        if lot:
            text += " Lottning avgjorde mellan " + ", ".join(lot.get("tied", [])) + "."
        para.votes.append(VoteTable(f"Val med slutna sedlar (omröstning {number})", True, (),
                                    counts, text))
        return
    question = f"Omröstning {number}: Ja för {main}" + (f", Nej för {counter}" if counter
                                                          else ", Nej för avslag")
    counts = (("Ja", int(result.get("ja", 0))), ("Nej", int(result.get("nej", 0))),
              ("Avstår", int(result.get("avstar", 0))))
    outcome = result.get("outcome")
    if outcome == "ja":
        verdict = f"{s.info.body} har beslutat enligt {main}."
    elif counter:
        verdict = f"{s.info.body} har beslutat enligt {counter}."
    else:
        verdict = f"{s.info.body} har avslagit {main}."
    if kind == "open":
        rows = tuple(
            VoteRow(str(b.get("name", "")), _seat_party(s, b),
                    CHOICE_LABELS.get(str(b.get("choice")), str(b.get("choice"))))
            for b in result.get("ballots", [])
        )
        if result.get("decided_by_casting_vote"):
            verdict += " Ordförandens utslagsröst avgjorde."
        para.votes.append(VoteTable(question, False, rows, counts, verdict))
    else:
        counts += (("Blanka", int(result.get("blank", 0))),
                   ("Ogiltiga", int(result.get("invalid", 0))))
        if result.get("lot"):
            verdict += " Lottning avgjorde."
        para.votes.append(VoteTable(question + " (sluten omröstning)", True, (), counts,
                                    verdict))


def _on_vote_voided(s: _State, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        para.proposition_order.append(
            f"Omröstning {e.payload.get('number')} förklarades ogiltig: "
            f"{e.payload.get('reason', '')}"
        )


def _on_vote_requested(s: _State, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        para.proposition_order.append(f"{e.payload.get('name', '')} begär votering.")


def _on_kontra_started(s: _State, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        para.proposition_order.append(
            f"Ordföranden finner att {_proposal_label(e.payload.get('main'))} är huvudförslag. "
            "Kontrapropositionsvotering genomförs för att utse motförslag."
        )


def _on_abstention(s: _State, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        para.proposition_order.append(
            f"{e.payload.get('name', '')} anmäler att hen inte deltar i beslutet."
        )


DECISION_PREFIX = {"rejected": "Avslag: "}


def _on_decision(s: _State, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is None:
        return
    if e.payload.get("paragraph"):
        para.paragraph = int(e.payload["paragraph"])
    para.decision = DECISION_PREFIX.get(str(e.payload.get("kind")), "") + str(
        e.payload.get("text", ""))


def _on_reservation(s: _State, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        para.reservations[int(e.payload["user_id"])] = NamedText(
            str(e.payload.get("name", "")), str(e.payload.get("reasons") or ""))


def _on_protocol_note(s: _State, e: LogEvent) -> None:
    para = s.para(e.payload.get("item_id"))
    if para is not None:
        para.notes.append(NamedText(str(e.payload.get("name", "")),
                                    str(e.payload.get("text", ""))))


def _on_presence_expired(s: _State, e: LogEvent) -> None:
    """A remote link lost past the grace period: that person no longer counts as present."""
    person = s.person(e.payload["user_id"], str(e.payload.get("name", "")))
    person.present_now = False
    last = e.payload.get("item_id") or s.current_item or s.last_item
    person.left_item = int(last) if last else None
    if e.payload.get("role") in ("member", "substitute"):
        s.roster_note(
            e.payload.get("item_id"),
            f"Förbindelsen med {e.payload.get('name', '')} bröts; "
            f"{e.payload.get('name', '')} räknas inte längre som närvarande.",
        )


HANDLERS: dict[str, Handler] = {
    "meeting.opened": _on_meeting_opened,
    "meeting.adjourned": _on_meeting_adjourned,
    "meeting.paused": _on_meeting_paused,
    "meeting.resumed": _on_meeting_resumed,
    "attendance.checked_in": _on_checked_in,
    "attendance.confirmed": _on_confirmed,
    "attendance.checked_out": _on_checked_out,
    "agenda.approved": _on_agenda_approved,
    "item.activated": _on_item_activated,
    "item.closed": _on_item_closed,
    "adjusters.chosen": _on_adjusters_chosen,
    "minutes.paragraph_text_set": _on_paragraph_text_set,
    "minutes.justering_set": _on_justering_set,
    "minutes.paragraph_signed": _on_paragraph_adjusted,
    "substitute.called_in": _on_substitute_change,
    "substitute.released": _on_substitute_change,
    "recusal.declared": _on_recusal,
    "recusal.recorded": _on_recusal,
    "recusal.withdrawn": _on_recusal_withdrawn,
    "proposal.made": _on_proposal_made,
    "proposal.withdrawn": _on_proposal_withdrawn,
    "proposition_order.approved": _on_order_approved,
    "acclamation.decided": _on_acclamation_decided,
    "vote.requested": _on_vote_requested,
    "kontra.started": _on_kontra_started,
    "abstention.announced": _on_abstention,
    "vote.closed": _on_vote_closed,
    "vote.voided": _on_vote_voided,
    "decision.recorded": _on_decision,
    "reservation.registered": _on_reservation,
    "reservation.reasons_submitted": _on_reservation,
    "protocol_note.added": _on_protocol_note,
    "presence.expired": _on_presence_expired,
}


def handler(event_type: str) -> Callable[[Handler], Handler]:
    """Register a handler for another app's event type (see minutes/handlers_live.py)."""

    def register(func: Handler) -> Handler:
        HANDLERS[event_type] = func
        return func

    return register


# --- Assembling the result ---------------------------------------------------------------------

def _paragraph_numbers(paras: list[_Para], year_base: int) -> dict[int, int]:
    """§ numbers: the decision's number where one was recorded; items handled without a
    decision get the numbers after the highest one used, in the order they were handled."""
    numbers = {p.item_id: p.paragraph for p in paras if p.paragraph}
    last = max([year_base, *numbers.values()])
    for p in paras:
        if p.item_id not in numbers:
            last += 1
            numbers[p.item_id] = last
    return numbers


def _span(s: _State, person: _Person, numbers: Mapping[int, int]) -> str:
    """"§§ 3–7" when someone took part in only some items; empty when they were there for all."""
    if not numbers:
        return ""
    ordered = sorted(numbers.values())
    first = numbers.get(person.from_item, ordered[0]) if person.from_item else ordered[0]
    last = numbers.get(person.left_item, ordered[-1]) if person.left_item else ordered[-1]
    if (first, last) == (ordered[0], ordered[-1]):
        return ""
    return f"§ {first}" if first == last else f"§§ {first}–{last}"


def paragraph_ranges(numbers: Iterable[int]) -> str:
    """[1, 2, 3, 5] -> "§§ 1–3, 5"; [4] -> "§ 4"."""
    ordered = sorted(set(numbers))
    if not ordered:
        return ""
    runs: list[list[int]] = [[ordered[0], ordered[0]]]
    for n in ordered[1:]:
        if n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    text = ", ".join(f"{a}–{b}" if a != b else f"{a}" for a, b in runs)
    return f"§ {text}" if len(ordered) == 1 else f"§§ {text}"


def _role_label(s: _State, person: _Person) -> str:
    if person.user_id in s.info.chair_ids:
        return "ordförande"
    if person.user_id in s.info.vice_chair_ids:
        return "vice ordförande"
    return {
        "member": "ledamot",
        "substitute": "ersättare",
        "secretary": "sekreterare",
        "official": "tjänsteperson",
        "guest": "gäst",
    }.get(person.role, person.role)


def build_minutes(
    info: MeetingInfo, events: Iterable[LogEvent], *, paragraph_base: int = 0
) -> Minutes:
    """Fold the log into the minutes. ``paragraph_base``: § numbers already used this year."""
    state = _State(info=info, items={i.item_id: i for i in info.items})
    for event in events:
        state.last = event
        fold = HANDLERS.get(event.type)
        if fold is not None:
            fold(state, event)

    paras = sorted(state.paragraphs.values(), key=lambda p: p.handled_order)
    numbers = _paragraph_numbers(paras, paragraph_base)
    paragraphs = tuple(
        Paragraph(
            item_id=p.item_id, number=numbers[p.item_id], title=p.title,
            confidential=p.confidential, description=p.description, text=p.text,
            proposals=tuple(
                ProposalLine(
                    number=int(n), kind=str(d.get("kind", "")), author=str(d.get("author", "")),
                    text=str(d.get("text", "")),
                )
                for n, d in sorted(p.proposals.items()) if not d.get("withdrawn")
            ),
            proposition_order=tuple(p.proposition_order), votes=tuple(p.votes),
            decision=p.decision, recusals=tuple(p.recusals.values()),
            reservations=tuple(p.reservations.values()), notes=tuple(p.notes),
            roster_changes=tuple(p.roster), immediately_adjusted=p.immediately_adjusted,
        )
        for p in paras
    )

    members = {m.user_id: m for m in info.members}
    subs = {m.user_id: m for m in info.substitutes}
    # Members and substitutes count once the secretary confirmed them (the roll call the
    # minutes rely on); others only need to have checked in.
    present = [
        p for p in state.people.values()
        if p.present_ever and (p.confirmed_ever or (p.user_id not in members
                                                    and p.user_id not in subs))
    ]
    present_ids = {p.user_id for p in present}

    def row(person: _Person, role: str | None = None, note: str = "") -> AttendanceRow:
        seat = members.get(person.user_id)
        sub = subs.get(person.user_id)
        party = seat.party if seat else (sub.party if sub else "")
        span = _span(state, person, numbers)
        return AttendanceRow(
            user_id=person.user_id, name=person.name, role=role or _role_label(state, person),
            party=party, seat=seat.seat if seat else None, remote=person.remote,
            note="; ".join(x for x in (note, span) if x),
        )

    def seat_key(r: AttendanceRow) -> tuple[int, str]:
        if r.seat is not None:
            return (r.seat, r.name)
        sub = subs.get(r.user_id)
        return (1000 + (sub.order or 0) if sub else 2000, r.name)

    deciding: list[AttendanceRow] = []
    substitutes: list[AttendanceRow] = []
    others: list[AttendanceRow] = []
    for person in present:
        if person.user_id in members:
            deciding.append(row(person))
        elif person.user_id in subs and person.serving_items:
            served = sorted(numbers[i] for i in person.serving_items if i in numbers)
            # Served every paragraph: no range, like a member present throughout.
            where = "" if served == sorted(numbers.values()) else paragraph_ranges(served)
            deciding.append(AttendanceRow(
                user_id=person.user_id, name=person.name, role="tjänstgörande ersättare",
                party=subs[person.user_id].party, remote=person.remote,
                note=", ".join(x for x in (f"för {person.serving_for}"
                                           if person.serving_for else "", where) if x),
            ))
        elif person.user_id in subs:
            substitutes.append(row(person, "ersättare"))
        else:
            others.append(row(person))
    absent = [
        AttendanceRow(user_id=m.user_id, name=m.name, role="ledamot", party=m.party, seat=m.seat)
        for m in info.members if m.user_id not in present_ids
    ]

    opened = state.opened_at or info.starts_at.astimezone(STOCKHOLM)
    day = opened.date()
    time = f"{opened:%H.%M}"
    if state.adjourned_at:
        time += f"–{state.adjourned_at:%H.%M}"
    justering = state.justering or (
        f"Digital justering, senast {day + timedelta(days=JUSTERING_DAYS):%Y-%m-%d}"
    )

    people_names = {p.user_id: p.name for p in state.people.values()}
    signatures: list[SignatureLine] = []
    # The chair signs; if the chair was not there, the vice chair who presided signs.
    attending = {r.user_id for r in deciding + others + substitutes}
    chair_id = next((c for c in info.chair_ids if c in attending), None)
    if chair_id is None:
        chair_id = next((c for c in info.vice_chair_ids if c in attending), None)
    if chair_id is None:
        chair_id = next((c for c in info.chair_ids), None)
    if chair_id is not None:
        signatures.append(
            SignatureLine("Ordförande", people_names.get(chair_id, state.name_of(chair_id)),
                          chair_id)
        )
    for uid, adj in zip(state.adjuster_ids, state.adjusters, strict=False):
        signatures.append(SignatureLine("Justerare", adj.name, uid))
    secretary_id = next((c for c in info.secretary_ids), None)
    if secretary_id is not None:
        signatures.append(
            SignatureLine("Sekreterare", people_names.get(secretary_id,
                                                         state.name_of(secretary_id)),
                          secretary_id)
        )

    last = state.last
    return Minutes(
        meeting_id=info.meeting_id, organisation=info.organisation, body=info.body,
        title=info.title, date=f"{day:%Y-%m-%d}", time=time,
        place=info.place or DIGITAL_PLACE,
        deciding=tuple(sorted(deciding, key=seat_key)),
        substitutes=tuple(sorted(substitutes, key=seat_key)),
        others=tuple(sorted(others, key=lambda r: r.name)),
        absent=tuple(absent), adjusters=tuple(state.adjusters), justering=justering,
        paragraphs=paragraphs, signatures=tuple(signatures),
        log_seq=last.seq if last else 0, log_hash=last.hash if last else "0" * 64,
        last_event_at=last.at if last else None,
    )


# --- Public version ----------------------------------------------------------------------------

# Swedish personal identity and co-ordination numbers: (YY)YYMMDD[-+]NNNN, with or without
# the separator. Day 61-91 is a samordningsnummer. Over-masking a look-alike is the safe error.
PERSONNUMMER = re.compile(
    r"(?<!\d)(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])"
    r"[-+ ]?\d{4}(?!\d)"
)
MASK = "ÅÅMMDD-XXXX"


def mask_identity_numbers(text: str) -> str:
    return PERSONNUMMER.sub(MASK, text)


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_identity_numbers(value)
    if isinstance(value, tuple):
        return tuple(_masked(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value, **{f.name: _masked(getattr(value, f.name)) for f in dataclasses.fields(value)
                      if isinstance(getattr(value, f.name), (str, tuple))
                      or dataclasses.is_dataclass(getattr(value, f.name))}
        )
    return value


def _withheld(p: Paragraph) -> Paragraph:
    return Paragraph(item_id=p.item_id, number=p.number, title="Sekretess", confidential=True,
                     withheld=True)


def _public_vote(v: VoteTable) -> VoteTable:
    # A secret vote never carries names; keep only counts and the result.
    return dataclasses.replace(v, rows=()) if v.secret else v


def public_minutes(m: Minutes) -> Minutes:
    """The notice-board version: no confidential content, no identity numbers, no ballots."""
    paragraphs = tuple(
        _withheld(p) if p.confidential
        else dataclasses.replace(p, votes=tuple(_public_vote(v) for v in p.votes))
        for p in m.paragraphs
    )
    return _masked(dataclasses.replace(m, paragraphs=paragraphs, public=True))


# --- Text (search index, accessibility checks) --------------------------------------------------

def minutes_text(m: Minutes) -> str:
    """Every printed string of the minutes, one per line: for search and for tests."""
    out: list[str] = [m.organisation, m.body, m.title, m.date, m.time, m.place]
    for r in m.deciding + m.substitutes + m.others + m.absent:
        out.append(f"{r.name} {r.role} {r.party} {r.note}")
    out += [a.name for a in m.adjusters] + [m.justering]
    for p in m.paragraphs:
        out += [f"§ {p.number} {p.title}", p.description, p.text, p.decision]
        out += [f"{x.number} {x.kind} {x.author} {x.text}" for x in p.proposals]
        out += list(p.proposition_order) + list(p.roster_changes)
        for v in p.votes:
            out.append(v.title)
            out += [f"{r.name} {r.party} {r.choice}" for r in v.rows]
            out += [f"{label} {n}" for label, n in v.counts] + [v.result]
        for group in (p.recusals, p.reservations, p.notes):
            out += [f"{x.name} {x.text}" for x in group]
    return "\n".join(x for x in out if x)


def meeting_day(m: Minutes) -> date:
    return date.fromisoformat(m.date)


# --- Serialisation (the public minutes are frozen at lock time) ---------------------------------

def minutes_to_dict(m: Minutes) -> dict[str, Any]:
    data = dataclasses.asdict(m)
    data["last_event_at"] = m.last_event_at.isoformat() if m.last_event_at else None
    return data


def _load(cls: Any, data: Any) -> Any:
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        values[f.name] = _value(hints[f.name], data[f.name])
    return cls(**values)


def _value(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_value(args[0], v) for v in value)
        return tuple(_value(a, v) for a, v in zip(args, value, strict=False))
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _value(inner[0], value) if inner else value
    if hint is datetime:
        return datetime.fromisoformat(value)
    if dataclasses.is_dataclass(hint):
        return _load(hint, value)
    return value


def minutes_from_dict(data: Mapping[str, Any]) -> Minutes:
    """The inverse of ``minutes_to_dict``."""
    return _load(Minutes, data)
