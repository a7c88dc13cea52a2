"""Error codes of the voting app (see ``meetings.errors`` for how refusals work)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _


class VotingError(StrEnum):
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
    RECUSAL_DURING_VOTE = "recusal_during_vote"
    RECUSAL_AFTER_BALLOT = "recusal_after_ballot"
    FORMAL_MOTION_PENDING = "formal_motion_pending"
    FORMAL_MOTION_ADOPTED = "formal_motion_adopted"
    PROPORTIONAL_REQUIRED = "proportional_required"
    PROPORTIONAL_NOT_REQUESTED = "proportional_not_requested"
    PROPORTIONAL_ALREADY_REQUESTED = "proportional_already_requested"
    PROPORTIONAL_SEATS_MISMATCH = "proportional_seats_mismatch"
    PROPORTIONAL_MEMBERS_FIRST = "proportional_members_first"


MESSAGES: dict[StrEnum, Any] = {
    VotingError.ORDER_INVALID: _(
        "The order of proposals is not valid: list every proposal once, formal motions "
        "(återremiss, bordläggning) first and additions (tilläggsyrkanden) last."
    ),
    VotingError.ORDER_NOT_SET: _("The order of proposals (propositionsordning) has not been set."),
    VotingError.ORDER_ALREADY_APPROVED: _("The order of proposals has already been approved."),
    VotingError.ACCLAMATION_PENDING: _("A proposal has been put and the gavel has not fallen yet."),
    VotingError.NO_ACCLAMATION_PENDING: _("No proposal is being put for acclamation."),
    VotingError.VOTE_REQUESTED: _("A member asked for a vote (votering); hold a vote instead."),
    VotingError.VOTE_NOT_FOUND: _("There is no such vote in this meeting."),
    VotingError.VOTE_OPEN_ALREADY: _("A vote is already open on this item."),
    VotingError.VOTE_IN_PROGRESS: _(
        "A vote or an acclamation on this item is still open; close or void it first."
    ),
    VotingError.VOTE_CLOSED: _("The vote is closed; the ballot was not counted."),
    VotingError.NOT_ELIGIBLE: _(
        "You may not vote in this vote: only the members serving and present when it opened."
    ),
    VotingError.ALREADY_VOTED: _("A ballot has already been cast for you in this vote."),
    VotingError.INVALID_CHOICE: _("That is not a valid choice in this vote."),
    VotingError.CHAIR_DECISION_REQUIRED: _(
        "The vote is tied and the chair has not voted Ja or Nej: the chair must give the "
        "deciding vote (utslagsröst) before the vote can be closed."
    ),
    VotingError.ABSTAIN_NOT_ALLOWED: _("This body does not allow abstaining."),
    VotingError.ABSTENTION_NOT_ANNOUNCED: _(
        "Abstaining must be announced before the proposals are put."
    ),
    VotingError.ABSTENTION_TOO_LATE: _(
        "The proposals are being put; it is too late to announce an abstention."
    ),
    VotingError.SECRET_NOT_ALLOWED: _("This body's rules do not allow a secret ballot here."),
    VotingError.KONTRA_RUNNING: _("A kontrapropositionsvotering is already running on this item."),
    VotingError.KONTRA_STEP_MISMATCH: _(
        "These proposals are not the next step of the kontrapropositionsvotering."
    ),
    VotingError.NO_DECISION_YET: _("No vote or acclamation has decided this yet."),
    VotingError.DECISION_ALREADY_RECORDED: _("The decision on this item is already recorded."),
    VotingError.RESERVATION_NOT_ALLOWED: _(
        "Only members who took part in the decision and did not abstain may reserve, "
        "before the meeting ends."
    ),
    VotingError.RESERVATION_NOT_FOUND: _("You have not registered a reservation on this item."),
    VotingError.MINUTES_SIGNED: _("The minutes are already signed."),
    VotingError.PROTOCOL_NOTE_NOT_ALLOWED: _("The chair has not allowed you a protocol note."),
    VotingError.RECUSAL_DURING_VOTE: _(
        "A vote is open on this item: a conflict of interest (jäv) cannot be declared, "
        "recorded or withdrawn until the vote is closed or voided."
    ),
    VotingError.RECUSAL_AFTER_BALLOT: _(
        "This person has voted on this item; a conflict of interest (jäv) can no longer be "
        "recorded for it."
    ),
    VotingError.FORMAL_MOTION_PENDING: _(
        "A formal motion (återremiss or bordläggning) on this item has not been decided; "
        "it must be decided first."
    ),
    VotingError.FORMAL_MOTION_ADOPTED: _(
        "The item was referred back or tabled; no other proposal can be decided on it."
    ),
    VotingError.PROPORTIONAL_REQUIRED: _(
        "Enough members asked for a proportional election on this item (lag 2022:629, 2 §): "
        "the election must be held proportionally."
    ),
    VotingError.PROPORTIONAL_NOT_REQUESTED: _(
        "Not enough members have asked for a proportional election: at least the present "
        "members divided by the seats plus one, rounded up (lag 2022:629, 2 §)."
    ),
    VotingError.PROPORTIONAL_ALREADY_REQUESTED: _(
        "You have already asked for a proportional election on this item."
    ),
    VotingError.PROPORTIONAL_SEATS_MISMATCH: _(
        "The number of seats differs from the one the proportional election was asked for."
    ),
    VotingError.PROPORTIONAL_MEMBERS_FIRST: _(
        "The substitutes may be elected proportionally only after the members were "
        "(lag 2022:629, 3 §)."
    ),
}
