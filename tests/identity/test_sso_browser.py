"""Single sign-on in Chromium through a real OpenID Connect provider: a login mapped to a
member by its ``sub``, and a refused login that maps to nobody."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from identity.models import AuditEntry, ExternalIdentity
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, WAIT, free_port
from tests.support.committee import make_committee
from tests.support.oidc import klubba, klubba_env, provider
from tests.support.services import REQUIRE_SERVICES

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

USERS = ["anna:idp-pw-anna:Anna:Andersson", "okand:idp-pw-okand:Okänd:Person"]
ANNA_SUB = "urn:test-idp:000001"


@pytest.fixture(scope="module")
def sso_site(django_db_setup, django_db_blocker) -> Iterator[tuple[str, str, object]]:
    """(Klubba's URL, the issuer, Chromium): both servers and the browser for the module."""
    if not os.path.exists(CHROMIUM):
        if REQUIRE_SERVICES:
            pytest.fail(f"{CHROMIUM} is missing and KLUBBA_REQUIRE_SERVICES=1")
        pytest.skip(f"browser tests need {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with provider(f"{url}/oidc/callback/", USERS) as idp:
        with django_db_blocker.unblock():
            env = klubba_env(Path(tempfile.mkdtemp(prefix="klubba-sso-ca-")), idp.url)
        with klubba(port, env) as log:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield url, idp.url, browser
            except BaseException:
                log.seek(0)
                sys.stderr.write(log.read().decode(errors="replace")[-6000:])
                sys.stderr.write(idp.tail())
                raise
            finally:
                browser.close()
                playwright.stop()
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def sign_in_at_provider(browser, url: str, username: str):
    context = browser.new_context(locale="en-US")
    context.set_default_timeout(WAIT * 1000)
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.click("#sso-login")
    page.fill("#idp-user", username)
    page.fill("#idp-password", f"idp-pw-{username}")
    page.click("#idp-login")
    return page


def test_sso_login_is_matched_to_the_member_by_sub(sso_site):
    url, issuer, browser = sso_site
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
    url, _issuer, browser = sso_site
    make_committee()
    page = sign_in_at_provider(browser, url, "okand")
    page.wait_for_selector("#sso-refused")
    assert "/konto/sso/nekad/" in page.url
    assert page.is_visible("text=not linked to any member")
    page.goto(f"{url}/")
    assert page.is_visible("a[href='/accounts/login/']")  # nobody is logged in
    entry = AuditEntry.objects.get(action="sso.refused")
    assert entry.detail["reason"] == "unmapped" and entry.subject_id is None
    page.context.close()
