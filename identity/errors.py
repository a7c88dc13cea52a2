"""Error codes of the identity app (registered with ``meetings.errors`` so the socket's
error frames and the protocol documentation know them)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _


class IdentityError(StrEnum):
    SECOND_FACTOR_REQUIRED = "second_factor_required"
    SESSION_EXPIRED = "session_expired"
    STEP_UP_REQUIRED = "step_up_required"


MESSAGES: dict[StrEnum, Any] = {
    IdentityError.SECOND_FACTOR_REQUIRED: _(
        "This meeting requires two-factor authentication. Verify your second factor on the "
        "meeting page first."
    ),
    IdentityError.STEP_UP_REQUIRED: _(
        "Confirm your identity again (your second factor) before casting a secret ballot."
    ),
    IdentityError.SESSION_EXPIRED: _(
        "Your session ended after a time without activity. Log in again."
    ),
}
