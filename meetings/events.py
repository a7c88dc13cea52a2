"""Event types of the meetings app and the shape of each payload.

The log keeps payloads for ever: a type or key that is not declared here is refused by
``meetings.log.append_events`` (see ``meetings.event_registry``). Change a shape only by
adding optional keys, and keep every reader (minutes fold, stream, replay) able to read old
events. Declare optional keys in a ``total=False`` subclass: with ``from __future__ import
annotations`` a ``NotRequired[...]`` annotation is a string, which ``TypedDict`` counts as
required (``register_event_types`` refuses such a shape).

The small shapes nested in payloads (quorum, roster rows and changes, speech references) are
declared here too, once, and the functions that build them (``Quorum.as_dict``,
``roster_change``, ``request_ref``, ...) return them, so mypy checks every payload whole.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypedDict

from meetings.agenda_events import (
    AgendaAttachmentAdded,
    AgendaAttachmentRemoved,
    AgendaItemAdded,
    AgendaItemChanged,
    AgendaItemRef,
    AgendaItemRemoved,
    AgendaReordered,
    ApprovedItem,
    CaseKeys,
)
from meetings.event_registry import register_event_types
from meetings.refs import PersonRef, ProposalRef

__all__ = [
    "AgendaAttachmentAdded", "AgendaAttachmentRemoved", "AgendaItemAdded", "AgendaItemChanged",
    "AgendaItemRef", "AgendaItemRemoved", "AgendaReordered", "ApprovedItem", "CaseKeys",
]


class MeetingEventType(StrEnum):
    ADJUSTERS_CHOSEN = "adjusters.chosen"
    AGENDA_APPROVED = "agenda.approved"
    # The agenda's history before the meeting opens (meetings.setup.agenda).
    AGENDA_ITEM_ADDED = "agenda.item_added"
    AGENDA_ITEM_CHANGED = "agenda.item_changed"
    AGENDA_ITEM_REMOVED = "agenda.item_removed"
    AGENDA_REORDERED = "agenda.reordered"
    AGENDA_ATTACHMENT_ADDED = "agenda.attachment_added"
    AGENDA_ATTACHMENT_REMOVED = "agenda.attachment_removed"
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
    PRESIDING_CHANGED = "presiding.changed"
    PROPOSAL_MADE = "proposal.made"
    PROPOSAL_WITHDRAWN = "proposal.withdrawn"
    RECUSAL_DECLARED = "recusal.declared"
    RECUSAL_RECORDED = "recusal.recorded"
    RECUSAL_WITHDRAWN = "recusal.withdrawn"
    ROLL_CALL_STARTED = "roll_call.started"
    SPEAKER_DONE = "speaker.done"
    SPEAKER_FLOOR_GIVEN = "speaker.floor_given"
    SPEAKER_REQUESTED = "speaker.requested"
    SPEAKER_TIME_ADDED = "speaker.time_added"
    SPEAKER_WITHDRAWN = "speaker.withdrawn"
    SUBSTITUTE_CALLED_IN = "substitute.called_in"
    SUBSTITUTE_RELEASED = "substitute.released"


# --- Shapes nested in payloads -------------------------------------------------------------


class QuorumCounts(TypedDict):
    """``Quorum.as_dict()``: seats, how many serve and are present, how many are needed."""

    seats: int
    serving_present: int
    required: int
    reached: bool


#: One entry of ``roster_changes`` (``meetings.roster.roster_change``); ``from`` is a keyword,
#: hence the functional form. ``to`` is None when a seat is left vacant.
RosterChange = TypedDict(
    "RosterChange",
    {"seat": int, "from": PersonRef | None, "to": PersonRef | None, "reason": str},
)


class RosterRow(TypedDict):
    """Who serves one seat (``ServingSeat.as_dict``), as ``item.activated`` lists them."""

    seat: int
    party: str
    weight: int
    user_id: int | None
    name: str
    substitute: bool
    present: bool
    recused: bool


class RosterProposalRow(TypedDict):
    """A seat that needs a substitute and whom the rules propose (``RosterProposal.as_dict``)."""

    seat_number: int
    party: str
    reason: str
    current_user_id: int | None
    current_name: str
    substitute_user_id: int | None
    substitute_name: str
    substitute_party: str
    change_allowed_now: bool


class SpeechRef(TypedDict):
    """A request to speak (``meetings.commands.speakers.request_ref``), with its times if any."""

    request_id: int
    user_id: int
    name: str
    kind: str
    requested_seq: int
    started_at: str | None
    ended_at: str | None
    duration_seconds: int | None


class ClearedRequests(TypedDict):
    """What ``clear_requests`` ended: the running speech and the withdrawn request ids."""

    speech_ended: SpeechRef | None
    requests_withdrawn: list[int]


class SpeakerStanding(TypedDict):
    """How a speaker takes part: serving a seat (and which) or not."""

    serving: bool
    seat: int | None


class ConfirmedAttendee(PersonRef):
    remote: bool


# --- Payloads, one per event type ----------------------------------------------------------


class AdjustersChosen(TypedDict):
    adjusters: list[PersonRef]
    item_id: int | None


class AgendaApproved(TypedDict):
    items: list[ApprovedItem]


class RemoteConfirmation(TypedDict, total=False):
    """Under ``chair_ensures`` (prop. 2025/26:164) confirming a remote participant is the
    presiding person's act. Not in logs written before it, nor for in-room participants."""

    #: The presiding person in whose name a remote participant was confirmed.
    confirmed_by: PersonRef | None
    #: The presiding person, when the secretary performed the act as their clerk.
    on_behalf_of: PersonRef | None


class _AttendanceCheckedInRequired(TypedDict):
    user_id: int
    name: str
    role: str
    remote: bool
    confirmed: bool
    item_id: int | None
    quorum: QuorumCounts
    roster_proposals: list[RosterProposalRow]


class AttendanceCheckedIn(_AttendanceCheckedInRequired, RemoteConfirmation, total=False):
    pass


class AttendanceCheckedOut(TypedDict):
    user_id: int
    name: str
    stepped_out: bool
    item_id: int | None
    quorum: QuorumCounts
    roster_proposals: list[RosterProposalRow]


class _AttendanceConfirmedRequired(TypedDict):
    users: list[ConfirmedAttendee]
    item_id: int | None
    quorum: QuorumCounts
    roster_proposals: list[RosterProposalRow]


class AttendanceConfirmed(_AttendanceConfirmedRequired, RemoteConfirmation, total=False):
    pass


class _ItemActivatedRequired(AgendaItemRef):
    roster_changes: list[RosterChange]
    #: Who serves each seat as the item starts, so the minutes can list it per item.
    roster: list[RosterRow]
    prepared_proposal: ProposalRef | None
    quorum: QuorumCounts
    roster_proposals: list[RosterProposalRow]


class ItemActivated(_ItemActivatedRequired, CaseKeys, total=False):
    pass


class _ItemClosedRequired(AgendaItemRef):
    paragraph: int
    year: int
    roster_changes: list[RosterChange]
    speech_ended: SpeechRef | None
    requests_withdrawn: list[int]
    roster_proposals: list[RosterProposalRow]


class ItemClosed(_ItemClosedRequired, total=False):
    no_decision_reason: str  # closed without a decision, and why (issue 12; older logs lack it)


class MeetingAdjourned(TypedDict):
    by: str
    at: str


class _MeetingOpenedRequired(TypedDict):
    by: str
    by_role: str
    at: str
    place: str
    seats: int


class MeetingOpened(_MeetingOpenedRequired, total=False):
    #: Who serves each seat as the meeting opens (every member, absent until checked in), so
    #: the log alone says who served before the first item. Not in logs written before it.
    roster: list[RosterRow]
    #: The body's remote ruleset (``Body.RemoteRuleset``) the meeting is held under, so the
    #: minutes can name it. Not in logs written before it.
    remote_ruleset: str


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
    item_id: int | None
    quorum: QuorumCounts
    pauses_meeting: bool


class PresidingChanged(TypedDict):
    """Who presides from now on (meetings.presiding); ``reason``: chair_absent, chair_left,
    chair_recused, or chair_returned when the chair takes the gavel back."""

    user_id: int
    name: str
    office: str
    reason: str
    previous: PersonRef | None
    item_id: int | None


class PresenceLost(TypedDict):
    user_id: int
    name: str
    role: str
    connected: bool
    present: bool
    remote: bool
    item_id: int | None
    grace_seconds: int


class ProposalMade(ProposalRef):
    #: The seat the author serves.
    seat: int


class ProposalWithdrawn(ProposalRef):
    by: PersonRef | None
    by_author: bool


class RecusalDeclared(TypedDict):
    """Jäv declared by the person (``recorded_by`` None) or recorded by the secretary.

    On a pending item ``speech_ended`` is None, ``requests_withdrawn`` empty and ``quorum``
    and ``roster_proposals`` None: they change only when the item is the active one.
    """

    item_id: int
    item_title: str
    active: bool
    user_id: int
    name: str
    role: str
    seat: int | None
    reason: str
    recorded_by: PersonRef | None
    speech_ended: SpeechRef | None
    requests_withdrawn: list[int]
    quorum: QuorumCounts | None
    roster_proposals: list[RosterProposalRow] | None


#: ``recusal.recorded`` has the very shape of ``recusal.declared``.
RecusalRecorded = RecusalDeclared


class RecusalWithdrawn(TypedDict):
    item_id: int
    item_title: str
    active: bool
    user_id: int
    name: str
    roster_changes: list[RosterChange]
    quorum: QuorumCounts | None
    roster_proposals: list[RosterProposalRow] | None


class RollCallStarted(TypedDict):
    item_id: int | None
    quorum: QuorumCounts


class SpeakerDone(SpeechRef):
    item_id: int


class SpeakerFloorGiven(SpeechRef):
    item_id: int
    #: The speech this one ended, if someone still had the floor.
    ended: SpeechRef | None
    waiting: int


class SpeakerTimeAdded(TypedDict):
    """The presiding person gave the speaker more time (talartid): ``seconds`` now, and
    ``extra_seconds`` added to this speech in all, so the limit is the body's plus that."""

    item_id: int
    request_id: int
    user_id: int
    name: str
    seconds: int
    extra_seconds: int
    limit_seconds: int
    by: str


class SpeakerRequested(SpeechRef, SpeakerStanding):
    item_id: int
    queue_position: int


class SpeakerWithdrawn(SpeechRef):
    item_id: int
    by_self: bool


class SubstituteCalledIn(TypedDict):
    item_id: int | None
    only_item_id: int | None
    roster_changes: list[RosterChange]
    quorum: QuorumCounts
    roster_proposals: list[RosterProposalRow]


class SubstituteReleased(TypedDict):
    #: Always None: seats are released only between items.
    item_id: None
    roster_changes: list[RosterChange]
    quorum: QuorumCounts
    roster_proposals: list[RosterProposalRow]


PAYLOADS: dict[StrEnum, Any] = {
    MeetingEventType.ADJUSTERS_CHOSEN: AdjustersChosen,
    MeetingEventType.AGENDA_APPROVED: AgendaApproved,
    MeetingEventType.AGENDA_ITEM_ADDED: AgendaItemAdded,
    MeetingEventType.AGENDA_ITEM_CHANGED: AgendaItemChanged,
    MeetingEventType.AGENDA_ITEM_REMOVED: AgendaItemRemoved,
    MeetingEventType.AGENDA_REORDERED: AgendaReordered,
    MeetingEventType.AGENDA_ATTACHMENT_ADDED: AgendaAttachmentAdded,
    MeetingEventType.AGENDA_ATTACHMENT_REMOVED: AgendaAttachmentRemoved,
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
    MeetingEventType.PRESIDING_CHANGED: PresidingChanged,
    MeetingEventType.PROPOSAL_MADE: ProposalMade,
    MeetingEventType.PROPOSAL_WITHDRAWN: ProposalWithdrawn,
    MeetingEventType.RECUSAL_DECLARED: RecusalDeclared,
    MeetingEventType.RECUSAL_RECORDED: RecusalRecorded,
    MeetingEventType.RECUSAL_WITHDRAWN: RecusalWithdrawn,
    MeetingEventType.ROLL_CALL_STARTED: RollCallStarted,
    MeetingEventType.SPEAKER_DONE: SpeakerDone,
    MeetingEventType.SPEAKER_FLOOR_GIVEN: SpeakerFloorGiven,
    MeetingEventType.SPEAKER_TIME_ADDED: SpeakerTimeAdded,
    MeetingEventType.SPEAKER_REQUESTED: SpeakerRequested,
    MeetingEventType.SPEAKER_WITHDRAWN: SpeakerWithdrawn,
    MeetingEventType.SUBSTITUTE_CALLED_IN: SubstituteCalledIn,
    MeetingEventType.SUBSTITUTE_RELEASED: SubstituteReleased,
}


def register() -> None:
    register_event_types(PAYLOADS)
