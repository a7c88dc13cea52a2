"""Who must use a second factor in a meeting (the body's ``BodySecurity``), and the one
check the participant socket makes on connect.

The officers are the body's secretary, chair and vice chair and the meeting's adjusters
(they sign the minutes); "voters" are the body's members and substitutes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from identity.errors import IdentityError
from identity.factors import (
    VERIFIED_AT_SESSION_KEY,
    VERIFIED_METHOD_SESSION_KEY,
    session_verified,
)
from identity.models import BodySecurity
from identity.oidc import SSO_SESSION_KEY
from identity.sessions import session_idle_expired
from meetings.models import Adjuster, Meeting
from meetings.roles import MeetingRoles, roles_in

#: ``rule=`` not given: read the body's rule.
UNREAD: Any = object()


def second_factor_rule(body_id: int) -> BodySecurity | None:
    return BodySecurity.objects.filter(body_id=body_id).first()


def requires_second_factor(meeting: Meeting, user: Any, *, rule: Any = UNREAD,
                           roles: MeetingRoles | None = None) -> bool:
    """Whether ``user`` must have verified a second factor to follow ``meeting``. ``rule``
    and ``roles`` save the lookups when the caller has them (a batch of handshakes)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if rule is UNREAD:
        rule = second_factor_rule(meeting.body_id)
    if rule is None or not (rule.require_second_factor_officers
                            or rule.require_second_factor_voters):
        return False
    roles = roles if roles is not None else roles_in(meeting, user)
    if rule.require_second_factor_voters and (roles.is_member or roles.is_substitute):
        return True
    if rule.require_second_factor_officers:
        if roles.is_secretary or roles.is_chair or roles.is_vice_chair:
            return True
        return Adjuster.objects.filter(meeting=meeting, user_id=user.pk).exists()
    return False


def socket_refusal(meeting: Meeting, user: Any, session: Any, *, rule: Any = UNREAD,
                   roles: MeetingRoles | None = None) -> str | None:
    """For ``realtime``'s connect: ``second_factor_required`` when the body requires a second
    factor of this user and the socket's session has not verified one (API tokens carry no
    session, so they are refused too for such a user); ``session_expired`` when the socket's
    session was idle for longer than the idle timeout (``identity.sessions``)."""
    if session_idle_expired(session):
        return IdentityError.SESSION_EXPIRED
    if requires_second_factor(meeting, user, rule=rule, roles=roles) and not session_verified(
            session, user):
        return IdentityError.SECOND_FACTOR_REQUIRED
    return None


def secret_ballot_window(body_id: int) -> int | None:
    """Seconds a checked second factor counts for casting a secret ballot in the body, or
    None when the body does not ask for a step-up there (``BodySecurity``)."""
    minutes = BodySecurity.objects.filter(body_id=body_id, step_up_secret_ballots=True) \
        .values_list("secret_ballot_step_up_minutes", flat=True).first()
    return None if minutes is None else int(minutes) * 60


def recently_verified(session: Any, user: Any, within_seconds: int) -> bool:
    """Whether ``session`` checked a second factor (a TOTP or recovery code that the user
    still has, or a fresh login at the identity provider) at most ``within_seconds`` ago."""
    if session is None:
        return False
    method = str(session.get(VERIFIED_METHOD_SESSION_KEY) or "")
    if not (method.startswith("oidc:") or session_verified(session, user)):
        return False
    try:
        at = datetime.fromisoformat(str(session.get(VERIFIED_AT_SESSION_KEY)))
    except ValueError:
        return False
    return timezone.now() - at <= timedelta(seconds=within_seconds)


def step_up_url(session: Any) -> str:
    """Where the page sends the user to check their second factor again."""
    sso = session is not None and bool(session.get(SSO_SESSION_KEY))
    return reverse("identity:sso_step_up" if sso else "identity:verify")
