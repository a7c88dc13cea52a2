"""Wire names for the voting commands (voting app): proposition order, acclamation, votes and
ballots, kontraproposition, decisions, reservations, protocol notes, and two reads.

Argument schemas are strict; every rule decision is made by ``voting.commands``. Replies carry
the event's ``seq`` and type plus the ids a client needs next. ``ballot.cast`` replies with the
voter's receipt code for a secret ballot: the only place that code is ever sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from realtime.commands.registry import (
    ID,
    ID_LIST,
    Call,
    WireCommand,
    event_result,
    object_schema,
)
from voting import commands as v
from voting import selectors
from voting.commands.decisions import MAX_TEXT
from voting.commands.proportional import MAX_LABEL, MAX_NAME, MAX_SEATS
from voting.commands.votes import MAX_CANDIDATE_LENGTH, MAX_CANDIDATES
from voting.tally.proportional import MAX_NAMES

TEXT = {"type": "string", "maxLength": MAX_TEXT}
OPEN_CHOICE = {"enum": ["ja", "nej", "avstar"]}
CANDIDATE = {"type": "string", "minLength": 1, "maxLength": MAX_CANDIDATE_LENGTH}
#: A proportional election's list ballot (and a registered list): a group label and names.
LIST_BALLOT = object_schema({
    "label": {"type": "string", "minLength": 1, "maxLength": MAX_LABEL},
    "names": {"type": "array", "minItems": 1, "maxItems": MAX_NAMES,
              "items": {"type": "string", "minLength": 1, "maxLength": MAX_NAME}},
}, required=["label", "names"])
#: Lists registered when a proportional election opens (a convenience for the ballot form):
#: bounded so that the largest legal ``vote.open`` fits ``KLUBBA["MAX_FRAME_BYTES"]``
#: (tests/realtime/test_unchanged.py) even next to the longest candidate list.
REGISTERED_LISTS = {"type": "array", "maxItems": 10, "items": object_schema({
    "label": {"type": "string", "minLength": 1, "maxLength": 80},
    "names": {"type": "array", "minItems": 1, "maxItems": 40,
              "items": {"type": "string", "minLength": 1, "maxLength": 60}},
}, required=["label", "names"])}
BALLOT_CHOICE = {
    "oneOf": [
        OPEN_CHOICE,
        {"type": "null"},  # a blank secret ballot
        {"type": "array", "items": CANDIDATE, "maxItems": MAX_CANDIDATES},  # an election
        LIST_BALLOT,  # a proportional election
    ]
}
SEATS = {"type": "integer", "minimum": 1, "maximum": MAX_SEATS}


def with_payload(*keys: str) -> Callable[[Any], dict]:
    """Reply result: ``seq`` and ``event`` plus these payload keys of the event."""

    def to_result(event: Any) -> dict:
        return {**event_result(event), **{k: event.payload.get(k) for k in keys}}

    return to_result


def cast_result(outcome: v.CastResult) -> dict:
    return {**event_result(outcome.event), "vote_id": outcome.event.payload.get("vote_id"),
            "cast": outcome.event.payload.get("cast"), "receipt": outcome.receipt}


def ballots_cast(*, meeting_id: int, calls: list[Call]) -> list[Any]:
    """``ballot.cast`` for many members at once (a vote storm, gathered by the server)."""
    return v.ballots_cast(meeting_id=meeting_id, requests=[
        v.CastRequest(voter=call.actor, command_id=call.command_id, **call.args)
        for call in calls])


def read_only(selector: Callable[..., Any], key: str) -> Callable[..., Any]:
    """Adapt a selector to the command call shape; a read has no event and ignores the id."""

    def handler(*, meeting_id: int, actor: Any, command_id: str | None = None,
                **args: Any) -> dict:
        return {key: selector(meeting_id=meeting_id, actor=actor, **args)}

    handler.__name__ = f"read_{selector.__name__}"
    return handler


def as_is(result: dict) -> dict:
    return result


VOTING_COMMANDS = [
    WireCommand(
        "proposition_order.set", v.proposition_order_set,
        object_schema({"item_id": ID, "proposal_ids": ID_LIST},
                      required=["item_id", "proposal_ids"]),
    ),
    WireCommand(
        "proposition_order.approve", v.proposition_order_approve,
        object_schema({"item_id": ID}, required=["item_id"]),
    ),
    WireCommand(
        "abstention.announce", v.abstention_announce,
        object_schema({"item_id": ID}, required=["item_id"]),
    ),
    WireCommand(
        "acclamation.put", v.acclamation_put,
        object_schema({"item_id": ID, "proposal_id": ID, "counter_proposal_id": ID},
                      required=["item_id", "proposal_id"]),
        to_result=with_payload("acclamation_id", "kontra_step"),
    ),
    WireCommand(
        "vote.request", v.vote_request,
        object_schema({"item_id": ID}, required=["item_id"]),
        to_result=with_payload("acclamation_id"),
    ),
    WireCommand(
        "acclamation.decide", v.acclamation_decide,
        object_schema({"item_id": ID, "outcome": {"enum": ["bifall", "avslag"]}},
                      required=["item_id", "outcome"]),
        to_result=with_payload("acclamation_id", "winner_proposal_id", "kontra"),
    ),
    WireCommand(
        "kontra.start", v.kontra_start,
        object_schema({"item_id": ID, "main_proposal_id": ID},
                      required=["item_id", "main_proposal_id"]),
        to_result=with_payload("kontra_id", "next_step"),
    ),
    WireCommand(
        "vote.open", v.vote_open,
        object_schema({
            "item_id": ID, "kind": {"enum": ["open", "secret", "election", "proportional"]},
            "main_proposal_id": ID, "counter_proposal_id": ID,
            "candidates": {"type": "array", "items": CANDIDATE, "minItems": 1,
                           "maxItems": MAX_CANDIDATES},
            "posts": {"type": "integer", "minimum": 1, "maximum": MAX_CANDIDATES},
            "appointment": {"type": "boolean"},
            "seats": SEATS, "substitutes": {"type": "boolean"},
            "lists": REGISTERED_LISTS,
        }, required=["item_id"]),
        to_result=with_payload("vote_id", "number", "eligible_count", "kontra_step"),
    ),
    WireCommand(
        "election.request_proportional", v.election_request_proportional,
        object_schema({"item_id": ID, "seats": SEATS, "substitutes": {"type": "boolean"}},
                      required=["item_id", "seats"]),
        to_result=with_payload("requests", "required", "present", "reached"),
    ),
    WireCommand(
        "ballot.cast", v.ballot_cast,
        object_schema({"vote_id": ID, "choice": BALLOT_CHOICE}, required=["vote_id", "choice"]),
        to_result=cast_result, batch=ballots_cast,
    ),
    WireCommand(
        "ballot.record", v.ballot_record,
        object_schema({"vote_id": ID, "user_id": ID, "choice": OPEN_CHOICE},
                      required=["vote_id", "user_id", "choice"]),
        to_result=cast_result,
    ),
    WireCommand(
        "vote.close", v.vote_close,
        object_schema({"vote_id": ID, "casting_vote": {"enum": ["ja", "nej"]}},
                      required=["vote_id"]),
        to_result=with_payload("vote_id", "result", "winner_proposal_id", "kontra"),
    ),
    WireCommand(
        "vote.void", v.vote_void,
        object_schema({"vote_id": ID, "reason": {"type": "string", "minLength": 1,
                                                 "maxLength": 1000}},
                      required=["vote_id", "reason"]),
        to_result=with_payload("vote_id"),
    ),
    WireCommand(
        "decision.record", v.decision_record,
        object_schema({"item_id": ID, "proposal_id": ID, "text": TEXT}, required=["item_id"]),
        to_result=with_payload("decision_id", "paragraph", "year", "kind"),
    ),
    WireCommand(
        "decision.record_procedural", v.decision_record_procedural,
        object_schema({"item_id": ID, "procedure": {"enum": ["agenda", "adjusters",
                                                              "information"]},
                       "text": TEXT}, required=["item_id", "procedure"]),
        to_result=with_payload("decision_id", "paragraph", "year", "kind"),
    ),
    WireCommand(
        "decision.record_election", v.decision_record_election,
        object_schema({"item_id": ID, "vote_id": ID,
                       "office": {"type": "string", "minLength": 1, "maxLength": 500},
                       "term": {"type": "string", "maxLength": 500}, "text": TEXT},
                      required=["item_id", "vote_id", "office"]),
        to_result=with_payload("decision_id", "paragraph", "year", "kind", "elected"),
    ),
    WireCommand(
        "reservation.register", v.reservation_register,
        object_schema({"item_id": ID, "reason_text": TEXT}, required=["item_id"]),
        to_result=with_payload("decision_id", "paragraph"),
    ),
    WireCommand(
        "reservation.reasons_submit", v.reservation_reasons_submit,
        object_schema({"item_id": ID, "reason_text": TEXT}, required=["item_id", "reason_text"]),
    ),
    WireCommand(
        "protocol_note.allow", v.protocol_note_allow,
        object_schema({"item_id": ID, "user_id": ID}, required=["item_id", "user_id"]),
    ),
    WireCommand(
        "protocol_note.add", v.protocol_note_add,
        object_schema({"item_id": ID, "text": TEXT, "user_id": ID}, required=["item_id", "text"]),
        to_result=with_payload("note_id"),
    ),
    WireCommand(
        "vote.status", read_only(selectors.vote_status, "status"),
        object_schema({"vote_id": ID}, required=["vote_id"]), to_result=as_is,
    ),
    WireCommand(
        "vote.receipts", read_only(selectors.secret_receipts, "receipts"),
        object_schema({"vote_id": ID}, required=["vote_id"]), to_result=as_is,
    ),
]
