"""What the public sees of the voting events (meetings.visibility is default-deny).

Everything the voting app logs is said aloud in a public meeting and lands in the public
minutes: the order, the questions, the counts, an open vote's names at close, the decision.
The default rule still hides every event about a confidential item (all payloads carry
``item_id``). Secret votes log counts only, so there is nothing more to hide for them.
"""

from __future__ import annotations

from meetings.visibility import register_public_event

PUBLIC_EVENT_TYPES = (
    "proposition_order.set", "proposition_order.approved", "abstention.announced",
    "acclamation.put", "vote.requested", "acclamation.decided", "kontra.started",
    "vote.opened", "ballot.cast", "vote.closed", "vote.voided", "decision.recorded",
    "reservation.registered", "reservation.reasons_submitted", "protocol_note.allowed",
    "protocol_note.added",
)


def register() -> None:
    for event_type in PUBLIC_EVENT_TYPES:
        register_public_event(event_type)
