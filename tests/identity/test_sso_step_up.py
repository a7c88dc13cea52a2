"""In Chromium, on a real Daphne, against the real OpenID Connect provider: a signer who logged
in with single sign-on steps up by logging in again at the provider (``prompt=login``,
``max_age``, ``auth_time`` checked), not with a Klubba password; the provider's ``acr`` is
recorded in the signing event and the signature; a body that requires a multi-factor ``acr``
refuses a one-factor login."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from identity.models import AuditEntry, BodySecurity, ExternalIdentity
from minutes.commands import minutes_lock
from minutes.models import MinutesSignature
from tests.support.browser import SIGNING_PASSPHRASE, WAIT
from tests.support.committee import make_committee
from tests.support.minutes import hold_meeting
from tests.support.oidc import sso_site as oidc_site

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

USERS = ["berit:idp-pw-berit:Berit:Bok:mfa", "carl:idp-pw-carl:Carl:Ek"]
BERIT_SUB, CARL_SUB = "urn:test-idp:000001", "urn:test-idp:000002"
MFA_ACR, PASSWORD_ACR = "urn:test-idp:loa3", "urn:test-idp:loa2"


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[tuple[str, str, object, Path]]:
    """(Klubba's URL, the issuer, Chromium, the CA directory) for the module."""
    with oidc_site(django_db_blocker, USERS, KLUBBA_OIDC_MFA_ACR=MFA_ACR) as site_parts:
        yield site_parts


def locked_minutes(signing_dir: Path, name: str):
    from minutes.ca_store import ca_exists, init_ca

    c = hold_meeting(make_committee(name=name)).c
    with override_settings(KLUBBA={**settings.KLUBBA, "SIGNING_DIR": signing_dir,
                                   "SIGNING_KEY_PASSPHRASE": SIGNING_PASSPHRASE}):
        if not ca_exists():
            init_ca()
        minutes_lock(meeting_id=c.meeting.pk, actor=c.secretary)
    return c


def idp_login(page, username: str) -> None:
    page.wait_for_selector("#idp-login")
    page.fill("#idp-user", username)
    page.fill("#idp-password", f"idp-pw-{username}")
    page.click("#idp-login")


def confirm_at_provider(page, url: str) -> None:
    """Follow the page's "confirm with your organisation's login" link (``goto`` rather than
    a click: the signing page's PDF frame can hold up Chromium's navigation events)."""
    page.goto(url + page.get_attribute("#sso-step-up", "href"))


def back_on(page, address: str) -> None:
    """Back on the signing page, loaded (its PDF frame too: a click on "sign" while the frame
    still loads can be lost in headless Chromium)."""
    page.wait_for_url(address)
    page.wait_for_selector("#sso-step-up-status", state="attached")


def submit(page) -> None:
    """Press "sign" from the keyboard: a mouse click at the button's coordinates can land in
    the PDF viewer's frame above it while that frame still lays itself out."""
    page.press("form.panel button[type=submit]", "Enter")


def sso_to_signing_page(browser, url: str, username: str, sign_url: str):
    context = browser.new_context(locale="en-US")
    context.set_default_timeout(WAIT * 1000)
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.click("#sso-login")
    idp_login(page, username)
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}{sign_url}")
    page.wait_for_selector("#sso-step-up-status", state="attached")
    return page


def test_an_sso_signer_steps_up_at_the_identity_provider(site):
    url, issuer, browser, signing_dir = site
    c = locked_minutes(signing_dir, "Stegnämnden")
    ExternalIdentity.objects.create(user=c.chair, issuer=issuer, subject=BERIT_SUB)
    sign = reverse("meetings:minutes_sign", args=[c.meeting.pk])
    page = sso_to_signing_page(browser, url, "berit", sign)

    # No Klubba password: the page asks for a fresh login at the provider.
    assert page.locator("#sign-password").count() == 0
    assert "inloggningstjänst" in page.inner_text("#signing-identity")  # Swedish by default
    confirm_at_provider(page, url)
    idp_login(page, "berit")  # prompt=login: the provider asks again despite its session
    back_on(page, f"{url}{sign}")
    assert "Du har loggat in igen" in page.inner_text("#sso-step-up-status")
    submit(page)
    page.wait_for_selector("#signed-ok", state="attached")

    signature = MinutesSignature.objects.get(user=c.chair)
    payload = c.meeting.events.get(type="minutes.signed").payload
    assert payload["identity_method"] == f"oidc:{MFA_ACR}"
    assert signature.role == "chair"
    step_up = AuditEntry.objects.get(action="sso.step_up", subject=c.chair)
    assert step_up.detail["acr"] == MFA_ACR and "otp" in step_up.detail["amr"]
    assert step_up.detail["mfa"] is True
    login = AuditEntry.objects.filter(action="sso.login", subject=c.chair).first()
    assert login is not None and login.detail["acr"] == MFA_ACR
    page.context.close()


def test_a_body_requiring_mfa_refuses_a_one_factor_step_up(site):
    url, issuer, browser, signing_dir = site
    c = locked_minutes(signing_dir, "Mfanämnden")
    BodySecurity.objects.create(body=c.body, require_mfa_acr_for_signing=True)
    ExternalIdentity.objects.create(user=c.chair, issuer=issuer, subject=CARL_SUB)
    sign = reverse("meetings:minutes_sign", args=[c.meeting.pk])
    page = sso_to_signing_page(browser, url, "carl", sign)

    assert "kräver inloggning med två faktorer" in page.inner_text("#sso-step-up-status")
    confirm_at_provider(page, url)
    idp_login(page, "carl")  # the provider says loa2, password only
    back_on(page, f"{url}{sign}")
    # The one-factor login does not count: still asked, and signing is refused.
    assert page.locator("#sso-step-up").count() == 1
    submit(page)
    page.wait_for_selector("#form-error", state="attached")
    assert "kräver inloggning med två faktorer" in page.inner_text("#form-error")
    assert not MinutesSignature.objects.filter(user=c.chair).exists()
    step_up = AuditEntry.objects.get(action="sso.step_up", subject=c.chair)
    assert step_up.detail["acr"] == PASSWORD_ACR and step_up.detail["mfa"] is False
    assert AuditEntry.objects.filter(action="sso.step_up_failed", subject=c.chair,
                                     detail__reason="sso_mfa_required").exists()
    page.context.close()
