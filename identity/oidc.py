"""Single sign-on with the organisation's OpenID Connect provider (mozilla-django-oidc).

A login is matched to a user only by ``(issuer, sub)`` in ``ExternalIdentity``; names and
e-mail addresses from the provider never choose the account. Optionally (setting
``KLUBBA_OIDC_USERNAME_CLAIM``) the first login of an unknown ``sub`` is linked to the user
whose username equals that claim (for an employee number or HSA id the directory also gave
Klubba), and only if that user has no identity from this issuer yet. A login that maps to no
user is refused: nobody is logged in, the audit log says why, and the user sees a page.
"""

from __future__ import annotations

import logging
from typing import Any

import requests
from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from identity.audit import audit
from identity.models import ExternalIdentity

logger = logging.getLogger("klubba.identity")
REFUSAL_SESSION_KEY = "identity_sso_refusal"
#: Set on an SSO login: the issuer, and the ``acr``/``amr`` of the login's ID token.
SSO_SESSION_KEY = "identity_sso_login"


def issuer() -> str:
    return str(getattr(settings, "OIDC_OP_ISSUER", ""))


class MemberOIDCBackend(OIDCAuthenticationBackend):
    """Finds the member by the ``sub`` claim; never creates a user."""

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]
                           ) -> Any:
        """As mozilla-django-oidc, keeping the ID token's MFA claims for the session and the
        audit line (``payload`` is the verified ID token)."""
        raw_amr = payload.get("amr")
        self.login_claims = {
            "issuer": issuer(), "acr": str(payload.get("acr") or ""),
            "amr": [str(a) for a in raw_amr] if isinstance(raw_amr, list) else [],
        }
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is not None:
            self.request.session[SSO_SESSION_KEY] = self.login_claims
        return user

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        User = get_user_model()
        sub = str(claims["sub"])
        users = User.objects.filter(external_identities__issuer=issuer(),
                                    external_identities__subject=sub, is_active=True)
        if users.exists():
            return users
        linked = self._link_by_username_claim(claims)
        return User.objects.filter(pk=linked.pk) if linked else User.objects.none()

    def _link_by_username_claim(self, claims: dict[str, Any]) -> Any:
        claim = str(getattr(settings, "KLUBBA_OIDC_USERNAME_CLAIM", ""))
        value = claims.get(claim) if claim else None
        if not value:
            return None
        user = get_user_model().objects.filter(username=str(value), is_active=True).first()
        if user is None or ExternalIdentity.objects.filter(user=user, issuer=issuer()).exists():
            return None
        ExternalIdentity.objects.create(user=user, issuer=issuer(), subject=str(claims["sub"]))
        audit("sso.linked", subject=user, issuer=issuer(), sub=str(claims["sub"]), claim=claim)
        return user

    def create_user(self, claims: dict[str, Any]) -> None:
        """Called when no user matched: refuse (and say why on the refusal page)."""
        audit("sso.refused", reason="unmapped", issuer=issuer(), sub=str(claims.get("sub")))
        self.request.session[REFUSAL_SESSION_KEY] = "unmapped"
        return None

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        """Names follow the provider (shown in the room); the account stays the same."""
        changed = []
        for field, setting in (("first_name", "KLUBBA_OIDC_FIRST_NAME_CLAIM"),
                               ("last_name", "KLUBBA_OIDC_LAST_NAME_CLAIM")):
            claim = str(getattr(settings, setting, ""))
            value = str(claims.get(claim, "") or "")[:150] if claim else ""
            if value and getattr(user, field) != value:
                setattr(user, field, value)
                changed.append(field)
        if changed:
            user.save(update_fields=changed)
        ExternalIdentity.objects.filter(user=user, issuer=issuer(),
                                        subject=str(claims["sub"])).update(
            last_login_at=timezone.now())
        mfa = getattr(self, "login_claims", {})
        audit("sso.login", actor=user, subject=user, issuer=issuer(), acr=mfa.get("acr", ""),
              amr=mfa.get("amr", []))
        return user


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's redirect back. A wrong state or nonce, an error from the provider, or a
    provider that cannot be reached ends on the refusal page with an audit line, never a
    traceback, and nobody stays logged in."""

    def get(self, request: HttpRequest) -> HttpResponse:
        from identity import sso_stepup  # it builds on this module

        if sso_stepup.owns(request):  # the answer to a step-up before signing
            return sso_stepup.finish(request)
        try:
            return super().get(request)
        except SuspiciousOperation as exc:
            return self._failed(request, "state_or_token", str(exc))
        except requests.RequestException as exc:
            return self._failed(request, "idp_unavailable", type(exc).__name__)

    def login_failure(self) -> HttpResponse:
        request = self.request
        if request.GET.get("error"):
            audit("sso.refused", reason="provider_error", error=request.GET["error"][:100])
        elif not request.session.get(REFUSAL_SESSION_KEY):
            audit("sso.refused", reason="failed")
        return super().login_failure()

    def _failed(self, request: HttpRequest, reason: str, detail: str) -> HttpResponse:
        audit("sso.refused", reason=reason, detail=detail[:200])
        if request.user.is_authenticated:
            logout(request)
        request.session[REFUSAL_SESSION_KEY] = "failed"
        return HttpResponseRedirect(reverse("identity:sso_refused"))
