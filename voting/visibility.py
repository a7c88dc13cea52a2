"""What the public sees of the voting events (meetings.visibility is default-deny).

Everything the voting app logs is said aloud in a public meeting and lands in the public
minutes: the order, the questions, the counts, an open vote's names at close, the decision.
The default rule still hides every event about a confidential item (all payloads carry
``item_id``). Secret votes log counts only, so there is nothing more to hide for them.

The list is written out rather than taken from ``VotingEventType``: a new event type stays
hidden from the public until someone decides it may be shown.
"""

from __future__ import annotations

from meetings.visibility import register_public_event
from voting.events import VotingEventType as E

PUBLIC_EVENT_TYPES: tuple[E, ...] = (
    E.PROPOSITION_ORDER_SET, E.PROPOSITION_ORDER_APPROVED, E.ABSTENTION_ANNOUNCED,
    E.ACCLAMATION_PUT, E.VOTE_REQUESTED, E.ACCLAMATION_DECIDED, E.KONTRA_STARTED,
    E.VOTE_OPENED, E.BALLOT_CAST, E.VOTE_CLOSED, E.VOTE_VOIDED, E.DECISION_RECORDED,
    E.RESERVATION_REGISTERED, E.RESERVATION_REASONS_SUBMITTED, E.PROTOCOL_NOTE_ALLOWED,
    E.PROTOCOL_NOTE_ADDED, E.PROPORTIONAL_REQUESTED,
)


def register() -> None:
    for event_type in PUBLIC_EVENT_TYPES:
        register_public_event(str(event_type))
