"""Typed errors that commands raise.

Every refusal has a stable code (documented in docs/protocol.md) and a human message in
Swedish or English. Raising inside a command's transaction rolls it back: nothing is written.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _


class ErrorCode(StrEnum):
    # Input and lookup
    INVALID_ARGUMENT = "invalid_argument"
    MEETING_NOT_FOUND = "meeting_not_found"
    ITEM_NOT_FOUND = "item_not_found"
    USER_NOT_FOUND = "user_not_found"
    COMMAND_ID_CONFLICT = "command_id_conflict"
    # Who may act
    PERMISSION_DENIED = "permission_denied"
    NOT_A_PARTICIPANT = "not_a_participant"
    NOT_SERVING = "not_serving"
    RECUSED = "recused"
    # Meeting state
    MEETING_NOT_OPEN = "meeting_not_open"
    MEETING_ALREADY_OPEN = "meeting_already_open"
    MEETING_ADJOURNED = "meeting_adjourned"
    MEETING_PAUSED = "meeting_paused"
    MEETING_NOT_PAUSED = "meeting_not_paused"
    AGENDA_NOT_APPROVED = "agenda_not_approved"
    AGENDA_ALREADY_APPROVED = "agenda_already_approved"
    ITEM_NOT_ACTIVE = "item_not_active"
    ITEM_ALREADY_ACTIVE = "item_already_active"
    ITEM_CLOSED = "item_closed"
    ANOTHER_ITEM_ACTIVE = "another_item_active"
    NO_QUORUM = "no_quorum"
    SEAT_CHANGE_DURING_ITEM = "seat_change_during_item"


MESSAGES: dict[ErrorCode, Any] = {
    ErrorCode.INVALID_ARGUMENT: _("The request is not valid."),
    ErrorCode.MEETING_NOT_FOUND: _("There is no such meeting."),
    ErrorCode.ITEM_NOT_FOUND: _("There is no such item in this meeting."),
    ErrorCode.USER_NOT_FOUND: _("There is no such person in this meeting."),
    ErrorCode.COMMAND_ID_CONFLICT: _("This command id was already used for another command."),
    ErrorCode.PERMISSION_DENIED: _("You are not allowed to do this."),
    ErrorCode.NOT_A_PARTICIPANT: _("You do not take part in this meeting."),
    ErrorCode.NOT_SERVING: _("Only members who serve on this item may do this."),
    ErrorCode.RECUSED: _("You have declared a conflict of interest (jäv) on this item."),
    ErrorCode.MEETING_NOT_OPEN: _("The meeting is not open."),
    ErrorCode.MEETING_ALREADY_OPEN: _("The meeting is already open."),
    ErrorCode.MEETING_ADJOURNED: _("The meeting has been adjourned."),
    ErrorCode.MEETING_PAUSED: _("The meeting is paused."),
    ErrorCode.MEETING_NOT_PAUSED: _("The meeting is not paused."),
    ErrorCode.AGENDA_NOT_APPROVED: _("The agenda has not been approved yet."),
    ErrorCode.AGENDA_ALREADY_APPROVED: _("The agenda has already been approved."),
    ErrorCode.ITEM_NOT_ACTIVE: _("The item is not being handled now."),
    ErrorCode.ITEM_ALREADY_ACTIVE: _("The item is already being handled."),
    ErrorCode.ITEM_CLOSED: _("The item has already been handled."),
    ErrorCode.ANOTHER_ITEM_ACTIVE: _("Another item is being handled; close it first."),
    ErrorCode.NO_QUORUM: _("The meeting does not have a quorum."),
    ErrorCode.SEAT_CHANGE_DURING_ITEM: _("Who serves may only change between items."),
}


class CommandError(Exception):
    """A command was refused. ``code`` is stable; ``message`` is for people."""

    def __init__(self, code: ErrorCode | str, message: Any = None, **details: Any) -> None:
        self.code = str(code)
        self.message = message if message is not None else MESSAGES.get(ErrorCode(code), code)
        self.details = details
        super().__init__(f"{self.code}: {self.message}")

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "details": self.details}
