"""The identity check behind a signature made from a page: the minutes (justering) and a
certified extract (protokollsutdrag) are signed by the same person with the same check, so
both pages ask for it here and neither can drift from the other.

The body's rule and the user's own factors decide (``identity.stepup``): a fresh login at the
organisation's identity provider stands in for the Klubba password; otherwise the password
plus the second factor, when one is needed."""

from __future__ import annotations

from django.http import HttpRequest

from identity import stepup
from identity.messages import step_up_refusal_text
from identity.sso_stepup import refusal as sso_refusal
from meetings.models import Meeting
from minutes.commands.justering import SignerCheck


def signer_check(request: HttpRequest, meeting: Meeting) -> SignerCheck | None:
    """How the signer was checked beyond the password, or None when no second check is
    needed. Raises ``identity.factors.CodeRefused`` (audited) when one is needed and the
    posted code or the identity provider's login is not good."""
    factor = stepup.check(request, meeting, request.POST.get("otp_token", ""))
    if factor is None:
        return None
    if factor.method.startswith("oidc:"):
        return SignerCheck(method=factor.method, checked_at=factor.at, replaces_password=True)
    return SignerCheck(method=f"password+{factor.method}", checked_at=factor.at)


def step_up_status(request: HttpRequest, meeting: Meeting) -> stepup.StepUp:
    """What the signing form must ask for (password, code, or the identity provider), with
    the identity provider's refusal of the last attempt, if any."""
    reason = sso_refusal(request)
    return stepup.status(request, meeting, error=step_up_refusal_text(reason) if reason else None)
