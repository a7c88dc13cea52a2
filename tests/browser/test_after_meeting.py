"""The secretary's page after the meeting in Chromium: axe-core, no sideways scroll at
375 px and 1280 px, in Swedish, and an extract certified through the form."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from minutes.models import ProtocolExtract
from tests.browser.helpers import fits_width, no_axe_violations, wait_text
from tests.support.after import hold_and_sign, password

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
