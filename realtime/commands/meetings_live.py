"""Wire names for the live-meeting commands: substitutes, jäv, the speaker list, proposals.

Argument schemas are strict (no extra keys, bounded sizes); the domain commands in
``meetings.commands`` make every rule decision. Replies carry the event's ``seq`` and type,
plus the id a client needs for a follow-up command (``request_id``, ``proposal_id``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from meetings import commands as c
from meetings.commands.proposals import MAX_TEXT
from meetings.models import Proposal, SpeakerRequest
from realtime.commands.registry import (
    ID,
    SHORT_TEXT,
    WireCommand,
    event_result,
    object_schema,
)

SEAT_NUMBER = {"type": "integer", "minimum": 1, "maximum": 32767}
SPEAKER_KIND = {"enum": list(SpeakerRequest.Kind.values)}
PROPOSAL_KIND = {"enum": [k for k in Proposal.Kind.values if k != Proposal.Kind.PREPARED]}
PROPOSAL_TEXT = {"type": "string", "maxLength": MAX_TEXT}


def with_payload(*keys: str) -> Callable[[Any], dict]:
    """Reply result: ``seq`` and ``event`` plus these payload keys of the event."""

    def to_result(event: Any) -> dict:
        return {**event_result(event), **{k: event.payload.get(k) for k in keys}}

    return to_result


LIVE_COMMANDS = [
    WireCommand(
        "substitute.call_in", c.substitute_call_in,
        object_schema({"seat_number": SEAT_NUMBER, "user_id": ID},
                      required=["seat_number", "user_id"]),
    ),
    WireCommand(
        "substitute.release", c.substitute_release,
        object_schema({"seat_number": SEAT_NUMBER}, required=["seat_number"]),
    ),
    WireCommand(
        "recusal.declare", c.recusal_declare,
        object_schema({"item_id": ID, "reason": SHORT_TEXT}, required=["item_id"]),
    ),
    WireCommand(
        "recusal.record", c.recusal_record,
        object_schema({"item_id": ID, "user_id": ID, "reason": SHORT_TEXT},
                      required=["item_id", "user_id"]),
    ),
    WireCommand(
        "recusal.withdraw", c.recusal_withdraw,
        object_schema({"item_id": ID, "user_id": ID}, required=["item_id", "user_id"]),
    ),
    WireCommand(
        "presiding.change", c.presiding_change,
        object_schema({"user_id": ID, "reason": {"enum": ["chair_absent", "chair_left",
                                                          "chair_recused"]}},
                      required=["user_id"]),
    ),
    WireCommand(
        "speaker.request", c.speaker_request, object_schema({"kind": SPEAKER_KIND}),
        to_result=with_payload("request_id", "queue_position"),
    ),
    WireCommand(
        "speaker.withdraw", c.speaker_withdraw,
        object_schema({"request_id": ID}, required=["request_id"]),
    ),
    WireCommand(
        "speaker.give_floor", c.speaker_give_floor,
        object_schema({"user_id": {"oneOf": [ID, {"type": "null"}]}}),
        to_result=with_payload("request_id", "user_id"),
    ),
    WireCommand("speaker.done", c.speaker_done, object_schema(),
                to_result=with_payload("request_id", "duration_seconds")),
    WireCommand(
        "speaker.time_add", c.speaker_time_add,
        object_schema({"seconds": {"type": "integer", "minimum": 1, "maximum": 1800}}),
        to_result=with_payload("request_id", "limit_seconds"),
    ),
    WireCommand(
        "proposal.make", c.proposal_make,
        object_schema({"kind": PROPOSAL_KIND, "text": PROPOSAL_TEXT, "on_behalf_of": ID},
                      required=["kind"]),
        to_result=with_payload("proposal_id", "number"),
    ),
    WireCommand(
        "proposal.withdraw", c.proposal_withdraw,
        object_schema({"proposal_id": ID}, required=["proposal_id"]),
    ),
]
