"""A refusal from ``meetings.setup`` shown where it belongs: next to the field it concerns,
or at the top of the form.

The domain's ``invalid_argument`` names a field and a reason (``details.field`` and
``details.reason``) or Django's messages per field (``details.fields``); other codes concern
a field by nature (``seat_number_taken``: the seat number). The reasons get a sentence here,
because the domain's message ("The request is not valid.") says nothing about what to fix.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings.errors import CommandError, ErrorCode
from web.views.setup.forms import SetupForm

#: Codes that always concern one field (the form's name for it, through its aliases).
CODE_FIELDS: dict[str, str] = {
    ErrorCode.NAME_TAKEN: "name",
    ErrorCode.SEAT_NUMBER_TAKEN: "number",
    ErrorCode.ALREADY_SEATED: "email",
    ErrorCode.ALREADY_A_SUBSTITUTE: "email",
    ErrorCode.OFFICE_TAKEN: "role",
    ErrorCode.ATTACHMENT_TOO_LARGE: "file",
    ErrorCode.ATTACHMENT_TYPE_NOT_ALLOWED: "file",
}

REASONS = {
    "required": gettext_lazy("This field is required."),
    "before_start": gettext_lazy("The planned end must be after the start."),
    "before_term_start": gettext_lazy("The term of office must end after it starts."),
    "outside_seats_count": gettext_lazy(
        "The seat number must be between 1 and the body's number of seats."),
    "no_free_seat": gettext_lazy(
        "Every seat is taken: raise the body's number of seats first."),
    "below_existing_seat": gettext_lazy(
        "A seat with a higher number exists: remove it before lowering the number of seats."),
    "fullmaktige_is_public": gettext_lazy("A council (fullmäktige) meets in public."),
    "invalid": gettext_lazy("Enter a valid e-mail address."),
    "ambiguous": gettext_lazy(
        "Two people have this e-mail address; ask the administrator to merge them."),
    "too_long": gettext_lazy("The text is too long."),
    "out_of_range": gettext_lazy("The place is outside the list."),
    "nothing_changed": gettext_lazy("Nothing was changed."),
    "empty_agenda": gettext_lazy("That meeting has no items to copy."),
    "empty": gettext_lazy("The file is empty."),
    "already_held": gettext_lazy("This person already holds this office."),
    "unknown_role": gettext_lazy("Choose an office."),
    "too_many": gettext_lazy("The agenda has as many items as allowed."),
    "content_mismatch": gettext_lazy(
        "The file's content does not match its name's ending."),
}


def message(exc: CommandError) -> str:
    """The sentence for a refusal: the reason's when there is one, else the code's."""
    details = exc.details
    if exc.code == ErrorCode.ATTACHMENT_TOO_LARGE and details.get("max_bytes"):
        mb = max(1, round(int(details["max_bytes"]) / (1024 * 1024)))
        return _("The file is too large: at most %(mb)s MB.") % {"mb": mb}
    if exc.code == ErrorCode.ATTACHMENT_TYPE_NOT_ALLOWED:
        allowed = ", ".join(details.get("allowed", []))
        lead = str(REASONS["content_mismatch"]) if details.get("reason") == "content_mismatch" \
            else _("This kind of file cannot be attached.")
        return _("%(lead)s Allowed: %(types)s.") % {"lead": lead, "types": allowed}
    reason = details.get("reason")
    if reason in REASONS:
        return str(REASONS[reason])
    return str(exc.message)


def attach(form: SetupForm, exc: CommandError) -> None:
    """Put the refusal on the form: on its field, or at the top."""
    fields: dict[str, Any] = exc.details.get("fields") or {}
    placed = False
    for name, messages in fields.items():
        target = form.field_for(name)
        for text in messages:
            form.add_error(target, str(text))
        placed = True
    if placed:
        return
    concerned: str | None = exc.details.get("field") or CODE_FIELDS.get(exc.code)
    form.add_error(form.field_for(concerned) if concerned else None, message(exc))
