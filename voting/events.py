"""Event types of the voting app and the shape of each payload.

The log keeps payloads for ever: a type or key that is not declared here is refused by
``meetings.log.append_events`` (see ``meetings.event_registry``). Change a shape only by
adding optional keys, and keep every reader (minutes fold, stream) able to read old events.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypedDict

from meetings.event_registry import register_event_types


class VotingEventType(StrEnum):
    ABSTENTION_ANNOUNCED = "abstention.announced"
    ACCLAMATION_DECIDED = "acclamation.decided"
    ACCLAMATION_PUT = "acclamation.put"
    BALLOT_CAST = "ballot.cast"
    DECISION_RECORDED = "decision.recorded"
    KONTRA_STARTED = "kontra.started"
    PROPOSITION_ORDER_APPROVED = "proposition_order.approved"
    PROPOSITION_ORDER_SET = "proposition_order.set"
    PROTOCOL_NOTE_ADDED = "protocol_note.added"
    PROTOCOL_NOTE_ALLOWED = "protocol_note.allowed"
    RESERVATION_REASONS_SUBMITTED = "reservation.reasons_submitted"
    RESERVATION_REGISTERED = "reservation.registered"
    VOTE_CLOSED = "vote.closed"
    VOTE_OPENED = "vote.opened"
    VOTE_REQUESTED = "vote.requested"
    VOTE_VOIDED = "vote.voided"


class AbstentionAnnounced(TypedDict):
    item_id: int
    user_id: int
    name: str


class AcclamationDecided(TypedDict):
    item_id: int
    acclamation_id: int
    number: int
    proposal: dict[str, Any]
    counter_proposal: Any
    outcome: str
    winner_proposal_id: int | None
    kontra: Any
    quorum: dict[str, Any]


class AcclamationPut(TypedDict):
    item_id: int
    acclamation_id: int
    number: int
    proposal: dict[str, Any]
    counter_proposal: dict[str, Any] | None
    kontra_id: int | None
    kontra_step: int | None


class BallotCast(TypedDict):
    item_id: int
    vote_id: int
    kind: str
    cast: int
    eligible_count: int


class DecisionRecorded(TypedDict):
    item_id: int
    item_title: str
    decision_id: int
    paragraph: int
    year: int
    kind: str
    text: str
    proposal: dict[str, Any] | None
    vote_id: int | None
    acclamation_id: int | None


class KontraStarted(TypedDict):
    item_id: int
    kontra_id: int
    main: dict[str, Any]
    proposals: list[Any]
    steps_needed: int
    next_step: dict[str, Any]


class PropositionOrderApproved(TypedDict):
    item_id: int
    proposals: list[Any]


class PropositionOrderSet(TypedDict):
    item_id: int
    proposals: list[Any]


class ProtocolNoteAdded(TypedDict):
    item_id: int
    note_id: int
    user_id: int
    name: str
    text: str
    entered_by: dict[str, Any]


class ProtocolNoteAllowed(TypedDict):
    item_id: int
    user_id: int
    name: str


class ReservationReasonsSubmitted(TypedDict):
    item_id: int
    decision_id: int
    user_id: int
    name: str
    reasons: str


class ReservationRegistered(TypedDict):
    item_id: int
    decision_id: int
    paragraph: int
    user_id: int
    name: str
    reasons: str


class VoteClosed(TypedDict):
    item_id: int
    vote_id: int
    number: int
    kind: str
    main_proposal: dict[str, Any] | None
    counter_proposal: dict[str, Any] | None
    candidates: list[Any]
    posts: int | None
    result: dict[str, Any]
    winner_proposal_id: int | None
    kontra: dict[str, Any] | None
    quorum: dict[str, Any]


class VoteOpened(TypedDict):
    item_id: int
    vote_id: int
    number: int
    kind: str
    main_proposal: dict[str, Any] | None
    counter_proposal: dict[str, Any] | None
    candidates: list[Any]
    posts: int | None
    choices: list[Any] | None
    abstain_policy: str
    eligible: list[Any]
    eligible_count: int
    cast: int
    acclamation_id: int | None
    kontra_id: int | None
    kontra_step: int | None
    quorum: dict[str, Any]


class VoteRequested(TypedDict):
    item_id: int
    acclamation_id: int
    user_id: int
    name: str


class VoteVoided(TypedDict):
    item_id: int
    vote_id: int
    number: int
    kind: str
    reason: str
    cast: int
    eligible_count: int


PAYLOADS: dict[VotingEventType, Any] = {
    VotingEventType.ABSTENTION_ANNOUNCED: AbstentionAnnounced,
    VotingEventType.ACCLAMATION_DECIDED: AcclamationDecided,
    VotingEventType.ACCLAMATION_PUT: AcclamationPut,
    VotingEventType.BALLOT_CAST: BallotCast,
    VotingEventType.DECISION_RECORDED: DecisionRecorded,
    VotingEventType.KONTRA_STARTED: KontraStarted,
    VotingEventType.PROPOSITION_ORDER_APPROVED: PropositionOrderApproved,
    VotingEventType.PROPOSITION_ORDER_SET: PropositionOrderSet,
    VotingEventType.PROTOCOL_NOTE_ADDED: ProtocolNoteAdded,
    VotingEventType.PROTOCOL_NOTE_ALLOWED: ProtocolNoteAllowed,
    VotingEventType.RESERVATION_REASONS_SUBMITTED: ReservationReasonsSubmitted,
    VotingEventType.RESERVATION_REGISTERED: ReservationRegistered,
    VotingEventType.VOTE_CLOSED: VoteClosed,
    VotingEventType.VOTE_OPENED: VoteOpened,
    VotingEventType.VOTE_REQUESTED: VoteRequested,
    VotingEventType.VOTE_VOIDED: VoteVoided,
}


def register() -> None:
    register_event_types(PAYLOADS)
