"""The page shown when a single sign-on login maps to no member (or failed on the way)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

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
