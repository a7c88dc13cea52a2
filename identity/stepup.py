"""Step-up before signing: a fresh second factor from a signer who has one (or must have
one). Fresh means checked on the signing page itself, or at most ``KLUBBA["STEP_UP_MAX_AGE"]``
seconds ago in this session (e.g. at login just before). Recovery codes do not count here:
they are for getting in after a lost phone, not for signing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from identity import factors
from identity.audit import audit
from identity.policy import requires_second_factor
from meetings.models import Meeting


@dataclass(frozen=True)
class StepUp:
    """What the signing page shows and asks."""

    needed: bool  # the signer has (or must have) a second factor
    fresh_until: datetime | None  # a recent check still counts until then


def _recent_totp(request: Any) -> datetime | None:
    session = request.session
    if session.get(factors.VERIFIED_METHOD_SESSION_KEY) != "totp":
        return None
    if not factors.session_verified(session, request.user):
        return None
    raw = session.get(factors.VERIFIED_AT_SESSION_KEY)
    try:
        at = datetime.fromisoformat(raw) if raw else None
    except ValueError:
        return None
    return at


def status(request: Any, meeting: Meeting) -> StepUp:
    user = request.user
    needed = factors.has_second_factor(user) or requires_second_factor(meeting, user)
    recent = _recent_totp(request) if needed else None
    until = recent + timedelta(seconds=factors.step_up_max_age()) if recent else None
    return StepUp(needed=needed, fresh_until=until if until and until > timezone.now() else None)


def check(request: Any, meeting: Meeting, token: str) -> factors.Check | None:
    """The second factor for this signature, or None when the signer has none and need not.
    Raises ``factors.CodeRefused`` (audited) when a code is needed and not good."""
    step = status(request, meeting)
    if not step.needed:
        return None
    if token.strip():
        return factors.verify(request, token, allow_recovery=False, purpose="signing")
    recent = _recent_totp(request)
    if step.fresh_until is not None and recent is not None:
        audit("otp.step_up_recent", actor=request.user, subject=request.user,
              meeting_id=meeting.pk, checked_at=recent.isoformat())
        return factors.Check(method="totp", at=recent)
    audit("otp.failed", actor=request.user, subject=request.user, reason="missing",
          purpose="signing")
    raise factors.CodeRefused("missing")
