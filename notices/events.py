"""Event types of the time before a meeting and the shape of each payload.

The log keeps payloads for ever: change a shape only by adding optional keys (a
``total=False`` subclass), and keep every reader able to read old events.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypedDict

from meetings.event_registry import register_event_types
from meetings.refs import PersonRef


class NoticeEventType(StrEnum):
    NOTICE_SENT = "notice.sent"
    ABSENCE_REPORTED = "absence.reported"
    ABSENCE_WITHDRAWN = "absence.withdrawn"
    SUBSTITUTE_ASKED = "substitute.asked"
    SUBSTITUTE_ANSWERED = "substitute.answered"
    SUBSTITUTE_NONE_LEFT = "substitute.none_left"
    REMOTE_REQUESTED = "remote.requested"
    REMOTE_DECIDED = "remote.decided"


class NoticeItem(TypedDict):
    """One agenda item as the notice listed it (a confidential item's title is kept in the
    log, which only the meeting's people read; the mail and the public notice hide it)."""

    item_id: int
    position: int
    title: str
    case_number: str
    presenter: str
    confidential: bool
    prepared_proposal: str
    attachments: list[int]


class NoticeRecipient(TypedDict):
    user_id: int
    name: str
    # Whether the person had an address (listed, not mailed, without one). The address
    # itself is not logged: the log is kept for ever and read by every participant.
    mailed: bool
    role: str  # "member" | "substitute"


class NoticeSent(TypedDict):
    sequence: int  # 0 for the first notice; the calendar event's SEQUENCE
    amended: bool  # an ändrad kallelse after the agenda changed
    starts_at: str
    ends_at: str
    place: str
    video_link: str
    items: list[NoticeItem]
    recipients: list[NoticeRecipient]
    public_notice: bool  # a kungörelse on the notice board (public meeting)
    days_before: int
    required_days: int
    late: bool  # sent later than required_days before; the secretary confirmed it


class AbsenceReported(TypedDict):
    seat: int
    member: PersonRef


class ReleasedSubstitute(TypedDict):
    request_id: int
    substitute: PersonRef
    accepted: bool  # had accepted (False: asked, no answer yet)


class AbsenceWithdrawn(TypedDict):
    """The member can come after all (before the meeting opens): the förhinder is withdrawn
    and the substitutes asked or arranged for the seat are released."""

    seat: int
    member: PersonRef
    released: list[ReleasedSubstitute]


class SubstituteAsked(TypedDict):
    request_id: int
    seat: int
    substitute: PersonRef
    call_in_order: int
    party: str
    for_member: PersonRef


class SubstituteAnswered(TypedDict):
    request_id: int
    seat: int
    substitute: PersonRef
    accepted: bool
    for_member: PersonRef


class SubstituteNoneLeft(TypedDict):
    seat: int
    for_member: PersonRef


class RemoteRequested(TypedDict):
    request_id: int
    user: PersonRef


class RemoteDecided(TypedDict):
    request_id: int
    user: PersonRef
    approved: bool
    by: PersonRef
    reason: str
    ruleset: str


PAYLOADS: dict[NoticeEventType, Any] = {
    NoticeEventType.NOTICE_SENT: NoticeSent,
    NoticeEventType.ABSENCE_REPORTED: AbsenceReported,
    NoticeEventType.ABSENCE_WITHDRAWN: AbsenceWithdrawn,
    NoticeEventType.SUBSTITUTE_ASKED: SubstituteAsked,
    NoticeEventType.SUBSTITUTE_ANSWERED: SubstituteAnswered,
    NoticeEventType.SUBSTITUTE_NONE_LEFT: SubstituteNoneLeft,
    NoticeEventType.REMOTE_REQUESTED: RemoteRequested,
    NoticeEventType.REMOTE_DECIDED: RemoteDecided,
}


def register() -> None:
    register_event_types(PAYLOADS)
