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
    # Proposals
    PROPOSAL_NOT_FOUND = "proposal_not_found"
    PROPOSAL_WITHDRAWN = "proposal_withdrawn"
    PROPOSAL_NOT_WITHDRAWABLE = "proposal_not_withdrawable"
    # Voting and decisions (voting app)
    ORDER_INVALID = "order_invalid"
    ORDER_NOT_SET = "order_not_set"
    ORDER_ALREADY_APPROVED = "order_already_approved"
    ACCLAMATION_PENDING = "acclamation_pending"
    NO_ACCLAMATION_PENDING = "no_acclamation_pending"
    VOTE_REQUESTED = "vote_requested"
    VOTE_NOT_FOUND = "vote_not_found"
    VOTE_OPEN_ALREADY = "vote_open_already"
    VOTE_IN_PROGRESS = "vote_in_progress"
    VOTE_CLOSED = "vote_closed"
    NOT_ELIGIBLE = "not_eligible"
    ALREADY_VOTED = "already_voted"
    INVALID_CHOICE = "invalid_choice"
    CHAIR_DECISION_REQUIRED = "chair_decision_required"
    ABSTAIN_NOT_ALLOWED = "abstain_not_allowed"
    ABSTENTION_NOT_ANNOUNCED = "abstention_not_announced"
    ABSTENTION_TOO_LATE = "abstention_too_late"
    SECRET_NOT_ALLOWED = "secret_not_allowed"
    KONTRA_RUNNING = "kontra_running"
    KONTRA_STEP_MISMATCH = "kontra_step_mismatch"
    NO_DECISION_YET = "no_decision_yet"
    DECISION_ALREADY_RECORDED = "decision_already_recorded"
    RESERVATION_NOT_ALLOWED = "reservation_not_allowed"
    RESERVATION_NOT_FOUND = "reservation_not_found"
    MINUTES_SIGNED = "minutes_signed"
    PROTOCOL_NOTE_NOT_ALLOWED = "protocol_note_not_allowed"
    # Minutes, justering and anslag (minutes app)
    MEETING_NOT_ADJOURNED = "meeting_not_adjourned"
    MINUTES_LOCKED = "minutes_locked"
    MINUTES_NOT_LOCKED = "minutes_not_locked"
    NO_ADJUSTERS = "no_adjusters"
    NOT_A_SIGNER = "not_a_signer"
    ALREADY_SIGNED = "already_signed"
    WRONG_PASSWORD = "wrong_password"
    SIGNING_ORDER = "signing_order"
    SIGNING_UNAVAILABLE = "signing_unavailable"
    NOT_ALL_SIGNED = "not_all_signed"
    ALREADY_POSTED = "already_posted"
    ITEM_NOT_DECIDED = "item_not_decided"


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
    ErrorCode.PROPOSAL_NOT_FOUND: _("There is no such proposal on the current item."),
    ErrorCode.PROPOSAL_WITHDRAWN: _("The proposal has already been withdrawn."),
    ErrorCode.PROPOSAL_NOT_WITHDRAWABLE: _("The prepared proposal cannot be withdrawn."),
    ErrorCode.ORDER_INVALID: _(
        "The order of proposals is not valid: list every proposal once, formal motions "
        "(återremiss, bordläggning) first and additions (tilläggsyrkanden) last."
    ),
    ErrorCode.ORDER_NOT_SET: _("The order of proposals (propositionsordning) has not been set."),
    ErrorCode.ORDER_ALREADY_APPROVED: _("The order of proposals has already been approved."),
    ErrorCode.ACCLAMATION_PENDING: _("A proposal has been put and the gavel has not fallen yet."),
    ErrorCode.NO_ACCLAMATION_PENDING: _("No proposal is being put for acclamation."),
    ErrorCode.VOTE_REQUESTED: _("A member asked for a vote (votering); hold a vote instead."),
    ErrorCode.VOTE_NOT_FOUND: _("There is no such vote in this meeting."),
    ErrorCode.VOTE_OPEN_ALREADY: _("A vote is already open on this item."),
    ErrorCode.VOTE_IN_PROGRESS: _(
        "A vote or an acclamation on this item is still open; close or void it first."
    ),
    ErrorCode.VOTE_CLOSED: _("The vote is closed; the ballot was not counted."),
    ErrorCode.NOT_ELIGIBLE: _(
        "You may not vote in this vote: only the members serving and present when it opened."
    ),
    ErrorCode.ALREADY_VOTED: _("A ballot has already been cast for you in this vote."),
    ErrorCode.INVALID_CHOICE: _("That is not a valid choice in this vote."),
    ErrorCode.CHAIR_DECISION_REQUIRED: _(
        "The vote is tied and the chair has not voted Ja or Nej: the chair must give the "
        "deciding vote (utslagsröst) before the vote can be closed."
    ),
    ErrorCode.ABSTAIN_NOT_ALLOWED: _("This body does not allow abstaining."),
    ErrorCode.ABSTENTION_NOT_ANNOUNCED: _(
        "Abstaining must be announced before the proposals are put."
    ),
    ErrorCode.ABSTENTION_TOO_LATE: _(
        "The proposals are being put; it is too late to announce an abstention."
    ),
    ErrorCode.SECRET_NOT_ALLOWED: _("This body's rules do not allow a secret ballot here."),
    ErrorCode.KONTRA_RUNNING: _("A kontrapropositionsvotering is already running on this item."),
    ErrorCode.KONTRA_STEP_MISMATCH: _(
        "These proposals are not the next step of the kontrapropositionsvotering."
    ),
    ErrorCode.NO_DECISION_YET: _("No vote or acclamation has decided this yet."),
    ErrorCode.DECISION_ALREADY_RECORDED: _("The decision on this item is already recorded."),
    ErrorCode.RESERVATION_NOT_ALLOWED: _(
        "Only members who took part in the decision and did not abstain may reserve, "
        "before the meeting ends."
    ),
    ErrorCode.RESERVATION_NOT_FOUND: _("You have not registered a reservation on this item."),
    ErrorCode.MINUTES_SIGNED: _("The minutes are already signed."),
    ErrorCode.PROTOCOL_NOTE_NOT_ALLOWED: _("The chair has not allowed you a protocol note."),
    ErrorCode.MEETING_NOT_ADJOURNED: _("The meeting has not been adjourned yet."),
    ErrorCode.MINUTES_LOCKED: _("The minutes are locked; they can no longer be changed."),
    ErrorCode.MINUTES_NOT_LOCKED: _("The minutes have not been locked for signing yet."),
    ErrorCode.NO_ADJUSTERS: _("No adjusters (justerare) have been chosen for this meeting."),
    ErrorCode.NOT_A_SIGNER: _("Only the chair and the chosen adjusters sign the minutes."),
    ErrorCode.ALREADY_SIGNED: _("You have already signed these minutes."),
    ErrorCode.WRONG_PASSWORD: _("The password is not correct."),
    ErrorCode.SIGNING_ORDER: _("The chair signs first; the adjusters sign after the chair."),
    ErrorCode.SIGNING_UNAVAILABLE: _(
        "Signing is not set up on this installation (organisation CA or key missing)."
    ),
    ErrorCode.NOT_ALL_SIGNED: _("The minutes can be posted only when everyone has signed."),
    ErrorCode.ALREADY_POSTED: _("The minutes have already been posted."),
    ErrorCode.ITEM_NOT_DECIDED: _("This item has not been handled yet."),
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
