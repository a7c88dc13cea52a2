"""Event types of the voting app and the shape of each payload.

The log keeps payloads for ever: a type or key that is not declared here is refused by
``meetings.log.append_events`` (see ``meetings.event_registry``). Change a shape only by
adding optional keys, and keep every reader (minutes fold, stream) able to read old events.

Every payload the voting commands append is built with one of these constructors, so the
keys written and the keys declared cannot drift apart. The pieces several payloads share
(a step of a kontra round, a vote's result, a roll-call row, a lot) are declared once, below.
Proposals and persons appear in the one shape of ``meetings.refs``. Before issue 11 voting
logged a shorter proposal reference whose ``author`` was a plain name; readers of old logs
use ``meetings.refs.author_name``.

Secret votes (docs/security.md): no shape here has a place for who cast which ballot. A
``ballot.cast`` carries counts only, and a secret result carries counts, never names.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypedDict

from meetings.event_registry import register_event_types
from meetings.quorum import Quorum
from meetings.refs import PersonRef, ProposalRef
from voting.tally import Choice, Outcome, StepKind


class VotingEventType(StrEnum):
    ABSTENTION_ANNOUNCED = "abstention.announced"
    ACCLAMATION_DECIDED = "acclamation.decided"
    ACCLAMATION_PUT = "acclamation.put"
    BALLOT_CAST = "ballot.cast"
    DECISION_RECORDED = "decision.recorded"
    KONTRA_STARTED = "kontra.started"
    PROPORTIONAL_REQUESTED = "election.proportional_requested"
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


# ------------------------------------------------------------------------ shared pieces


class QuorumState(TypedDict):
    """``meetings.quorum.Quorum`` as every decision logs it (``Quorum.as_dict``)."""

    seats: int
    serving_present: int
    required: int
    reached: bool


def quorum_state(quorum: Quorum) -> QuorumState:
    return QuorumState(seats=quorum.seats, serving_present=quorum.serving_present,
                       required=quorum.required, reached=quorum.reached)


class StepRef(TypedDict):
    """One step of a kontra round: ``first`` (ja) against ``second`` (nej)."""

    number: int
    kind: StepKind
    first_proposal_id: int
    second_proposal_id: int


class KontraProgress(TypedDict):
    """What a decided kontra step did to its round (on ``vote.closed``/``acclamation.decided``)."""

    kontra_id: int
    step: StepRef
    winner_proposal_id: int
    counter_proposal_id: int | None
    next_step: StepRef | None
    done: bool
    adopted_proposal_id: int | None


class EligibleVoter(TypedDict):
    """A seat on a vote's frozen list of who may vote (in the order of the attendance list)."""

    user_id: int
    name: str
    seat: int
    weight: int
    substitute: bool


#: One seat on the list frozen when a vote opens, as ``vote.opened`` logs it:
#: ``[user_id, seat, weight, substitute, name]``. A row, not an object: at a thousand seats the
#: list of objects was most of the cost of opening a vote (encoded, hashed, stored and walked
#: per audience), and the log stays as complete. Events logged before 2026-12 have objects
#: (``EligibleVoter``) here instead.
EligibleRow = tuple[int, int, int, bool, str]


class RollCallEntry(TypedDict):
    """An open vote's ballot by name, as the minutes print it; ``recorded_by`` is the
    secretary who entered an oral answer."""

    user_id: int
    name: str
    seat: int
    weight: int
    substitute: bool
    choice: str
    recorded_by: PersonRef | None


class LotDrawn(TypedDict):
    """A lot that broke a tie: the tied candidates (or "ja"/"nej") and who it picked."""

    tied: list[str]
    seats: int
    drawn: list[str]


class OpenVoteResult(TypedDict):
    """An open (by name) ja/nej vote, counted; the roll call in seat order, chair last."""

    ja: int
    nej: int
    avstar: int
    total: int
    outcome: Outcome
    decided_by_casting_vote: bool
    casting_vote: Outcome | None
    chair_user_id: int | None
    ballots: list[RollCallEntry]
    not_voted: list[EligibleVoter]
    cast: int
    eligible_count: int


class SecretVoteResult(TypedDict):
    """A secret ja/nej vote, counted: counts only; a tie is decided by lot."""

    ja: int
    nej: int
    avstar: int
    blank: int
    invalid: int
    total: int
    outcome: Outcome
    lot: LotDrawn | None
    cast: int
    eligible_count: int


class CandidateVotes(TypedDict):
    candidate: str
    votes: int


class ElectionVoteResult(TypedDict):
    """A secret election, counted: votes per candidate (in candidate order), who was elected."""

    votes: list[CandidateVotes]
    blank: int
    invalid: int
    valid: int
    elected: list[str]
    lot: LotDrawn | None
    cast: int
    eligible_count: int


class RegisteredList(TypedDict):
    """A list (valsedel) registered before a proportional election: a group label and names."""

    label: str
    names: list[str]


class ProportionalGroup(TypedDict):
    """One valsedelsgrupp (identical ballots): its votes and the seats it won."""

    key: str  # "label: name, name, …"
    label: str
    names: list[str]
    votes: int
    seats: int
    elected: list[str]  # its first ``seats`` names, in list order


class ProportionalSeat(TypedDict):
    """A seat given by d'Hondt: to which group, whom, at which comparison number."""

    seat: int
    group: str  # ProportionalGroup.key
    label: str
    name: str
    comparison: str  # exact: "7" or "7/2"
    by_lot: bool


class ProportionalLotDrawn(TypedDict):
    """Equal comparison numbers for fewer seats than groups: the lot chose (group keys)."""

    seat: int
    comparison: str
    tied: list[str]
    drawn: list[str]


class ProportionalVoteResult(TypedDict):
    """A proportional election (lag 2022:629), counted. Counts and lists only, never voters.

    In the members' election ``elected`` is everyone elected, seat by seat, and
    ``substitutes_elected`` is empty; in the substitutes' election (``substitutes``) it is the
    other way round, the substitutes group by group, each group's in list order (their
    call-in order)."""

    substitutes: bool
    groups: list[ProportionalGroup]
    seats: list[ProportionalSeat]
    lots: list[ProportionalLotDrawn]
    elected: list[str]
    substitutes_elected: list[str]
    blank: int
    invalid: int
    valid: int
    cast: int
    eligible_count: int


VoteResult = OpenVoteResult | SecretVoteResult | ElectionVoteResult | ProportionalVoteResult


# ----------------------------------------------------------------------------- payloads


class AbstentionAnnounced(TypedDict):
    item_id: int
    user_id: int
    name: str


class _AcclamationPutRequired(TypedDict):
    item_id: int
    acclamation_id: int
    number: int
    proposal: ProposalRef
    counter_proposal: ProposalRef | None
    kontra_id: int | None
    kontra_step: int | None


class AcclamationPut(_AcclamationPutRequired, total=False):
    #: The presiding person, when the secretary performed the act as their clerk.
    on_behalf_of: PersonRef | None


class _AcclamationDecidedRequired(TypedDict):
    item_id: int
    acclamation_id: int
    number: int
    proposal: ProposalRef
    counter_proposal: ProposalRef | None
    outcome: str  # voting.models.Acclamation.Outcome: "bifall" | "avslag"
    winner_proposal_id: int | None
    kontra: KontraProgress | None
    quorum: QuorumState


class AcclamationDecided(_AcclamationDecidedRequired, total=False):
    #: The presiding person, when the secretary performed the act as their clerk.
    on_behalf_of: PersonRef | None


class BallotCast(TypedDict):
    """Counts only: who cast is never logged (secret votes), nor revealed before the close
    (open votes)."""

    item_id: int
    vote_id: int
    kind: str  # voting.models.Vote.Kind
    cast: int
    eligible_count: int


class _DecisionRecordedRequired(TypedDict):
    item_id: int
    item_title: str
    decision_id: int
    paragraph: int
    year: int
    kind: str  # voting.models.Decision.Kind
    text: str
    proposal: ProposalRef | None
    vote_id: int | None
    acclamation_id: int | None


class DecisionDetails(TypedDict, total=False):
    """What a procedural or election decision adds (issue 12; older logs lack these)."""

    procedure: str  # procedural: "agenda", "adjusters", "information"
    elected: list[str]  # election: who was elected, in order
    substitutes: list[str]  # proportional election: substitutes (ersättare), in call-in order
    office: str  # election: to what ("ledamot i valnämnden")
    term: str  # election: for which term ("2027–2030")


class DecisionRecorded(_DecisionRecordedRequired, DecisionDetails, total=False):
    pass


class KontraStarted(TypedDict):
    item_id: int
    kontra_id: int
    main: ProposalRef
    proposals: list[ProposalRef]
    steps_needed: int
    next_step: StepRef


class PropositionOrderSet(TypedDict):
    item_id: int
    proposals: list[ProposalRef]


class PropositionOrderApproved(TypedDict):
    item_id: int
    proposals: list[ProposalRef]


class ProportionalRequested(TypedDict):
    """A member asked for a proportional election (lag 2022:629, 2 §), counted at that moment:
    ``present`` members then, ``required`` = present ÷ (seats + 1) rounded up."""

    item_id: int
    user_id: int
    name: str
    seats: int
    substitutes: bool
    present: int
    required: int
    requests: int
    reached: bool


class _ProtocolNoteAllowedRequired(TypedDict):
    item_id: int
    user_id: int
    name: str


class ProtocolNoteAllowed(_ProtocolNoteAllowedRequired, total=False):
    #: The presiding person, when the secretary performed the act as their clerk.
    on_behalf_of: PersonRef | None


class ProtocolNoteAdded(TypedDict):
    item_id: int
    note_id: int
    user_id: int
    name: str
    text: str
    entered_by: PersonRef


class ReservationRegistered(TypedDict):
    item_id: int
    decision_id: int
    paragraph: int
    user_id: int
    name: str
    reasons: str


class ReservationReasonsSubmitted(TypedDict):
    item_id: int
    decision_id: int
    user_id: int
    name: str
    reasons: str


class _VoteOpenedRequired(TypedDict):
    item_id: int
    vote_id: int
    number: int
    kind: str  # voting.models.Vote.Kind
    main_proposal: ProposalRef | None  # None in an election
    counter_proposal: ProposalRef | None
    candidates: list[str]  # an election's; empty otherwise
    posts: int | None
    choices: list[Choice] | None  # None in an election (candidates instead)
    abstain_policy: str  # meetings.models.Body.AbstainPolicy
    eligible: list[EligibleRow]
    eligible_count: int
    cast: int
    acclamation_id: int | None
    kontra_id: int | None
    kontra_step: int | None
    quorum: QuorumState


class ProportionalOpened(TypedDict, total=False):
    """What a proportional election adds to ``vote.opened`` (``posts`` is its seats)."""

    substitutes: bool
    lists: list[RegisteredList]


class VoteOpened(_VoteOpenedRequired, ProportionalOpened, total=False):
    pass


class VoteRequested(TypedDict):
    item_id: int
    acclamation_id: int
    user_id: int
    name: str


class _VoteClosedRequired(TypedDict):
    item_id: int
    vote_id: int
    number: int
    kind: str  # voting.models.Vote.Kind
    main_proposal: ProposalRef | None
    counter_proposal: ProposalRef | None
    candidates: list[str]
    posts: int | None
    result: VoteResult
    winner_proposal_id: int | None
    kontra: KontraProgress | None
    quorum: QuorumState


class VoteClosed(_VoteClosedRequired, total=False):
    #: The presiding person, when the secretary performed the act as their clerk.
    on_behalf_of: PersonRef | None


class VoteVoided(TypedDict):
    item_id: int
    vote_id: int
    number: int
    kind: str  # voting.models.Vote.Kind
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
    VotingEventType.PROPORTIONAL_REQUESTED: ProportionalRequested,
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
