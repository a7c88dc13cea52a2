"""In Chromium, on a real Daphne: single sign-on through a real OpenID Connect provider (a
login mapped to a member by its ``sub``, a refused login that maps to nobody), enrolment and
login with TOTP, and a signer forced to step up before signing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from identity.models import AuditEntry, ExternalIdentity
from minutes.commands import minutes_lock
from minutes.models import MinutesSignature
from tests.support.browser import SIGNING_PASSPHRASE, WAIT
from tests.support.committee import make_committee
from tests.support.identity import code_for, fresh_code, require_second_factor, secret_code
from tests.support.minutes import hold_meeting
from tests.support.oidc import sso_site as oidc_site

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

USERS = ["anna:idp-pw-anna:Anna:Andersson", "okand:idp-pw-okand:Okänd:Person"]
ANNA_SUB = "urn:test-idp:000001"


@pytest.fixture(scope="module")
def sso_site(django_db_setup, django_db_blocker) -> Iterator[tuple[str, str, object, Path]]:
    """(Klubba's URL, the issuer, Chromium, the CA directory) for the module."""
    with oidc_site(django_db_blocker, USERS) as site_parts:
        yield site_parts


def new_page(browser):
    context = browser.new_context(locale="en-US")
    context.set_default_timeout(WAIT * 1000)
    return context.new_page()


def password_login(page, url: str, user) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", f"pw-{user.username}")
    page.click("form.panel button[type=submit]")


def sign_in_at_provider(browser, url: str, username: str):
    page = new_page(browser)
    page.goto(f"{url}/accounts/login/")
    page.click("#sso-login")
    page.fill("#idp-user", username)
    page.fill("#idp-password", f"idp-pw-{username}")
    page.click("#idp-login")
    return page


def test_sso_login_is_matched_to_the_member_by_sub(sso_site):
    url, issuer, browser, _ca = sso_site
    c = make_committee()
    member = c.members[1]
    ExternalIdentity.objects.create(user=member, issuer=issuer, subject=ANNA_SUB)
    page = sign_in_at_provider(browser, url, "anna")
    page.wait_for_url(f"{url}/")
    page.wait_for_selector("text=Sammanträde")  # my meetings: the member's meeting
    member.refresh_from_db()
    assert (member.first_name, member.last_name) == ("Anna", "Andersson")  # names follow
    assert page.is_visible("text=Anna Andersson")
    assert AuditEntry.objects.filter(action="sso.login", subject=member).exists()
    page.context.close()


def test_an_unmapped_sso_login_is_refused_with_a_clear_page(sso_site):
    url, _issuer, browser, _ca = sso_site
    make_committee()
    page = sign_in_at_provider(browser, url, "okand")
    page.wait_for_selector("#sso-refused")
    assert "/konto/sso/nekad/" in page.url
    assert page.is_visible("text=inte kopplad till någon ledamot")  # Swedish by default
    page.goto(f"{url}/")
    assert page.is_visible("a[href='/accounts/login/']")  # nobody is logged in
    entry = AuditEntry.objects.get(action="sso.refused")
    assert entry.detail["reason"] == "unmapped" and entry.subject_id is None
    page.context.close()


def test_a_member_enrols_totp_and_logs_in_with_it(sso_site):
    url, _issuer, browser, _ca = sso_site
    c = make_committee()
    member = c.members[1]
    page = new_page(browser)
    password_login(page, url, member)
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/konto/tvastegs/aktivera/")
    assert page.is_visible("#qr svg")
    secret = page.inner_text("#totp-secret")
    page.fill("#id_token", secret_code(secret))
    page.click("form.panel button[type=submit]")
    page.wait_for_selector("#recovery-codes")
    assert page.locator("#recovery-codes li").count() == 10
    assert TOTPDevice.objects.get(user=member).confirmed

    # A new login: the password alone opens nothing, the code does.
    page.context.clear_cookies()
    password_login(page, url, member)
    page.wait_for_url(f"{url}/konto/tvastegs/verifiera/**")
    room = reverse("meetings:room", args=[c.meeting.pk])
    page.goto(f"{url}{room}")
    assert "/konto/tvastegs/verifiera/" in page.url
    # A code the device has not seen, through the device: the enrolment may have synced a
    # step of clock drift, which a code from the bare secret would not know.
    page.fill("#id_token", fresh_code(TOTPDevice.objects.get(user=member)))
    page.click("form.panel button[type=submit]")
    page.wait_for_url(f"{url}{room}")
    page.context.close()


def test_a_signer_steps_up_with_a_code_before_signing(sso_site):
    url, _issuer, browser, signing_dir = sso_site
    from django.conf import settings

    from minutes.ca_store import ca_exists, init_ca

    held = hold_meeting(make_committee())
    c = held.c
    require_second_factor(c.body)
    with override_settings(KLUBBA={**settings.KLUBBA, "SIGNING_DIR": signing_dir,
                                   "SIGNING_KEY_PASSPHRASE": SIGNING_PASSPHRASE}):
        if not ca_exists():
            init_ca()
        minutes_lock(meeting_id=c.meeting.pk, actor=c.secretary)
    device = TOTPDevice.objects.create(user=c.chair, name="TOTP", confirmed=True)
    page = new_page(browser)
    password_login(page, url, c.chair)
    page.fill("#id_token", code_for(device))
    page.click("form.panel button[type=submit]")
    page.wait_for_url(f"{url}/")
    # The login's code still counts for five minutes; the signer steps up anyway here by
    # entering a new code, and the page says whose key signs and how.
    sign = reverse("meetings:minutes_sign", args=[c.meeting.pk])
    page.goto(f"{url}{sign}")
    assert "signeringsnyckel som Klubba förvarar åt dig" in page.inner_text("#signing-identity")
    page.fill("#sign-password", f"pw-{c.chair.username}")
    page.fill("#sign-otp", fresh_code(device))
    page.click("form.panel button[type=submit]")
    page.wait_for_selector("#signed-ok")
    signature = MinutesSignature.objects.get(user=c.chair)
    event = c.meeting.events.get(type="minutes.signed")
    assert event.payload["identity_method"] == "password+totp"
    assert signature.role == "chair"
    page.context.close()
