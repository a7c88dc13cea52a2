"""The minutes' data: what the fold reads (the log, the body's metadata) and what it makes.

Frozen dataclasses with no behaviour beyond a property or two, so the fold, the redaction,
the serialisation and the PDF all agree on one shape, and equal logs give equal minutes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
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
    case_number: str = ""  # Dnr, from the log (agenda.approved / item.activated)
    presenter: str = ""  # föredragande, from the log


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
    keep_recusal_reasons: bool = False  # Body.minutes_keep_recusal_reasons (internal only)


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
class Recipient:
    """Who the decision of a § is sent to ("Beslutet skickas till"). The e-mail address is
    the dispatch's business, never printed in the minutes."""

    name: str
    organisation: str = ""


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
class Step:
    """One thing that happened under a §, in the order of the log: a sentence or a vote."""

    text: str = ""
    vote: VoteTable | None = None


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
    # The handling in log order (proposition order, acclamations, votes); minutes frozen
    # before it existed have only ``proposition_order`` and ``votes``.
    proceedings: tuple[Step, ...] = ()
    # Who presided over the § (in order, when it changed during it): "Namn (vice ordförande)".
    presided_by: tuple[str, ...] = ()
    case_number: str = ""  # Dnr "KS 2026/123" (empty in logs from before it was logged)
    presenter: str = ""  # föredragande
    recipients: tuple[Recipient, ...] = ()  # "Beslutet skickas till", known before the lock


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
