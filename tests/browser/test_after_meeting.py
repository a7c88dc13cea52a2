"""The secretary's page after the meeting in Chromium: axe-core, no sideways scroll at
375 px and 1280 px, in Swedish, and an extract certified through the form; then the public
archive and the verification of that extract on a phone."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from minutes.commands import minutes_post
from minutes.models import ProtocolExtract
from tests.browser.helpers import fits_width, no_axe_violations, wait_text
from tests.support.after import hold_and_sign, password
from tests.support.identity import enrolled, fresh_code, require_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretary_certifies_an_extract_on_the_page(site, signing):
    # pyHanko signs with asyncio.run(): not on this thread, where Playwright's loop runs.
    with ThreadPoolExecutor(1) as pool:
        s = pool.submit(hold_and_sign, name="Kulturnämnden").result()
    c = s.c
    path = f"/moten/{c.meeting.pk}/protokoll/utdrag/"
    for width, name in ((1280, "after-meeting-desktop"), (375, "after-meeting-phone")):
        page = site.page(name, width=width, height=900)
        site.login(page, c.secretary)
        response = page.goto(site.url(path))
        assert response is not None and response.status == 200
        wait_text(page, "h1", "Efter sammanträdet")
        no_axe_violations(page, name)
        assert fits_width(page), f"{name} scrolls sideways"
        site.screenshot(page, name)
    page.check(f"section[aria-labelledby=extract] input[type=checkbox][value='{c.items[1].pk}']")
    page.fill("#extract-password", password(c.secretary))
    page.click("section[aria-labelledby=extract] button[type=submit]")
    wait_text(page, "#extract-1", "Utdrag 1")
    extract = ProtocolExtract.objects.get()
    assert extract.item_ids == [c.items[1].pk]
    no_axe_violations(page, "after-meeting with an extract")
    site.screenshot(page, "after-meeting-extract-phone")

    # A citizen on a phone: the archive's table and the verification result's signature table
    # scroll inside their own box, never the page; the extract is explained, not "not found".
    minutes_post(meeting_id=c.meeting.pk, actor=c.secretary)
    citizen = site.page("citizen-phone", width=375, height=800)
    citizen.goto(site.url("/arkiv/"))
    wait_text(citizen, "main table", "Kulturnämnden")
    assert fits_width(citizen), "the archive scrolls sideways at 375 px"
    no_axe_violations(citizen, "archive with minutes")
    site.screenshot(citizen, "archive-phone")
    citizen.goto(site.url("/verifiera/"))
    citizen.set_input_files("#pdf", files=[{"name": extract.filename,
                                            "mimeType": "application/pdf",
                                            "buffer": bytes(extract.pdf)}])
    citizen.click("main form button[type=submit]")
    wait_text(citizen, "#not-published", "Protokollsutdrag publiceras inte")
    text = citizen.inner_text("main")
    assert "inte identisk med någon publicerad version" not in text
    assert "poppler" not in text
    assert fits_width(citizen), "the verification result scrolls sideways at 375 px"
    no_axe_violations(citizen, "verification of an extract")
    site.screenshot(citizen, "verify-extract-phone")


def test_the_extract_form_asks_for_the_second_factor_where_the_body_requires_one(site, signing):
    with ThreadPoolExecutor(1) as pool:
        c = pool.submit(hold_and_sign, name="Miljönämnden").result().c
    require_second_factor(c.body)
    device = enrolled(c.secretary)
    page = site.page("after-meeting-otp", width=1280, height=900)
    page.goto(site.url("/accounts/login/"))
    page.fill("#id_username", c.secretary.get_username())
    page.fill("#id_password", password(c.secretary))
    page.click("form.panel button[type=submit]")
    page.wait_for_url(site.url("/konto/tvastegs/verifiera/**"))
    page.fill("#id_token", fresh_code(device))
    page.click("form.panel button[type=submit]")
    page.wait_for_url(site.url("/"))
    page.goto(site.url(f"/moten/{c.meeting.pk}/protokoll/utdrag/"))
    wait_text(page, "h1", "Efter sammanträdet")
    assert page.is_visible("#extract-otp")
    for width, name in ((1280, "after-meeting-otp-desktop"), (375, "after-meeting-otp-phone")):
        page.set_viewport_size({"width": width, "height": 900})
        no_axe_violations(page, name)
        assert fits_width(page), f"{name} scrolls sideways"
        site.screenshot(page, name)
    page.check(f"section[aria-labelledby=extract] input[type=checkbox][value='{c.items[1].pk}']")
    page.fill("#extract-password", password(c.secretary))
    page.fill("#extract-otp", fresh_code(device))
    page.click("section[aria-labelledby=extract] button[type=submit]")
    wait_text(page, "#extract-1", "Utdrag 1")
    assert ProtocolExtract.objects.get().item_ids == [c.items[1].pk]
