"""The meeting's read tables rebuilt from its log alone: the proof that the log is the truth.

``project(events)`` folds a meeting's events (type and payload, in ``seq`` order) into plain,
comparable data; ``tables_state(meeting_id)`` reads the same data from the read tables the
commands keep. The two must be equal after any sequence of commands (``tests/meetings/
test_replay.py``): a difference is a fact the commands changed without logging it.

Only the meetings app's events and tables are covered. Other apps' events are skipped; one of
them touches a meetings table: a decision (voting) gives its item a § before the item closes,
and ``item.closed`` repeats it, so a closed item's § is always in this app's log.

Entries equal to a table's default (an absent participant nobody logged anything about, a
pending item without §) are left out on both sides, so rows the commands seeded when the
meeting opened need no event of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, cast

from meetings.events import (
    ItemActivated,
    ItemClosed,
    ProposalMade,
    RecusalDeclared,
    RosterChange,
    SpeakerFloorGiven,
    SpeakerRequested,
    SpeechRef,
    SubstituteCalledIn,
)
from meetings.events import MeetingEventType as E
from meetings.models import (
    Adjuster,
    AgendaItem,
    Meeting,
    MeetingEvent,
    Participant,
    Proposal,
    Recusal,
    SeatService,
    SpeakerRequest,
)
from meetings.refs import PersonRef, ProposalRef


@dataclass(frozen=True)
class ItemState:
    state: str = AgendaItem.State.PENDING
    paragraph: int | None = None


@dataclass(frozen=True)
class Attendance:
    present: bool = False
    confirmed: bool = False
    remote: bool = False
    connected: bool = False
    stepped_out: bool = False
    link_lost: bool = False


@dataclass(frozen=True)
class SeatState:
    """Who serves a seat; ``only_item_id``/``returns_to_id`` while serving for one jäv item."""

    user_id: int | None
    only_item_id: int | None = None
    returns_to_id: int | None = None


@dataclass(frozen=True)
class RecusalState:
    reason: str
    recorded_by_id: int | None


@dataclass(frozen=True)
class SpeechState:
    item_id: int
    user_id: int
    kind: str
    requested_seq: int
    state: str
    started_at: str | None = None
    ended_at: str | None = None
    extra_seconds: int = 0


@dataclass(frozen=True)
class ProposalState:
    item_id: int
    number: int
    kind: str
    text: str
    author_id: int | None
    entered_by_id: int | None
    withdrawn: bool


@dataclass
class MeetingState:
    """A meeting's read-table state as plain data: equal states compare equal."""

    status: str = Meeting.Status.PLANNED
    paused: bool = False
    agenda_approved: bool = False
    active_item_id: int | None = None
    opened_at: str | None = None
    adjourned_at: str | None = None
    items: dict[int, ItemState] = field(default_factory=dict)
    participants: dict[int, Attendance] = field(default_factory=dict)
    seats: dict[int, SeatState] = field(default_factory=dict)
    recusals: dict[tuple[int, int], RecusalState] = field(default_factory=dict)
    speeches: dict[int, SpeechState] = field(default_factory=dict)
    proposals: dict[int, ProposalState] = field(default_factory=dict)
    adjusters: list[int] = field(default_factory=list)
    presiding_id: int | None = None  # None: the body's chair
    presiding_reason: str = ""

    def without_defaults(self) -> MeetingState:
        """The same state without entries that equal a freshly seeded row."""
        return replace(
            self,
            items={k: v for k, v in self.items.items() if v != ItemState()},
            participants={k: v for k, v in self.participants.items() if v != Attendance()},
        )


def _id(ref: PersonRef | None) -> int | None:
    return None if ref is None else ref["user_id"]


# --- The fold: one handler per event type that changes a read table --------------------------

Payload = Mapping[str, Any]
Handler = Callable[[MeetingState, Payload], None]
_handlers: dict[str, Handler] = {}


def _on(*types: E) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for event_type in types:
            _handlers[str(event_type)] = handler
        return handler
    return register


def _attend(s: MeetingState, user_id: int, **changes: bool) -> None:
    s.participants[user_id] = replace(s.participants.get(user_id, Attendance()), **changes)


def _set_item(s: MeetingState, item_id: int, **changes: Any) -> None:
    s.items[item_id] = replace(s.items.get(item_id, ItemState()), **changes)


def _speech(s: MeetingState, ref: SpeechRef, item_id: int, state: str) -> None:
    before = s.speeches.get(ref["request_id"])
    s.speeches[ref["request_id"]] = SpeechState(
        item_id=item_id, user_id=ref["user_id"], kind=ref["kind"],
        requested_seq=ref["requested_seq"], state=state,
        started_at=ref["started_at"], ended_at=ref["ended_at"],
        extra_seconds=before.extra_seconds if before else 0,
    )


def _end_speech(s: MeetingState, ref: SpeechRef | None) -> None:
    if ref is not None:
        item_id = s.speeches[ref["request_id"]].item_id
        _speech(s, ref, item_id, SpeakerRequest.State.DONE)


def _withdraw_requests(s: MeetingState, request_ids: Iterable[int]) -> None:
    for request_id in request_ids:
        s.speeches[request_id] = replace(
            s.speeches[request_id], state=SpeakerRequest.State.WITHDRAWN)


def _roster_changes(s: MeetingState, changes: Iterable[RosterChange]) -> None:
    """A change of server clears a one-item service (the called-in handler sets it again)."""
    for change in changes:
        s.seats[change["seat"]] = SeatState(user_id=_id(change["to"]))


def _proposal(s: MeetingState, ref: ProposalRef) -> None:
    s.proposals[ref["proposal_id"]] = ProposalState(
        item_id=ref["item_id"], number=ref["number"], kind=ref["kind"], text=ref["text"],
        author_id=_id(ref["author"]), entered_by_id=_id(ref["entered_by"]),
        withdrawn=ref["withdrawn"],
    )


@_on(E.MEETING_OPENED)
def _opened(s: MeetingState, p: Payload) -> None:
    s.status, s.opened_at = Meeting.Status.OPEN, p["at"]
    for row in p.get("roster", []):
        s.seats[row["seat"]] = SeatState(user_id=row["user_id"])


@_on(E.MEETING_PAUSED)
def _paused(s: MeetingState, p: Payload) -> None:
    s.paused = True


@_on(E.MEETING_RESUMED)
def _resumed(s: MeetingState, p: Payload) -> None:
    s.paused = False


@_on(E.MEETING_ADJOURNED)
def _adjourned(s: MeetingState, p: Payload) -> None:
    s.status, s.paused, s.adjourned_at = Meeting.Status.ADJOURNED, False, p["at"]
    for user_id in list(s.participants):
        _attend(s, user_id, connected=False)


@_on(E.ATTENDANCE_CHECKED_IN)
def _checked_in(s: MeetingState, p: Payload) -> None:
    _attend(s, p["user_id"], present=True, remote=p["remote"], confirmed=p["confirmed"],
            link_lost=False)


@_on(E.ATTENDANCE_CONFIRMED)
def _confirmed(s: MeetingState, p: Payload) -> None:
    for user in p["users"]:
        _attend(s, user["user_id"], confirmed=True)


@_on(E.ATTENDANCE_CHECKED_OUT)
def _checked_out(s: MeetingState, p: Payload) -> None:
    _attend(s, p["user_id"], present=False, confirmed=False, stepped_out=p["stepped_out"])


@_on(E.PRESENCE_CONNECTED, E.PRESENCE_LOST)
def _connection(s: MeetingState, p: Payload) -> None:
    _attend(s, p["user_id"], connected=p["connected"])


@_on(E.PRESENCE_EXPIRED)
def _expired(s: MeetingState, p: Payload) -> None:
    _attend(s, p["user_id"], present=False, confirmed=False, link_lost=True)


@_on(E.PRESIDING_CHANGED)
def _presiding(s: MeetingState, p: Payload) -> None:
    chair = p["reason"] == "chair_returned"
    s.presiding_id = None if chair else p["user_id"]
    s.presiding_reason = "" if chair else p["reason"]


@_on(E.AGENDA_APPROVED)
def _agenda_approved(s: MeetingState, p: Payload) -> None:
    s.agenda_approved = True


@_on(E.ITEM_ACTIVATED)
def _activated(s: MeetingState, payload: Payload) -> None:
    p = cast(ItemActivated, payload)
    s.active_item_id = p["item_id"]
    _set_item(s, p["item_id"], state=AgendaItem.State.ACTIVE)
    _roster_changes(s, p["roster_changes"])
    if p["prepared_proposal"] is not None:
        _proposal(s, p["prepared_proposal"])


@_on(E.ITEM_CLOSED)
def _closed(s: MeetingState, payload: Payload) -> None:
    p = cast(ItemClosed, payload)
    s.active_item_id = None
    _set_item(s, p["item_id"], state=AgendaItem.State.CLOSED, paragraph=p["paragraph"])
    _end_speech(s, p["speech_ended"])
    _withdraw_requests(s, p["requests_withdrawn"])
    _roster_changes(s, p["roster_changes"])


@_on(E.ADJUSTERS_CHOSEN)
def _adjusters(s: MeetingState, p: Payload) -> None:
    s.adjusters = [ref["user_id"] for ref in p["adjusters"]]


@_on(E.SUBSTITUTE_CALLED_IN)
def _called_in(s: MeetingState, payload: Payload) -> None:
    p = cast(SubstituteCalledIn, payload)
    _roster_changes(s, p["roster_changes"])
    if p["only_item_id"] is not None:
        for change in p["roster_changes"]:
            s.seats[change["seat"]] = replace(
                s.seats[change["seat"]], only_item_id=p["only_item_id"],
                returns_to_id=_id(change["from"]),
            )


@_on(E.SUBSTITUTE_RELEASED)
def _released(s: MeetingState, p: Payload) -> None:
    _roster_changes(s, p["roster_changes"])


@_on(E.RECUSAL_DECLARED, E.RECUSAL_RECORDED)
def _recused(s: MeetingState, payload: Payload) -> None:
    p = cast(RecusalDeclared, payload)
    s.recusals[(p["item_id"], p["user_id"])] = RecusalState(
        reason=p["reason"], recorded_by_id=_id(p["recorded_by"]))
    _end_speech(s, p["speech_ended"])
    _withdraw_requests(s, p["requests_withdrawn"])


@_on(E.RECUSAL_WITHDRAWN)
def _recusal_withdrawn(s: MeetingState, p: Payload) -> None:
    s.recusals.pop((p["item_id"], p["user_id"]), None)
    _roster_changes(s, p["roster_changes"])


@_on(E.SPEAKER_REQUESTED)
def _requested(s: MeetingState, payload: Payload) -> None:
    p = cast(SpeakerRequested, payload)
    _speech(s, p, p["item_id"], SpeakerRequest.State.WAITING)


@_on(E.SPEAKER_FLOOR_GIVEN)
def _floor_given(s: MeetingState, payload: Payload) -> None:
    p = cast(SpeakerFloorGiven, payload)
    _end_speech(s, p["ended"])
    _speech(s, p, p["item_id"], SpeakerRequest.State.SPEAKING)


@_on(E.SPEAKER_DONE)
def _done(s: MeetingState, p: Payload) -> None:
    _speech(s, cast(SpeechRef, p), p["item_id"], SpeakerRequest.State.DONE)


@_on(E.SPEAKER_TIME_ADDED)
def _time_added(s: MeetingState, p: Payload) -> None:
    s.speeches[p["request_id"]] = replace(s.speeches[p["request_id"]],
                                          extra_seconds=p["extra_seconds"])


@_on(E.SPEAKER_WITHDRAWN)
def _speaker_withdrawn(s: MeetingState, p: Payload) -> None:
    _speech(s, cast(SpeechRef, p), p["item_id"], SpeakerRequest.State.WITHDRAWN)


@_on(E.PROPOSAL_MADE, E.PROPOSAL_WITHDRAWN)
def _proposal_event(s: MeetingState, p: Payload) -> None:
    _proposal(s, cast(ProposalMade, p))


def project(events: Iterable[tuple[str, Payload]]) -> MeetingState:
    """Fold ``(type, payload)`` pairs, in ``seq`` order, into the meeting's read-table state."""
    state = MeetingState()
    for event_type, payload in events:
        handler = _handlers.get(event_type)
        if handler is not None:
            handler(state, payload)
    return state.without_defaults()


def project_log(meeting_id: int) -> MeetingState:
    """``project`` over a meeting's stored log."""
    rows = MeetingEvent.objects.filter(meeting_id=meeting_id).order_by("seq")
    return project(rows.values_list("type", "payload"))


# --- The same data read from the tables ----------------------------------------------------


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def tables_state(meeting_id: int) -> MeetingState:
    """What the read tables hold for the meeting, in ``project``'s terms."""
    meeting = Meeting.objects.get(pk=meeting_id)
    items = AgendaItem.objects.filter(meeting=meeting)
    return MeetingState(
        status=meeting.status, paused=meeting.paused, agenda_approved=meeting.agenda_approved,
        active_item_id=meeting.active_item_id, opened_at=_iso(meeting.opened_at),
        adjourned_at=_iso(meeting.adjourned_at),
        presiding_id=meeting.presiding_id, presiding_reason=meeting.presiding_reason,
        items={i.pk: ItemState(state=i.state, paragraph=i.paragraph) for i in items},
        participants={
            p.user_id: Attendance(present=p.present, confirmed=p.confirmed, remote=p.remote,
                                  connected=p.connected, stepped_out=p.stepped_out,
                                  link_lost=p.link_lost)
            for p in Participant.objects.filter(meeting=meeting)
        },
        seats={
            s.seat.number: SeatState(user_id=s.user_id, only_item_id=s.only_item_id,
                                     returns_to_id=s.returns_to_id)
            for s in SeatService.objects.filter(meeting=meeting).select_related("seat")
        },
        recusals={
            (r.item_id, r.user_id): RecusalState(reason=r.reason, recorded_by_id=r.recorded_by_id)
            for r in Recusal.objects.filter(item__meeting=meeting)
        },
        speeches={
            r.pk: SpeechState(item_id=r.item_id, user_id=r.user_id, kind=r.kind,
                              requested_seq=r.requested_seq, state=r.state,
                              started_at=_iso(r.started_at), ended_at=_iso(r.ended_at),
                              extra_seconds=r.extra_seconds)
            for r in SpeakerRequest.objects.filter(item__meeting=meeting)
        },
        proposals={
            p.pk: ProposalState(item_id=p.item_id, number=p.number, kind=p.kind, text=p.text,
                                author_id=p.author_id, entered_by_id=p.entered_by_id,
                                withdrawn=p.withdrawn)
            for p in Proposal.objects.filter(item__meeting=meeting)
        },
        adjusters=list(
            Adjuster.objects.filter(meeting=meeting).order_by("position")
            .values_list("user_id", flat=True)
        ),
    ).without_defaults()
