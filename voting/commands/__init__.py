"""Voting commands: proposition order, acclamation, votes and ballots, kontraproposition,
decisions, reservations and protocol notes. Same contract as ``meetings.commands``: one
transaction, the meeting locked, a replayed ``command_id`` returns its event, typed refusals,
exactly one event per command."""

from voting.commands.acclamation import acclamation_decide, acclamation_put, vote_request
from voting.commands.ballots import (
    CastRequest,
    CastResult,
    ballot_cast,
    ballot_record,
    ballots_cast,
)
from voting.commands.decisions import (
    decision_record,
    protocol_note_add,
    protocol_note_allow,
    reservation_reasons_submit,
    reservation_register,
)
from voting.commands.kontra import kontra_start
from voting.commands.order import (
    abstention_announce,
    proposition_order_approve,
    proposition_order_set,
)
from voting.commands.votes import vote_close, vote_open, vote_void

__all__ = [
    "CastResult",
    "abstention_announce",
    "acclamation_decide",
    "acclamation_put",
    "ballot_cast",
    "ballots_cast",
    "CastRequest",
    "ballot_record",
    "decision_record",
    "kontra_start",
    "proposition_order_approve",
    "proposition_order_set",
    "protocol_note_add",
    "protocol_note_allow",
    "reservation_reasons_submit",
    "reservation_register",
    "vote_close",
    "vote_open",
    "vote_request",
    "vote_void",
]
