"""Step-up before signing: a fresh check of the signer.

- A signer who has (or must have) a TOTP device enters a fresh code: checked on the signing
  page itself, or at most ``KLUBBA["STEP_UP_MAX_AGE"]`` seconds ago in this session (e.g. at
  login just before). Recovery codes do not count here: they are for getting in after a lost
  phone, not for signing. The signing command also checks the Klubba password.
- A signer whose session was logged in through the identity provider authenticates there
  again (``identity.sso_stepup``: ``prompt=login``, ``max_age``, ``auth_time``), at most
  ``STEP_UP_MAX_AGE`` seconds before signing; that replaces the Klubba password. If the body
  requires it (``BodySecurity.require_mfa_acr_for_signing``), the provider's answer must name
  a multi-factor ``acr`` (or ``amr`` ``mfa``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from identity import factors, sso_stepup
from identity.audit import audit
from identity.models import BodySecurity
from identity.policy import requires_second_factor
from meetings.models import Meeting

#: Second factors that count as a step-up when checked recently in the session (a passkey is
#: used on the verification page, ``/konto/tvastegs/verifiera/``).
STEP_UP_METHODS = frozenset({"totp", "webauthn"})


@dataclass(frozen=True)
class StepUp:
    """What the signing page shows and asks."""

    needed: bool  # the signer has (or must have) a second factor, or logged in with SSO
    fresh_until: datetime | None  # a recent check still counts until then
    sso: bool = False  # the check is a fresh login at the identity provider
    mfa_required: bool = False  # ... which must be multi-factor (the body's rule)
    error: str | None = None  # why the last step-up at the provider failed


def _recent(request: Any, *, sso: bool) -> datetime | None:
    session = request.session
    method = str(session.get(factors.VERIFIED_METHOD_SESSION_KEY) or "")
    if sso:
        if not method.startswith("oidc:"):
            return None
    elif method not in STEP_UP_METHODS or not factors.session_verified(session, request.user):
        return None
    raw = session.get(factors.VERIFIED_AT_SESSION_KEY)
    try:
        return datetime.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _mfa_required(meeting: Meeting) -> bool:
    return BodySecurity.objects.filter(body_id=meeting.body_id,
                                       require_mfa_acr_for_signing=True).exists()


def status(request: Any, meeting: Meeting, *, error: str | None = None) -> StepUp:
    user = request.user
    sso = sso_stepup.is_sso_session(request)
    needed = sso or factors.has_second_factor(user) or requires_second_factor(meeting, user)
    recent = _recent(request, sso=sso) if needed else None
    until = recent + timedelta(seconds=factors.step_up_max_age()) if recent else None
    mfa = sso and _mfa_required(meeting)
    if mfa and not request.session.get(sso_stepup.MFA_SESSION_KEY):
        until = None  # a check that was not multi-factor does not count
    return StepUp(needed=needed, fresh_until=until if until and until > timezone.now() else None,
                  sso=sso, mfa_required=mfa, error=error)


def check(request: Any, meeting: Meeting, token: str) -> factors.Check | None:
    """The check for this signature, or None when the signer has none and need not. Raises
    ``factors.CodeRefused`` (audited) when a check is needed and not good."""
    step = status(request, meeting)
    if not step.needed:
        return None
    if step.sso:
        return _check_sso(request, meeting, step)
    if token.strip():
        return factors.verify(request, token, allow_recovery=False, purpose="signing")
    recent = _recent(request, sso=False)
    if step.fresh_until is not None and recent is not None:
        audit("otp.step_up_recent", actor=request.user, subject=request.user,
              meeting_id=meeting.pk, checked_at=recent.isoformat())
        method = str(request.session.get(factors.VERIFIED_METHOD_SESSION_KEY))
        return factors.Check(method=method, at=recent)
    audit("otp.failed", actor=request.user, subject=request.user, reason="missing",
          purpose="signing")
    raise factors.CodeRefused("missing")


def _check_sso(request: Any, meeting: Meeting, step: StepUp) -> factors.Check:
    recent = _recent(request, sso=True)
    if step.fresh_until is None or recent is None:
        reason = "sso_mfa_required" if step.mfa_required and recent else "sso_missing"
        audit("sso.step_up_failed", actor=request.user, subject=request.user, reason=reason,
              purpose="signing", meeting_id=meeting.pk)
        raise factors.CodeRefused(reason)
    method = str(request.session[factors.VERIFIED_METHOD_SESSION_KEY])
    audit("sso.step_up_used", actor=request.user, subject=request.user, meeting_id=meeting.pk,
          method=method, checked_at=recent.isoformat())
    return factors.Check(method=method, at=recent)
