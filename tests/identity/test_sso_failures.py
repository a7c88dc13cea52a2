"""The OpenID Connect callback never ends in a traceback or a half-logged-in session: a
wrong state and an unreachable provider both end on the refusal page with an audit line."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory, override_settings

from identity.models import AuditEntry
from identity.oidc import CallbackView
from tests.support.browser import free_port

pytestmark = pytest.mark.django_db


def oidc_settings(port: int) -> dict:
    base = f"http://127.0.0.1:{port}/openid"  # nothing listens there: the provider is down
    return {
        "AUTHENTICATION_BACKENDS": ["identity.oidc.MemberOIDCBackend"],
        "OIDC_RP_CLIENT_ID": "c", "OIDC_RP_CLIENT_SECRET": "tests-only",
        "OIDC_OP_ISSUER": base, "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{base}/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": f"{base}/token", "OIDC_OP_USER_ENDPOINT": f"{base}/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": f"{base}/jwks", "OIDC_RP_SIGN_ALGO": "RS256",
        "LOGIN_REDIRECT_URL_FAILURE": "/konto/sso/nekad/", "OIDC_TIMEOUT": 5,
        "ROOT_URLCONF": "tests.support.oidc_urls",
    }


def callback(query: str, states: dict):
    request = RequestFactory().get(f"/oidc/callback/?{query}")
    request.session = SessionStore()
    request.session["oidc_states"] = states
    request.session.save()
    request.user = AnonymousUser()
    return request, CallbackView.as_view()(request)


@pytest.mark.parametrize("query, states, reason", [
    ("code=abc&state=forged", {"real": {"nonce": "n", "code_verifier": None}}, "state_or_token"),
    ("code=abc&state=real", {"real": {"nonce": "n", "code_verifier": "v"}}, "idp_unavailable"),
    ("error=access_denied&state=real", {"real": {"nonce": "n"}}, "provider_error"),
])
def test_callback_failures_end_on_the_refusal_page(query, states, reason):
    with override_settings(**oidc_settings(free_port())):
        request, response = callback(query, states)
    assert response.status_code == 302 and response["Location"] == "/konto/sso/nekad/"
    assert not request.user.is_authenticated
    assert AuditEntry.objects.get(action="sso.refused").detail["reason"] == reason


@pytest.mark.parametrize("change, reason", [
    ({"auth_time": None}, "no_auth_time"),  # the provider did not say when the user logged in
    ({"auth_time": -600}, "not_fresh"),  # an old login: the provider did not ask again
    ({"auth_time": 600}, "not_fresh"),  # far in the future: a clock skew beyond the allowance
    ({"sub": "urn:someone-else"}, "wrong_user"),
    ({"aud": "another-client"}, "wrong_token"),
    ({"iss": "http://evil.example"}, "wrong_token"),
    ({"exp": -3600}, "expired_token"),
])
def test_a_step_up_answer_that_is_not_a_fresh_login_of_this_user_is_refused(change, reason):
    import time

    from identity import sso_stepup
    from identity.models import ExternalIdentity
    from tests.support.committee import make_committee

    user = make_committee().chair
    now = int(time.time())
    with override_settings(**oidc_settings(free_port())):
        ExternalIdentity.objects.create(user=user, issuer=sso_stepup.issuer(), subject="s1")
        claims = {"iss": sso_stepup.issuer(), "aud": "c", "sub": "s1", "exp": now + 300,
                  "auth_time": now}
        sso_stepup._check(user, claims, started=now)  # the good answer passes
        for key, value in change.items():
            claims[key] = now + value if isinstance(value, int) and key != "sub" else value
        with pytest.raises(sso_stepup.StepUpRefused) as refused:
            sso_stepup._check(user, claims, started=now)
    assert refused.value.reason == reason
