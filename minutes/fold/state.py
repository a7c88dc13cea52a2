"""The fold's working state: mutable drafts of the paragraphs and the people, filled event by
event and turned into the frozen ``Minutes`` at the end (``minutes.fold.assemble``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from minutes.model import (
    STOCKHOLM,
    ItemInfo,
    LogEvent,
    MeetingInfo,
    NamedText,
    Recipient,
    Step,
    VoteTable,
)


@dataclass
class ParagraphDraft:
    """One item handled at the meeting, as far as the log has told so far."""

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
    proceedings: list[Step] = field(default_factory=list)  # both of the above, in log order
    decision: str = ""
    recusals: dict[int, NamedText] = field(default_factory=dict)
    reservations: dict[int, NamedText] = field(default_factory=dict)
    notes: list[NamedText] = field(default_factory=list)
    roster: list[str] = field(default_factory=list)
    immediately_adjusted: bool = False
    presided_by: list[str] = field(default_factory=list)
    disconnections: dict[int, Disconnection] = field(default_factory=dict)
    case_number: str = ""
    presenter: str = ""


@dataclass
class Disconnection:
    """A remote member's dropped link during one §, told once (one line of ``roster``)."""

    name: str
    line: int  # index of its line in the paragraph's ``roster``
    lost_at: datetime | None
    back_at: datetime | None = None
    paused_at: datetime | None = None
    resumed_at: datetime | None = None
    decided: bool = False  # a decision was made on the § after the link dropped
    missed: bool = False  # ... while they were not present
    confirmed_by: str = ""  # who confirmed their return (prop. 2025/26:164)


@dataclass
class PersonDraft:
    """Someone who took part: when they came and left, and which seat they served."""

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
class FoldState:
    info: MeetingInfo
    items: dict[int, ItemInfo]
    paragraphs: dict[int, ParagraphDraft] = field(default_factory=dict)
    people: dict[int, PersonDraft] = field(default_factory=dict)
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
    # Who presides when it is not the chair ("" = the chair): "Namn (vice ordförande)".
    presiding: str = ""
    # The § whose dropped link paused the meeting, until it resumes.
    link_pause_item: int | None = None
    # The remote ruleset from ``meeting.opened`` (newer logs), named once in the minutes.
    remote_ruleset: str = ""
    remote_ruleset_named: bool = False
    # "Beslutet skickas till" per item (set at any time; printed only for handled items).
    recipients: dict[int, tuple[Recipient, ...]] = field(default_factory=dict)

    def para(self, item_id: Any) -> ParagraphDraft | None:
        """The paragraph for an item, created on first mention (an item handled at all)."""
        if item_id is None:
            return None
        try:
            item_id = int(item_id)
        except (TypeError, ValueError):
            return None
        if item_id not in self.paragraphs:
            item = self.items.get(item_id) or ItemInfo(item_id, 0, "", False)
            self.paragraphs[item_id] = ParagraphDraft(
                item_id=item_id, position=item.position, title=item.title,
                confidential=item.confidential, description=item.description,
                paragraph=item.paragraph, handled_order=len(self.paragraphs) + 1,
                case_number=item.case_number, presenter=item.presenter,
            )
        return self.paragraphs[item_id]

    def person(self, user_id: Any, name: str = "", role: str = "") -> PersonDraft:
        uid = int(user_id)
        if uid not in self.people:
            self.people[uid] = PersonDraft(uid, name or self.name_of(uid),
                                           role or self.role_of(uid))
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


#: One handler per event type: it reads the event and updates the state in place.
Handler = Callable[[FoldState, LogEvent], None]


def local_time(value: Any) -> datetime | None:
    """A logged time (datetime or ISO text) in Stockholm time, or None."""
    if isinstance(value, datetime):
        return value.astimezone(STOCKHOLM)
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value).astimezone(STOCKHOLM)
        except ValueError:
            return None
    return None


def person_name(ref: Any) -> str:
    """A person reference's name: the dict shape ({"user_id", "name"}) or a plain name."""
    return str(ref.get("name", "")) if isinstance(ref, Mapping) else str(ref or "")
