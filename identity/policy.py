"""Who must use a second factor in a meeting (the body's ``BodySecurity``), and the one
check the participant socket makes on connect.

The officers are the body's secretary, chair and vice chair and the meeting's adjusters
(they sign the minutes); "voters" are the body's members and substitutes.
"""

from __future__ import annotations

from typing import Any

from identity.errors import IdentityError
from identity.factors import session_verified
from identity.models import BodySecurity
from identity.sessions import session_idle_expired
from meetings.models import Adjuster, Meeting
from meetings.roles import roles_in


def requires_second_factor(meeting: Meeting, user: Any) -> bool:
    """Whether ``user`` must have verified a second factor to follow ``meeting``."""
    if not getattr(user, "is_authenticated", False):
        return False
    rule = BodySecurity.objects.filter(body_id=meeting.body_id).first()
    if rule is None or not (rule.require_second_factor_officers
                            or rule.require_second_factor_voters):
        return False
    roles = roles_in(meeting, user)
    if rule.require_second_factor_voters and (roles.is_member or roles.is_substitute):
        return True
    if rule.require_second_factor_officers:
        if roles.is_secretary or roles.is_chair or roles.is_vice_chair:
            return True
        return Adjuster.objects.filter(meeting=meeting, user_id=user.pk).exists()
    return False


def socket_refusal(meeting: Meeting, user: Any, session: Any) -> str | None:
    """For ``realtime``'s connect: ``second_factor_required`` when the body requires a second
    factor of this user and the socket's session has not verified one (API tokens carry no
    session, so they are refused too for such a user); ``session_expired`` when the socket's
    session was idle for longer than the idle timeout (``identity.sessions``)."""
    if session_idle_expired(session):
        return IdentityError.SESSION_EXPIRED
    if requires_second_factor(meeting, user) and not session_verified(session, user):
        return IdentityError.SECOND_FACTOR_REQUIRED
    return None
