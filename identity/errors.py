"""Error codes of the identity app (registered with ``meetings.errors`` so the socket's
error frames and the protocol documentation know them)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _


class IdentityError(StrEnum):
    SECOND_FACTOR_REQUIRED = "second_factor_required"
    SESSION_EXPIRED = "session_expired"


MESSAGES: dict[StrEnum, Any] = {
    IdentityError.SECOND_FACTOR_REQUIRED: _(
        "This meeting requires two-factor authentication. Verify your second factor on the "
        "meeting page first."
    ),
    IdentityError.SESSION_EXPIRED: _(
        "Your session ended after a time without activity. Log in again."
    ),
}
