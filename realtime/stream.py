"""What each audience's stream carries for a logged event, rendered once to text.

Every committed event is rendered here once per audience, in the thread that committed it, and
travels through the channel layer as finished text: no socket ever encodes JSON for an event.

An event reaches an audience in one of three ways:

- **streamed**: an ``event`` frame of its own (most events);
- **summarised**: high-rate events (a ballot cast, a connection coming or going) are not sent
  one by one. They only move a counter, so the next ``progress`` frame carries the new count
  (at most a few frames a second per meeting, however many ballots arrive);
- **skipped**: what the audience may not see (``meetings.visibility`` redacts it) only moves
  the stream's ``seq``, which the next ``progress`` frame reports.

So a client's frames have increasing ``seq`` but not every ``seq``: "am I current?" is answered
by the ``seq`` of the last ``event`` or ``progress`` frame. The log keeps every event in full.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from meetings.events import MeetingEventType
from meetings.models import MeetingEvent
from meetings.visibility import AUDIENCES, PARTICIPANTS, REDACTED, Visible, visible_event
from minutes.events import MinutesEventType
from realtime.protocol import VERSION, dumps
from voting.events import VotingEventType

MESSAGE_TYPE = "meeting.events"  # the channel-layer message the hub (realtime.hub) takes in

Summary = dict[str, Any]


def _vote_count(data: dict[str, Any], audience: str) -> Summary:
    return {"votes": {str(data["vote_id"]): {
        "vote_id": data["vote_id"], "cast": data["cast"],
        "eligible_count": data["eligible_count"]}}}


def _presence(data: dict[str, Any], audience: str) -> Summary:
    return {"presence": True} if audience == PARTICIPANTS else {}


#: Event types summarised in progress frames instead of streamed, and their summary.
SUMMARISED: dict[str, Callable[[dict[str, Any], str], Summary]] = {
    VotingEventType.BALLOT_CAST: _vote_count,
    MeetingEventType.PRESENCE_CONNECTED: _presence,
    MeetingEventType.PRESENCE_LOST: _presence,
}


def _vote_opened(data: dict[str, Any], audience: str) -> dict[str, Any]:
    """The log keeps every eligible voter's name and seat (the minutes need them); on the wire
    a participant's client only needs to know whether it may vote, and the public the count."""
    slim = {k: v for k, v in data.items() if k != "eligible"}
    if audience == PARTICIPANTS:
        slim["eligible_user_ids"] = [_user_id_of(row) for row in data.get("eligible", [])]
    return slim


def _user_id_of(row: list[Any] | dict[str, Any]) -> int:
    """A ``vote.opened`` eligible row (``voting.events.EligibleRow``); events logged before
    the rows were introduced carry objects instead."""
    return row["user_id"] if isinstance(row, dict) else row[0]


def _vote_closed(data: dict[str, Any], audience: str) -> dict[str, Any]:
    """An open vote's roll call (every voter's name and choice) is in the log, the minutes,
    the page state and ``vote.status``; pushing it to every screen at once cost a hundred
    kilobytes per socket at a thousand seats. The wire keeps the counts and the outcome."""
    result = data.get("result")
    if not isinstance(result, dict) or "ballots" not in result:
        return data
    return {**data, "result": {k: v for k, v in result.items() if k != "ballots"}}


def _without_addresses(data: dict[str, Any], audience: str) -> dict[str, Any]:
    """Recipients' e-mail addresses (expediering) are in the log, the dispatch record and the
    archive package; they are not pushed to every participant's screen."""
    rows = data.get("recipients")
    if not isinstance(rows, list):
        return data
    return {**data, "recipients": [
        {k: v for k, v in row.items() if k != "email"} if isinstance(row, dict) else row
        for row in rows]}


#: Event types whose wire form is smaller than their logged payload.
SLIMMED: dict[str, Callable[[dict[str, Any], str], dict[str, Any]]] = {
    VotingEventType.VOTE_OPENED: _vote_opened,
    VotingEventType.VOTE_CLOSED: _vote_closed,
    MinutesEventType.MINUTES_RECIPIENTS_SET: _without_addresses,
    MinutesEventType.MINUTES_EXTRACT_DISPATCHED: _without_addresses,
}


def _visible(event: MeetingEvent, audience: str, confidential: Iterable[int]) -> Visible:
    """Slimmed first, then the audience's visibility rule: the rule then walks the slim
    payload (at a thousand seats, ``vote.opened``'s eligible list is most of the logged one)."""
    slim = SLIMMED.get(event.type)
    payload = slim(event.payload, audience) if slim else event.payload
    return visible_event(event.type, payload, audience, confidential)


def _frame(event: MeetingEvent, visible: Visible) -> dict | None:
    if visible.type == REDACTED or visible.type in SUMMARISED:
        return None
    return {
        "v": VERSION,
        "type": "event",
        "meeting": event.meeting_id,
        "seq": event.seq,
        "event": visible.type,
        "at": event.at.isoformat(),
        "data": visible.data,
    }


def event_frame(event: MeetingEvent, audience: str, confidential: Iterable[int]) -> dict | None:
    """The event frame ``audience`` gets, or None when the event is not streamed to it."""
    return _frame(event, _visible(event, audience, confidential))


def rendered(event: MeetingEvent, confidential: Iterable[int]) -> dict[str, Any]:
    """``event`` as every audience's stream carries it: per audience, the frame text or None,
    and what a non-streamed event adds to the progress frame."""
    confidential = frozenset(confidential)
    texts: dict[str, str | None] = {}
    summaries: dict[str, Summary] = {}
    for audience in AUDIENCES:
        visible = _visible(event, audience, confidential)
        frame = _frame(event, visible)
        texts[audience] = dumps(frame) if frame is not None else None
        summarise = SUMMARISED.get(visible.type) if frame is None else None
        summaries[audience] = summarise(visible.data, audience) if summarise else {}
    return {"seq": event.seq, "event": event.type, "texts": texts, "summaries": summaries}


def layer_message(meeting_id: int, entries: list[dict[str, Any]]) -> dict[str, Any]:
    """The one channel-layer message for the events one transaction committed (a vote storm's
    batch of ballots is one message, not a thousand)."""
    return {"type": MESSAGE_TYPE, "meeting": meeting_id, "events": entries}


def merge_summary(into: Summary, summary: Summary) -> None:
    """Fold one event's summary into a pending progress frame (latest count wins)."""
    for key, count in summary.get("votes", {}).items():
        known = into.setdefault("votes", {}).get(key)
        if known is None or count["cast"] >= known["cast"]:
            into["votes"][key] = count
    if summary.get("presence"):
        into["presence"] = True


def progress_frame(meeting_id: int, seq: int, summary: Summary) -> str:
    """The ``progress`` frame: the stream is current up to ``seq``; counts that moved."""
    data: dict[str, Any] = {"votes": sorted(summary.get("votes", {}).values(),
                                            key=lambda c: c["vote_id"])}
    if summary.get("presence"):
        data["presence"] = True
    return dumps({"v": VERSION, "type": "progress", "meeting": meeting_id, "seq": seq,
                  "data": data})

