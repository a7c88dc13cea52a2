"""Error codes of the minutes app (see ``meetings.errors`` for how refusals work)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _


class MinutesError(StrEnum):
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
    MINUTES_CHANGED = "minutes_changed"
    NOT_A_REVIEWER = "not_a_reviewer"
    SIGNING_STARTED = "signing_started"
    VERSION_SUPERSEDED = "version_superseded"
    PARAGRAPH_NOT_IN_MINUTES = "paragraph_not_in_minutes"
    MINUTES_NOT_SIGNED = "minutes_not_signed"
    PARAGRAPH_CONFIDENTIAL = "paragraph_confidential"
    EXTRACT_NOT_FOUND = "extract_not_found"
    NO_RECIPIENTS = "no_recipients"
    CONFIDENTIAL_BY_EMAIL = "confidential_by_email"
    NO_PARAGRAPHS_CHOSEN = "no_paragraphs_chosen"
    RECIPIENT_NAME_MISSING = "recipient_name_missing"
    RECIPIENT_EMAIL_INVALID = "recipient_email_invalid"


MESSAGES: dict[StrEnum, Any] = {
    MinutesError.MEETING_NOT_ADJOURNED: _("The meeting has not been adjourned yet."),
    MinutesError.MINUTES_LOCKED: _("The minutes are locked; they can no longer be changed."),
    MinutesError.MINUTES_NOT_LOCKED: _("The minutes have not been locked for signing yet."),
    MinutesError.NO_ADJUSTERS: _("No adjusters (justerare) have been chosen for this meeting."),
    MinutesError.NOT_A_SIGNER: _("Only the chair and the chosen adjusters sign the minutes."),
    MinutesError.ALREADY_SIGNED: _("You have already signed these minutes."),
    MinutesError.WRONG_PASSWORD: _("The password is not correct."),
    MinutesError.SIGNING_ORDER: _("The chair signs first; the adjusters sign after the chair."),
    MinutesError.SIGNING_UNAVAILABLE: _(
        "Signing is not set up on this installation (organisation CA or key missing)."
    ),
    MinutesError.NOT_ALL_SIGNED: _("The minutes can be posted only when everyone has signed."),
    MinutesError.ALREADY_POSTED: _("The minutes have already been posted."),
    MinutesError.ITEM_NOT_DECIDED: _("This item has not been handled yet."),
    MinutesError.MINUTES_CHANGED: _(
        "The minutes changed while they were being prepared or signed; please try again."
    ),
    MinutesError.NOT_A_REVIEWER: _(
        "Only the presiding chair and the chosen adjusters comment on or approve the minutes."
    ),
    MinutesError.SIGNING_STARTED: _(
        "Signing of this version has begun; it can no longer be commented on or replaced by "
        "a new version."
    ),
    MinutesError.VERSION_SUPERSEDED: _(
        "This version of the minutes has been replaced by a newer one; review and sign the "
        "newest version."
    ),
    MinutesError.PARAGRAPH_NOT_IN_MINUTES: _("This item is not a paragraph of these minutes."),
    MinutesError.MINUTES_NOT_SIGNED: _(
        "Extracts are made from signed minutes: the minutes are not signed by everyone yet."
    ),
    MinutesError.PARAGRAPH_CONFIDENTIAL: _(
        "A confidential paragraph cannot be part of a public extract."
    ),
    MinutesError.EXTRACT_NOT_FOUND: _("There is no such extract of this meeting's minutes."),
    MinutesError.NO_RECIPIENTS: _(
        "No recipient with an e-mail address is listed for the paragraphs of this extract."
    ),
    MinutesError.CONFIDENTIAL_BY_EMAIL: _(
        "An extract with a confidential paragraph is not sent by e-mail; hand it over "
        "another way."
    ),
    MinutesError.NO_PARAGRAPHS_CHOSEN: _("Choose at least one paragraph."),
    MinutesError.RECIPIENT_NAME_MISSING: _(
        "A recipient needs a name or an organisation."
    ),
    MinutesError.RECIPIENT_EMAIL_INVALID: _(
        "A recipient's e-mail address is not valid."
    ),
}
