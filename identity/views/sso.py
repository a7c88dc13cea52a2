"""The page shown when a single sign-on login maps to no member (or failed on the way)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from identity import sso_stepup

REASONS = {
    "unmapped": lambda: _("Your identity provider confirmed who you are, but you are not "
                          "linked to any member in Klubba."),
    "failed": lambda: _("The login with your organisation's identity provider did not "
                        "complete (it may be unavailable, or the login took too long). "
                        "Please try again."),
    "local_disabled": lambda: _("Logging in with a Klubba password is switched off for this "
                                "organisation. Log in through your organisation instead."),
}


@never_cache
def refused(request: HttpRequest) -> HttpResponse:
    reason = request.session.pop("identity_sso_refusal", None) or request.GET.get("r", "")
    message = REASONS.get(reason, REASONS["failed"])()
    return render(request, "identity/sso_refused.html", {"message": message}, status=403)


@never_cache
@login_required
@require_GET
def step_up(request: HttpRequest) -> HttpResponse:
    """Start a fresh login at the identity provider before signing (an SSO session only);
    the provider's answer returns to ``next`` (the signing page)."""
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    if not sso_stepup.is_sso_session(request):
        return redirect(target)
    return sso_stepup.start(request, target, require_mfa=request.GET.get("mfa") == "1")
