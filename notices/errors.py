"""Error codes of the notices app (registered with ``meetings.errors`` so the protocol
documentation and every client know them)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _


class NoticeError(StrEnum):
    NOT_SECRETARY = "not_secretary"
    MEETING_NOT_PLANNED = "meeting_not_planned"
    AGENDA_EMPTY = "agenda_empty"
    NOTICE_LATE = "notice_late"
    NOT_SEAT_HOLDER = "not_seat_holder"
    ABSENCE_ALREADY_REPORTED = "absence_already_reported"
    NO_ABSENCE_REPORTED = "no_absence_reported"
    SUBSTITUTE_REQUEST_NOT_FOUND = "substitute_request_not_found"
    NOT_THE_ASKED_SUBSTITUTE = "not_the_asked_substitute"
    SUBSTITUTE_ALREADY_ANSWERED = "substitute_already_answered"
    REMOTE_ALREADY_REQUESTED = "remote_already_requested"
    REMOTE_REQUEST_NOT_FOUND = "remote_request_not_found"
    REMOTE_ALREADY_DECIDED = "remote_already_decided"
    NOT_CHAIR_OR_SECRETARY = "not_chair_or_secretary"


MESSAGES: dict[StrEnum, Any] = {
    NoticeError.NOT_SECRETARY: _("Only the body's secretary may send the notice."),
    NoticeError.MEETING_NOT_PLANNED: _(
        "This can only be done before the meeting has been opened."
    ),
    NoticeError.AGENDA_EMPTY: _("The agenda has no items yet: add them before the notice."),
    NoticeError.NOTICE_LATE: _(
        "The notice is later than the rules require. Confirm that you send it anyway; it "
        "is recorded as late."
    ),
    NoticeError.NOT_SEAT_HOLDER: _("Only a member who holds a seat in the body can do this."),
    NoticeError.ABSENCE_ALREADY_REPORTED: _(
        "You have already reported that you cannot attend this meeting."
    ),
    NoticeError.NO_ABSENCE_REPORTED: _(
        "You have not reported that you cannot attend this meeting; there is nothing to "
        "withdraw."
    ),
    NoticeError.SUBSTITUTE_REQUEST_NOT_FOUND: _("There is no such request to serve."),
    NoticeError.NOT_THE_ASKED_SUBSTITUTE: _(
        "Only the substitute who was asked can answer this request."
    ),
    NoticeError.SUBSTITUTE_ALREADY_ANSWERED: _("This request has already been answered."),
    NoticeError.REMOTE_ALREADY_REQUESTED: _(
        "You have already asked to take part remotely in this meeting."
    ),
    NoticeError.REMOTE_REQUEST_NOT_FOUND: _("There is no such request to take part remotely."),
    NoticeError.REMOTE_ALREADY_DECIDED: _("This request has already been decided."),
    NoticeError.NOT_CHAIR_OR_SECRETARY: _(
        "Only the chair or the secretary may decide on remote participation."
    ),
}
