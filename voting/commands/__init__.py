"""Voting commands: proposition order, acclamation, votes and ballots, kontraproposition,
decisions, reservations and protocol notes.

Each runs on the command contract (``meetings.contract.meeting_command``: one transaction,
the meeting locked, a replayed ``command_id`` answered with its event, typed refusals) and
appends exactly one event per command, of a type declared in ``voting.events``. Three use
``meetings.log.locked_meeting`` directly for a need the decorator does not cover: the ballot
casts (a cast is never looked up by command id: who cast is not logged) and ``vote_close``
(the vote row links its own closing event)."""

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
from voting.commands.procedural import decision_record_election, decision_record_procedural
from voting.commands.proportional import election_request_proportional
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
    "decision_record_election",
    "decision_record_procedural",
    "election_request_proportional",
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
