"""Passkeys (WebAuthn) as a second factor, on django-otp-webauthn.

A passkey is a django-otp device like the TOTP app: a session that used one is verified
(``django_otp.login``), it counts for ``has_second_factor`` and the body's rule, and the
administrator's reset removes it. Passwordless login is off
(``OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False``): the passkey is the second step after the
password or single sign-on.

The package's views are used as they are, except completing an authentication, which here
also refuses a passkey of another user than the logged-in one, records when and how the
session was verified (for step-up) and writes the audit line; completing a registration is
audited. Its JavaScript is served from the static files (no inline script; the configuration
is a JSON data block), see ``templates/identity/_passkey_*.html``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from identity.audit import audit


def has_passkey(user: Any) -> bool:
    return WebAuthnCredential.objects.filter(user_id=user.pk, confirmed=True).exists()


def remove_passkeys(user: Any) -> int:
    return WebAuthnCredential.objects.filter(user_id=user.pk).delete()[0]


class CompleteAuthentication(CompleteCredentialAuthenticationView):
    def complete_auth(self, device: Any) -> Any:
        from identity import factors  # factors counts passkeys: it imports this module

        user = self.request.user
        if not user.is_authenticated or device.user_id != user.pk:
            audit("webauthn.failed", subject=user if user.is_authenticated else None,
                  reason="not_this_user")
            raise exceptions.InvalidState()
        factors.mark_verified(self.request, device, method="webauthn")
        audit("webauthn.verified", actor=user, subject=user, device=device.pk)
        return user


class CompleteRegistration(CompleteCredentialRegistrationView):
    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            audit("webauthn.enrolled", actor=self.request.user, subject=self.request.user)
        return response


#: ``include()``d as namespace ``otp_webauthn`` (the package's template tags reverse it).
app_name = "otp_webauthn"
urlpatterns = [
    path("registrering/start/", BeginCredentialRegistrationView.as_view(),
         name="credential-registration-begin"),
    path("registrering/klar/", CompleteRegistration.as_view(),
         name="credential-registration-complete"),
    path("verifiering/start/", BeginCredentialAuthenticationView.as_view(),
         name="credential-authentication-begin"),
    path("verifiering/klar/", CompleteAuthentication.as_view(),
         name="credential-authentication-complete"),
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
         name="js-i18n-catalog"),
]
