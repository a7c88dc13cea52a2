"""Passkeys (WebAuthn) as a second factor, in Chromium on a real Daphne, with the Chrome
DevTools Protocol's virtual authenticator: a member registers a passkey, logs out, logs in
with the password and is let in only after using the passkey.

WebAuthn needs a domain (not an IP address) as the relying party id: the browser opens
``http://localhost:<port>``, a secure context for browsers."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django_otp_webauthn.models import WebAuthnCredential

from identity.models import AuditEntry
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, WAIT, free_port, server_env
from tests.support.committee import make_committee
from tests.support.oidc import klubba
from tests.support.services import REQUIRE_SERVICES

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[tuple[str, object]]:
    if not os.path.exists(CHROMIUM):
        if REQUIRE_SERVICES:
            pytest.fail(f"{CHROMIUM} is missing and KLUBBA_REQUIRE_SERVICES=1")
        pytest.skip(f"browser tests need {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://localhost:{port}"
    with django_db_blocker.unblock():
        env = {**server_env(Path(tempfile.mkdtemp(prefix="klubba-passkey-ca-"))),
               "KLUBBA_WEBAUTHN_RP_ID": "localhost", "KLUBBA_WEBAUTHN_ORIGINS": url}
    with klubba(port, env) as log:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield url, browser
        except BaseException:
            log.seek(0)
            sys.stderr.write(log.read().decode(errors="replace")[-6000:])
            raise
        finally:
            browser.close()
            playwright.stop()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def with_authenticator(page) -> str:
    """A virtual platform authenticator (user verification succeeds) for this page."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True,
        "automaticPresenceSimulation": True}})
    page.cdp = cdp  # keep the session (and its authenticator) alive with the page
    return added["authenticatorId"]


def password_login(page, url: str, user) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", f"pw-{user.username}")
    page.click("form.panel button[type=submit]")


def test_a_member_registers_a_passkey_and_logs_in_with_it(site):
    url, browser = site
    c = make_committee()
    member = c.members[1]
    context = browser.new_context(locale="en-US")
    context.set_default_timeout(WAIT * 1000)
    page = context.new_page()
    authenticator = with_authenticator(page)

    password_login(page, url, member)
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/konto/tvastegs/")
    page.click("#passkey-register-button")
    page.wait_for_function(
        "() => document.getElementById('passkey-register-status-message')?.textContent.trim()")
    credential = WebAuthnCredential.objects.get(user=member)
    assert credential.confirmed
    assert AuditEntry.objects.filter(action="webauthn.enrolled", subject=member).exists()
    stored = page.cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(stored["credentials"]) == 1

    # A new login (the session cookie gone): the password alone now leads to the second
    # step, where the passkey is used.
    context.clear_cookies()
    password_login(page, url, member)
    page.wait_for_url("**/konto/tvastegs/verifiera/**")
    assert page.locator("#id_token").count() == 0  # no TOTP app: only the passkey is offered
    page.click("#passkey-verification-button")
    page.wait_for_url(f"{url}/")
    assert AuditEntry.objects.filter(action="webauthn.verified", subject=member).exists()
    page.goto(f"{url}/konto/tvastegs/")
    assert "Tvåstegsverifiering är påslagen" in page.inner_text("#factor-status")
    context.close()
