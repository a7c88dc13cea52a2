"""Event types of the meetings app and the shape of each payload.

The log keeps payloads for ever: a type or key that is not declared here is refused by
``meetings.log.append_events`` (see ``meetings.event_registry``). Change a shape only by
adding optional keys, and keep every reader (minutes fold, stream) able to read old events.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypedDict

from meetings.event_registry import register_event_types


class MeetingEventType(StrEnum):
    ADJUSTERS_CHOSEN = "adjusters.chosen"
    AGENDA_APPROVED = "agenda.approved"
    ATTENDANCE_CHECKED_IN = "attendance.checked_in"
    ATTENDANCE_CHECKED_OUT = "attendance.checked_out"
    ATTENDANCE_CONFIRMED = "attendance.confirmed"
    ITEM_ACTIVATED = "item.activated"
    ITEM_CLOSED = "item.closed"
    MEETING_ADJOURNED = "meeting.adjourned"
    MEETING_OPENED = "meeting.opened"
    MEETING_PAUSED = "meeting.paused"
    MEETING_RESUMED = "meeting.resumed"
    PRESENCE_CONNECTED = "presence.connected"
    PRESENCE_EXPIRED = "presence.expired"
    PRESENCE_LOST = "presence.lost"
    PROPOSAL_MADE = "proposal.made"
    PROPOSAL_WITHDRAWN = "proposal.withdrawn"
    RECUSAL_DECLARED = "recusal.declared"
    RECUSAL_RECORDED = "recusal.recorded"
    RECUSAL_WITHDRAWN = "recusal.withdrawn"
    ROLL_CALL_STARTED = "roll_call.started"
    SPEAKER_DONE = "speaker.done"
    SPEAKER_FLOOR_GIVEN = "speaker.floor_given"
    SPEAKER_REQUESTED = "speaker.requested"
    SPEAKER_WITHDRAWN = "speaker.withdrawn"
    SUBSTITUTE_CALLED_IN = "substitute.called_in"
    SUBSTITUTE_RELEASED = "substitute.released"


class AdjustersChosen(TypedDict):
    adjusters: list[Any]
    item_id: int | None


class AgendaApproved(TypedDict):
    items: list[Any]


class AttendanceCheckedIn(TypedDict):
    user_id: int
    name: str
    role: str
    remote: bool
    confirmed: bool
    item_id: int | None
    quorum: dict[str, Any]
    roster_proposals: list[Any]


class AttendanceCheckedOut(TypedDict):
    user_id: int
    name: str
    stepped_out: bool
    item_id: int | None
    quorum: dict[str, Any]
    roster_proposals: list[Any]


class AttendanceConfirmed(TypedDict):
    users: list[Any]
    item_id: int | None
    quorum: dict[str, Any]
    roster_proposals: list[Any]


class ItemActivated(TypedDict):
    item_id: int
    position: int
    title: str
    confidential: bool
    roster_changes: list[Any]
    roster: list[Any]
    prepared_proposal: dict[str, Any] | None
    quorum: dict[str, Any]
    roster_proposals: list[Any]


class ItemClosed(TypedDict):
    item_id: int
    position: int
    title: str
    confidential: bool
    paragraph: int
    year: int
    roster_changes: list[Any]
    speech_ended: dict[str, Any] | None
    requests_withdrawn: list[Any]
    roster_proposals: list[Any]


class MeetingAdjourned(TypedDict):
    by: str
    at: str


class MeetingOpened(TypedDict):
    by: str
    by_role: str
    at: str
    place: str
    seats: int


class MeetingPaused(TypedDict):
    reason: str
    item_id: int | None


class MeetingResumed(TypedDict):
    item_id: int | None


class PresenceConnected(TypedDict):
    user_id: int
    name: str
    role: str
    connected: bool
    present: bool
    remote: bool
    item_id: int | None


class PresenceExpired(TypedDict):
    user_id: int
    name: str
    role: str
    present: bool
    confirmed: bool
    was_confirmed: bool
    serving: bool
    item_id: int
    quorum: dict[str, Any]
    pauses_meeting: bool


class PresenceLost(TypedDict):
    user_id: int
    name: str
    role: str
    connected: bool
    present: bool
    remote: bool
    item_id: int | None
    grace_seconds: int


class ProposalMade(TypedDict):
    proposal_id: int
    item_id: int
    number: int
    kind: str
    formal: bool
    text: str
    author: dict[str, Any]
    entered_by: dict[str, Any] | None
    withdrawn: bool
    seat: int


class ProposalWithdrawn(TypedDict):
    proposal_id: int
    item_id: int
    number: int
    kind: str
    formal: bool
    text: str
    author: dict[str, Any]
    entered_by: Any
    withdrawn: bool
    by: dict[str, Any]
    by_author: bool


class RecusalDeclared(TypedDict):
    item_id: int
    item_title: str
    active: bool
    user_id: int
    name: str
    role: str
    seat: int | None
    reason: str
    recorded_by: Any
    speech_ended: dict[str, Any] | None
    requests_withdrawn: list[Any]
    quorum: dict[str, Any] | None
    roster_proposals: list[Any] | None


class RecusalRecorded(TypedDict):
    item_id: int
    item_title: str
    active: bool
    user_id: int
    name: str
    role: str
    seat: int
    reason: str
    recorded_by: dict[str, Any]
    speech_ended: Any
    requests_withdrawn: list[Any]
    quorum: dict[str, Any] | None
    roster_proposals: list[Any] | None


class RecusalWithdrawn(TypedDict):
    item_id: int
    item_title: str
    active: bool
    user_id: int
    name: str
    roster_changes: list[Any]
    quorum: dict[str, Any]
    roster_proposals: list[Any]


class RollCallStarted(TypedDict):
    item_id: int | None
    quorum: dict[str, Any]


class SpeakerDone(TypedDict):
    item_id: int
    request_id: int
    user_id: int
    name: str
    kind: str
    requested_seq: int
    started_at: str
    ended_at: str
    duration_seconds: int


class SpeakerFloorGiven(TypedDict):
    item_id: int
    request_id: int
    user_id: int
    name: str
    kind: str
    requested_seq: int
    started_at: str
    ended_at: Any
    duration_seconds: Any
    ended: dict[str, Any] | None
    waiting: int


class SpeakerRequested(TypedDict):
    item_id: int
    request_id: int
    user_id: int
    name: str
    kind: str
    requested_seq: int
    started_at: Any
    ended_at: Any
    duration_seconds: Any
    serving: bool
    seat: int | None
    queue_position: int


class SpeakerWithdrawn(TypedDict):
    item_id: int
    request_id: int
    user_id: int
    name: str
    kind: str
    requested_seq: int
    started_at: Any
    ended_at: Any
    duration_seconds: Any
    by_self: bool


class SubstituteCalledIn(TypedDict):
    item_id: int | None
    only_item_id: int | None
    roster_changes: list[Any]
    quorum: dict[str, Any]
    roster_proposals: list[Any]


class SubstituteReleased(TypedDict):
    item_id: Any
    roster_changes: list[Any]
    quorum: dict[str, Any]
    roster_proposals: list[Any]


PAYLOADS: dict[MeetingEventType, Any] = {
    MeetingEventType.ADJUSTERS_CHOSEN: AdjustersChosen,
    MeetingEventType.AGENDA_APPROVED: AgendaApproved,
    MeetingEventType.ATTENDANCE_CHECKED_IN: AttendanceCheckedIn,
    MeetingEventType.ATTENDANCE_CHECKED_OUT: AttendanceCheckedOut,
    MeetingEventType.ATTENDANCE_CONFIRMED: AttendanceConfirmed,
    MeetingEventType.ITEM_ACTIVATED: ItemActivated,
    MeetingEventType.ITEM_CLOSED: ItemClosed,
    MeetingEventType.MEETING_ADJOURNED: MeetingAdjourned,
    MeetingEventType.MEETING_OPENED: MeetingOpened,
    MeetingEventType.MEETING_PAUSED: MeetingPaused,
    MeetingEventType.MEETING_RESUMED: MeetingResumed,
    MeetingEventType.PRESENCE_CONNECTED: PresenceConnected,
    MeetingEventType.PRESENCE_EXPIRED: PresenceExpired,
    MeetingEventType.PRESENCE_LOST: PresenceLost,
    MeetingEventType.PROPOSAL_MADE: ProposalMade,
    MeetingEventType.PROPOSAL_WITHDRAWN: ProposalWithdrawn,
    MeetingEventType.RECUSAL_DECLARED: RecusalDeclared,
    MeetingEventType.RECUSAL_RECORDED: RecusalRecorded,
    MeetingEventType.RECUSAL_WITHDRAWN: RecusalWithdrawn,
    MeetingEventType.ROLL_CALL_STARTED: RollCallStarted,
    MeetingEventType.SPEAKER_DONE: SpeakerDone,
    MeetingEventType.SPEAKER_FLOOR_GIVEN: SpeakerFloorGiven,
    MeetingEventType.SPEAKER_REQUESTED: SpeakerRequested,
    MeetingEventType.SPEAKER_WITHDRAWN: SpeakerWithdrawn,
    MeetingEventType.SUBSTITUTE_CALLED_IN: SubstituteCalledIn,
    MeetingEventType.SUBSTITUTE_RELEASED: SubstituteReleased,
}


def register() -> None:
    register_event_types(PAYLOADS)
