"""Step-up through the identity provider: a user who logged in with single sign-on confirms
who they are before signing by authenticating at the provider again, not with a Klubba
password (which they may not have).

The request asks for a fresh login (``prompt=login``, ``max_age``); the answer comes back to
the ordinary OIDC callback (one redirect URI to register), which hands it here when the
``state`` is one of ours. The ID token is checked as at login (signature, ``nonce``) and in
addition: the same issuer, audience and subject as the logged-in user, and an ``auth_time``
that is not older than the request (minus ``KLUBBA_OIDC_CLOCK_SKEW``), so the provider really
authenticated the user again. The ``acr`` and ``amr`` claims are recorded; the session then
counts as checked by ``oidc:<acr>`` (or ``oidc:<amr+amr>``) at ``auth_time`` (see
``identity.stepup``). A body can require a multi-factor ``acr`` (``BodySecurity``); which
values count is a setting (``KLUBBA_OIDC_MFA_ACR``), and ``amr`` containing ``mfa`` counts.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.crypto import get_random_string
from mozilla_django_oidc.utils import absolutify, generate_code_challenge

from identity import factors
from identity.audit import audit
from identity.models import ExternalIdentity
from identity.oidc import SSO_SESSION_KEY, MemberOIDCBackend, issuer

PENDING_KEY = "identity_sso_step_up"
ERROR_KEY = "identity_sso_step_up_error"
MFA_SESSION_KEY = "identity_verified_mfa"
ACR_SESSION_KEY = "identity_verified_acr"


def clock_skew() -> int:
    return int(str(getattr(settings, "KLUBBA_OIDC_CLOCK_SKEW", 60)))


def mfa_acr_values() -> list[str]:
    return [v for v in str(getattr(settings, "KLUBBA_OIDC_MFA_ACR", "")).split() if v]


def is_mfa(acr: str, amr: list[str]) -> bool:
    return (bool(acr) and acr in mfa_acr_values()) or "mfa" in amr


def is_sso_session(request: HttpRequest) -> bool:
    """The session was logged in through the identity provider (``identity.oidc``)."""
    return bool(request.session.get(SSO_SESSION_KEY)) and bool(
        getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def _callback_uri(request: HttpRequest) -> str:
    return absolutify(request, reverse("oidc_authentication_callback"))


def start(request: HttpRequest, next_url: str, *, require_mfa: bool = False) -> HttpResponse:
    """Redirect to the provider for a fresh login; it returns to the OIDC callback."""
    state, nonce = get_random_string(32), get_random_string(32)
    verifier = get_random_string(64)
    params = {
        "response_type": "code", "client_id": settings.OIDC_RP_CLIENT_ID,
        "scope": getattr(settings, "OIDC_RP_SCOPES", "openid"),
        "redirect_uri": _callback_uri(request), "state": state, "nonce": nonce,
        "prompt": "login", "max_age": str(factors.step_up_max_age()),
        "code_challenge": generate_code_challenge(verifier, "S256"),
        "code_challenge_method": "S256",
    }
    if require_mfa and mfa_acr_values():
        params["acr_values"] = " ".join(mfa_acr_values())
    pending = dict(request.session.get(PENDING_KEY) or {})
    pending = dict(list(pending.items())[-4:])  # a few tabs at most
    pending[state] = {"nonce": nonce, "verifier": verifier, "next": next_url,
                      "started": int(time.time())}
    request.session[PENDING_KEY] = pending
    request.session.pop(ERROR_KEY, None)
    audit("sso.step_up_started", actor=request.user, subject=request.user)
    return HttpResponseRedirect(
        f"{settings.OIDC_OP_AUTHORIZATION_ENDPOINT}?{urlencode(params)}")


def owns(request: HttpRequest) -> bool:
    """Whether the callback request answers one of our step-up requests."""
    state = request.GET.get("state")
    return bool(state) and state in (request.session.get(PENDING_KEY) or {})


class StepUpRefused(Exception):
    def __init__(self, reason: str, **detail: Any) -> None:
        super().__init__(reason)
        self.reason, self.detail = reason, detail


def finish(request: HttpRequest) -> HttpResponse:
    """The provider's answer to ``start``: record the check, or the refusal, and go back."""
    pending = dict(request.session.get(PENDING_KEY) or {})
    entry = pending.pop(request.GET["state"])
    request.session[PENDING_KEY] = pending  # a state is used once
    user = request.user
    try:
        if not user.is_authenticated:
            raise StepUpRefused("not_logged_in")
        if request.GET.get("error"):
            raise StepUpRefused("provider_error", error=request.GET["error"][:100])
        claims = _claims(request, entry)
        _check(user, claims, started=int(entry["started"]))
    except StepUpRefused as refused:
        audit("sso.step_up_failed", actor=user, subject=user, reason=refused.reason,
              **refused.detail)
        request.session[ERROR_KEY] = refused.reason
        return HttpResponseRedirect(entry["next"])
    acr = str(claims.get("acr") or "")
    raw_amr = claims.get("amr")
    amr = [str(a) for a in raw_amr] if isinstance(raw_amr, list) else []
    method = "oidc:" + (acr or "+".join(amr) or "sso")
    at = datetime.fromtimestamp(int(claims["auth_time"]), tz=UTC)
    request.session[factors.VERIFIED_AT_SESSION_KEY] = at.isoformat()
    request.session[factors.VERIFIED_METHOD_SESSION_KEY] = method
    request.session[MFA_SESSION_KEY] = is_mfa(acr, amr)
    request.session[ACR_SESSION_KEY] = acr
    audit("sso.step_up", actor=user, subject=user, acr=acr, amr=amr,
          auth_time=at.isoformat(), mfa=is_mfa(acr, amr))
    return HttpResponseRedirect(entry["next"])


def _claims(request: HttpRequest, entry: dict[str, Any]) -> dict[str, Any]:
    backend = MemberOIDCBackend()
    backend.request = request
    try:
        tokens = backend.get_token({
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "client_secret": settings.OIDC_RP_CLIENT_SECRET,
            "grant_type": "authorization_code", "code": request.GET.get("code", ""),
            "redirect_uri": _callback_uri(request), "code_verifier": entry["verifier"],
        })
        return dict(backend.verify_token(tokens.get("id_token", ""), nonce=entry["nonce"]))
    except SuspiciousOperation as exc:
        raise StepUpRefused("state_or_token", detail=str(exc)[:200]) from None
    except requests.RequestException as exc:
        raise StepUpRefused("idp_unavailable", detail=type(exc).__name__) from None
    except Exception as exc:  # a malformed token: never a traceback
        raise StepUpRefused("state_or_token", detail=type(exc).__name__) from None


def _check(user: Any, claims: dict[str, Any], *, started: int) -> None:
    now, skew = int(time.time()), clock_skew()
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if claims.get("iss") != issuer() or settings.OIDC_RP_CLIENT_ID not in audiences:
        raise StepUpRefused("wrong_token")
    if not isinstance(claims.get("exp"), int) or claims["exp"] < now - skew:
        raise StepUpRefused("expired_token")
    if not ExternalIdentity.objects.filter(user=user, issuer=issuer(),
                                           subject=str(claims.get("sub"))).exists():
        raise StepUpRefused("wrong_user")
    auth_time = claims.get("auth_time")
    if not isinstance(auth_time, int):
        raise StepUpRefused("no_auth_time")
    if auth_time < started - skew or auth_time > now + skew:
        raise StepUpRefused("not_fresh", auth_time=auth_time, started=started)


def refusal(request: HttpRequest) -> str | None:
    """The reason the last step-up failed (shown once on the signing page)."""
    return request.session.pop(ERROR_KEY, None)
