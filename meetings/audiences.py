"""What the live-meeting events and state look like to each audience.

``register()`` (called from ``MeetingsConfig.ready``) declares the public shape of the roster, jäv,
speaker-list and proposal events with ``meetings.visibility`` and adds the speaker list,
the proposals and the roster proposals to the snapshot (``meetings.snapshot``). The public
never sees anything about a confidential item, nor the reason someone gave for jäv.
"""

from __future__ import annotations

from typing import Any

from meetings.commands.proposals import item_proposals
from meetings.commands.speakers import (
    current_speech,
    request_ref,
    speaker_queue,
    speaking_limit,
)
from meetings.events import MeetingEventType as E
from meetings.events import RosterProposalRow
from meetings.models import AgendaItem, Meeting
from meetings.refs import ProposalRef, proposal_ref
from meetings.roster import roster_proposals
from meetings.snapshot import register_section
from meetings.visibility import (
    PUBLIC,
    register_core_events,
    register_public_event,
    strip_connection_details,
)


def _recusal_public(payload: dict[str, Any], confidential: frozenset[int]) -> dict | None:
    """The public sees that someone is recused, not why (the reason may be personal)."""
    data = strip_connection_details(payload, confidential)
    if data is not None:
        data.pop("reason", None)
    return data




def _visible_active_item(meeting: Meeting, audience: str) -> AgendaItem | None:
    item = meeting.active_item
    if item is None or (audience == PUBLIC and item.confidential):
        return None
    return item


def speakers_section(meeting: Meeting, audience: str) -> dict[str, Any] | None:
    """The active item's speaker list: who has the floor (with the speaking-time limit of the
    speech, if the body has one) and the queue in floor order."""
    item = _visible_active_item(meeting, audience)
    if item is None:
        return None
    speech = current_speech(item)
    body_limit = meeting.body.speaking_time_seconds
    return {
        "item_id": item.pk,
        "limit_seconds": body_limit or None,
        "current": {**request_ref(speech), "limit_seconds": speaking_limit(speech, body_limit)}
        if speech else None,
        "queue": [request_ref(r) for r in speaker_queue(item)],
    }


def proposals_section(meeting: Meeting, audience: str) -> list[ProposalRef]:
    """The active item's proposals that are not withdrawn, in number order."""
    item = _visible_active_item(meeting, audience)
    return [] if item is None else [proposal_ref(p) for p in item_proposals(item)]


def roster_proposals_section(meeting: Meeting, audience: str) -> list[RosterProposalRow]:
    """Seats that need a substitute and whom the rules propose (for the secretary's screen)."""
    if audience == PUBLIC:
        return []
    return [p.as_dict() for p in roster_proposals(meeting)]


def register() -> None:
    register_core_events()
    for event_type in (
        E.SUBSTITUTE_CALLED_IN, E.SUBSTITUTE_RELEASED, E.RECUSAL_WITHDRAWN,
        E.SPEAKER_REQUESTED, E.SPEAKER_WITHDRAWN, E.SPEAKER_FLOOR_GIVEN, E.SPEAKER_DONE,
        E.SPEAKER_TIME_ADDED,
        E.PROPOSAL_MADE, E.PROPOSAL_WITHDRAWN,
    ):
        register_public_event(event_type)
    register_public_event(E.RECUSAL_DECLARED, _recusal_public)
    register_public_event(E.RECUSAL_RECORDED, _recusal_public)
    register_section("speakers", speakers_section)
    register_section("proposals", proposals_section)
    register_section("roster_proposals", roster_proposals_section)
