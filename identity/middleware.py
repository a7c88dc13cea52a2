"""Second-factor enforcement for the pages (after django-otp's ``OTPMiddleware``).

- A user who has a second factor and whose session has not verified it is sent to the
  verification page before any page (so a password alone never gives a half-logged-in
  session with access).
- A user whom the body requires to have a second factor and who has none is sent to enrol
  before the meeting's pages (``meetings:`` URLs with a ``meeting_id``, except the public
  live view).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from identity.factors import has_second_factor, session_verified
from identity.policy import requires_second_factor
from meetings.models import Meeting

#: URL names that work before the second factor is verified.
EXEMPT = frozenset({
    "identity:verify", "identity:sso_refused", "logout", "login", "set_language",
    "oidc_authentication_init", "oidc_authentication_callback", "oidc_logout",
    # The passkey as the second step (identity.passkeys).
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete", "otp_webauthn:js-i18n-catalog",
})
PUBLIC_MEETING_VIEWS = frozenset({"meetings:public_live", "meetings:public_state"})


def _redirect(request: HttpRequest, name: str) -> HttpResponse:
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse(name)}?{query}")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]
                     ) -> HttpResponse | None:
        user = request.user
        match = request.resolver_match
        if not user.is_authenticated or match is None or match.view_name in EXEMPT:
            return None
        if match.view_name.startswith("admin:") and match.url_name in {"logout", "login"}:
            return None
        verified = session_verified(request.session, user)
        if not verified and has_second_factor(user):
            return _redirect(request, "identity:verify")
        meeting_id = kwargs.get("meeting_id")
        if (verified or meeting_id is None or not match.view_name.startswith("meetings:")
                or match.view_name in PUBLIC_MEETING_VIEWS):
            return None
        meeting = Meeting.objects.filter(pk=meeting_id).first()
        if meeting is not None and requires_second_factor(meeting, user):
            return _redirect(request, "identity:enrol")
        return None
