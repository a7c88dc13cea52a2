"""Typed errors that commands raise.

Every refusal has a stable code (documented in docs/protocol.md) and a human message in
Swedish or English. Raising inside a command's transaction rolls it back: nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    NOT_PRESIDING = "not_presiding"
    PRESIDING_HANDOVER_REQUIRED = "presiding_handover_required"
    PRESIDING_NOT_ALLOWED = "presiding_not_allowed"
    # Meeting state
    MEETING_NOT_OPEN = "meeting_not_open"
    MEETING_ALREADY_OPEN = "meeting_already_open"
    MEETING_ADJOURNED = "meeting_adjourned"
    MEETING_PAUSED = "meeting_paused"
    MEETING_NOT_PAUSED = "meeting_not_paused"
    AGENDA_NOT_APPROVED = "agenda_not_approved"
    AGENDA_ALREADY_APPROVED = "agenda_already_approved"
    ITEM_NOT_ACTIVE = "item_not_active"
    ITEM_DECISION_MISSING = "item_decision_missing"
    ITEM_ALREADY_ACTIVE = "item_already_active"
    ITEM_CLOSED = "item_closed"
    ANOTHER_ITEM_ACTIVE = "another_item_active"
    NO_QUORUM = "no_quorum"
    SEAT_CHANGE_DURING_ITEM = "seat_change_during_item"
    # Seats, substitutes and jäv
    NOT_PRESENT = "not_present"
    SEAT_NOT_FOUND = "seat_not_found"
    SEAT_OCCUPIED = "seat_occupied"
    SEAT_NOT_SUBSTITUTED = "seat_not_substituted"
    NOT_A_SUBSTITUTE = "not_a_substitute"
    NO_SUBSTITUTES = "no_substitutes"
    ALREADY_SERVING = "already_serving"
    STEPPED_OUT = "stepped_out"
    ALREADY_RECUSED = "already_recused"
    NOT_RECUSED = "not_recused"
    # Speaker list
    SPEAKING_NOT_ALLOWED = "speaking_not_allowed"
    ALREADY_REQUESTED = "already_requested"
    SPEAKER_REQUEST_NOT_FOUND = "speaker_request_not_found"
    REQUEST_NOT_WAITING = "request_not_waiting"
    SPEAKER_LIST_EMPTY = "speaker_list_empty"
    NOBODY_SPEAKING = "nobody_speaking"
    NO_SPEAKING_TIME_LIMIT = "no_speaking_time_limit"
    # Proposals
    PROPOSAL_NOT_FOUND = "proposal_not_found"
    PROPOSAL_WITHDRAWN = "proposal_withdrawn"
    PROPOSAL_NOT_WITHDRAWABLE = "proposal_not_withdrawable"
    TOO_MANY_PROPOSALS = "too_many_proposals"
    # Setting up bodies, people, meetings and agendas (meetings.setup)
    BODY_NOT_FOUND = "body_not_found"
    PERSON_NOT_FOUND = "person_not_found"
    SUBSTITUTE_NOT_FOUND = "substitute_not_found"
    OFFICE_NOT_FOUND = "office_not_found"
    ATTACHMENT_NOT_FOUND = "attachment_not_found"
    NAME_TAKEN = "name_taken"
    SEAT_NUMBER_TAKEN = "seat_number_taken"
    ALREADY_SEATED = "already_seated"
    ALREADY_A_SUBSTITUTE = "already_a_substitute"
    OFFICE_TAKEN = "office_taken"
    SEAT_IN_USE = "seat_in_use"
    BODY_IN_SESSION = "body_in_session"
    REMOTE_NOT_ALLOWED = "remote_not_allowed"
    AGENDA_FIXED = "agenda_fixed"
    CLOSED_ITEMS_LAST = "closed_items_last"
    ATTACHMENT_TOO_LARGE = "attachment_too_large"
    ATTACHMENT_TYPE_NOT_ALLOWED = "attachment_type_not_allowed"


MESSAGES: dict[StrEnum, Any] = {
    ErrorCode.INVALID_ARGUMENT: _("The request is not valid."),
    ErrorCode.MEETING_NOT_FOUND: _("There is no such meeting."),
    ErrorCode.ITEM_NOT_FOUND: _("There is no such item in this meeting."),
    ErrorCode.USER_NOT_FOUND: _("There is no such person in this meeting."),
    ErrorCode.COMMAND_ID_CONFLICT: _("This command id was already used for another command."),
    ErrorCode.PERMISSION_DENIED: _("You are not allowed to do this."),
    ErrorCode.NOT_A_PARTICIPANT: _("You do not take part in this meeting."),
    ErrorCode.NOT_SERVING: _("Only members who serve on this item may do this."),
    ErrorCode.RECUSED: _("You have declared a conflict of interest (jäv) on this item."),
    ErrorCode.NOT_PRESIDING: _(
        "Only the person presiding (or the secretary on their behalf) may do this."
    ),
    ErrorCode.PRESIDING_HANDOVER_REQUIRED: _(
        "The person presiding may not lead this item now (the chair is absent, back or "
        "recused): the secretary must hand over who presides first."
    ),
    ErrorCode.PRESIDING_NOT_ALLOWED: _(
        "This person may not preside now: the chair presides unless absent or recused, then "
        "the vice chairs in order (or the person the body's rules name), present and not "
        "recused."
    ),
    ErrorCode.MEETING_NOT_OPEN: _("The meeting is not open."),
    ErrorCode.MEETING_ALREADY_OPEN: _("The meeting is already open."),
    ErrorCode.MEETING_ADJOURNED: _("The meeting has been adjourned."),
    ErrorCode.MEETING_PAUSED: _("The meeting is paused."),
    ErrorCode.MEETING_NOT_PAUSED: _("The meeting is not paused."),
    ErrorCode.AGENDA_NOT_APPROVED: _("The agenda has not been approved yet."),
    ErrorCode.AGENDA_ALREADY_APPROVED: _("The agenda has already been approved."),
    ErrorCode.ITEM_NOT_ACTIVE: _("The item is not being handled now."),
    ErrorCode.ITEM_DECISION_MISSING: _(
        "The item has no recorded decision: record it, or close the item without a decision "
        "and say why."
    ),
    ErrorCode.ITEM_ALREADY_ACTIVE: _("The item is already being handled."),
    ErrorCode.ITEM_CLOSED: _("The item has already been handled."),
    ErrorCode.ANOTHER_ITEM_ACTIVE: _("Another item is being handled; close it first."),
    ErrorCode.NO_QUORUM: _("The meeting does not have a quorum."),
    ErrorCode.SEAT_CHANGE_DURING_ITEM: _("Who serves may only change between items."),
    ErrorCode.NOT_PRESENT: _("Only members who are present (and confirmed) may do this."),
    ErrorCode.SEAT_NOT_FOUND: _("There is no such seat in this body."),
    ErrorCode.SEAT_OCCUPIED: _("The seat is served by someone who is present."),
    ErrorCode.SEAT_NOT_SUBSTITUTED: _("No substitute serves this seat."),
    ErrorCode.NOT_A_SUBSTITUTE: _("This person is not a substitute (ersättare) of the body."),
    ErrorCode.NO_SUBSTITUTES: _("This body has no substitutes."),
    ErrorCode.ALREADY_SERVING: _("This person already serves a seat."),
    ErrorCode.STEPPED_OUT: _(
        "This person left the meeting while serving and may not serve again at this meeting."
    ),
    ErrorCode.ALREADY_RECUSED: _("A conflict of interest (jäv) is already recorded."),
    ErrorCode.NOT_RECUSED: _("No conflict of interest (jäv) is recorded for this person."),
    ErrorCode.SPEAKING_NOT_ALLOWED: _("You may not ask to speak in this meeting."),
    ErrorCode.ALREADY_REQUESTED: _("You are already on the speaker list."),
    ErrorCode.SPEAKER_REQUEST_NOT_FOUND: _("There is no such request to speak."),
    ErrorCode.REQUEST_NOT_WAITING: _("The request to speak is no longer waiting."),
    ErrorCode.SPEAKER_LIST_EMPTY: _("Nobody is waiting to speak."),
    ErrorCode.NOBODY_SPEAKING: _("Nobody has the floor."),
    ErrorCode.NO_SPEAKING_TIME_LIMIT: _(
        "This body has no speaking-time limit, so there is no time to add."
    ),
    ErrorCode.PROPOSAL_NOT_FOUND: _("There is no such proposal on the current item."),
    ErrorCode.PROPOSAL_WITHDRAWN: _("The proposal has already been withdrawn."),
    ErrorCode.PROPOSAL_NOT_WITHDRAWABLE: _("The prepared proposal cannot be withdrawn."),
    ErrorCode.TOO_MANY_PROPOSALS: _(
        "This member already has as many proposals on this item as allowed; withdraw one "
        "first."
    ),
    ErrorCode.BODY_NOT_FOUND: _("There is no such body."),
    ErrorCode.PERSON_NOT_FOUND: _("There is no such person."),
    ErrorCode.SUBSTITUTE_NOT_FOUND: _("There is no such substitute (ersättare) in this body."),
    ErrorCode.OFFICE_NOT_FOUND: _("There is no such office in this body."),
    ErrorCode.ATTACHMENT_NOT_FOUND: _("There is no such attachment on this item."),
    ErrorCode.NAME_TAKEN: _("Another body already has this name."),
    ErrorCode.SEAT_NUMBER_TAKEN: _("The body already has a seat with this number."),
    ErrorCode.ALREADY_SEATED: _("This person already holds a seat in this body."),
    ErrorCode.ALREADY_A_SUBSTITUTE: _("This person is already a substitute (ersättare) in "
                                      "this body."),
    ErrorCode.OFFICE_TAKEN: _("The body already has a chair; remove that office first."),
    ErrorCode.SEAT_IN_USE: _("This seat has served at a meeting and cannot be removed; give "
                             "it another member instead."),
    ErrorCode.BODY_IN_SESSION: _("A meeting of this body is in progress: change its seats, "
                                 "substitutes and offices after the meeting."),
    # Shared by the meeting's setup (a place, no video link) and remote requests (notices).
    ErrorCode.REMOTE_NOT_ALLOWED: _("This body does not allow remote participation: members "
                                    "take part in the meeting room."),
    ErrorCode.AGENDA_FIXED: _("The meeting has opened: from now on only the meeting changes "
                              "its agenda (an item can be closed without a decision)."),
    ErrorCode.CLOSED_ITEMS_LAST: _("Closed items (sekretess) are placed last on the agenda."),
    ErrorCode.ATTACHMENT_TOO_LARGE: _("The file is too large."),
    ErrorCode.ATTACHMENT_TYPE_NOT_ALLOWED: _("This kind of file cannot be attached."),
}


#: Every app's error codes and their messages, filled by each app's ``AppConfig.ready()``
#: through ``register_error_codes``; the protocol documentation and the wire read it.
_messages: dict[str, Any] = {}


def register_error_codes(messages: Mapping[Any, Any]) -> None:
    """Declare an app's codes with their human messages. A code has one owner: declaring the
    same code twice with another message is a bug."""
    for code, message in messages.items():
        if _messages.get(str(code), message) is not message:
            raise ValueError(f"error code {code!r} is declared twice")
        _messages[str(code)] = message


def error_codes() -> list[str]:
    """Every declared domain error code, in declaration order."""
    return list(_messages)


def error_message(code: str) -> Any:
    """The human message for a declared code (the code itself for an unknown one)."""
    return _messages.get(str(code), code)


class CommandError(Exception):
    """A command was refused. ``code`` is stable; ``message`` is for people."""

    def __init__(self, code: StrEnum | str, message: Any = None, **details: Any) -> None:
        self.code = str(code)
        self.message = message if message is not None else error_message(self.code)
        self.details = details
        super().__init__(f"{self.code}: {self.message}")

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "details": self.details}
