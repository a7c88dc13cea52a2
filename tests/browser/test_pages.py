"""Every page through axe-core (no violations), at phone width for members, in Swedish and in
English, with a screenshot of each under test-output/browser/."""

from __future__ import annotations

import pytest

from meetings.commands import meeting_open
from tests.browser.helpers import committee, fits_width, no_axe_violations, wait_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(site, page, path: str, name: str, *, status: int = 200, live: bool = False) -> None:
    response = page.goto(site.url(path))
    assert response is not None and response.status == status, (path, response.status)
    if live:
        wait_text(page, "#conn", "Ansl")  # "Ansluten" / English "Connected" checked by callers
    no_axe_violations(page, name)
    assert fits_width(page), f"{name} scrolls sideways at {page.viewport_size['width']} px"
    assert "Traceback" not in page.content()
    site.screenshot(page, name)


def test_every_page_passes_axe_and_fits(site):
    c = committee("Miljönämnden")
    mid = c.meeting.pk
    meeting_open(meeting_id=mid, actor=c.secretary)

    visitor = site.page("visitor", width=375, height=800)
    check(site, visitor, "/", "home-anonymous")
    check(site, visitor, "/accounts/login/", "login")
    check(site, visitor, "/anslag/", "notice-board")
    check(site, visitor, "/arkiv/", "archive")
    check(site, visitor, "/verifiera/", "verify")
    check(site, visitor, "/finns-inte/", "not-found", status=404)
    check(site, visitor, f"/offentligt/{mid}/", "public-live-phone", live=True)
    visitor.goto(site.url(f"/moten/{mid}/"))
    visitor.wait_for_url(lambda url: "/accounts/login/" in url)  # members only

    # A phone whose browser asks for English still gets Swedish until the member chooses.
    member = site.page("member-phone", width=375, height=800, locale="en-US")
    site.login(member, c.members[2])
    check(site, member, "/", "home-member")
    check(site, member, f"/moten/{mid}/", "room-phone", live=True)
    wait_text(member, "#conn", "Ansluten")
    wait_text(member, "#btn-speak", "Begär ordet")
    assert member.evaluate("document.documentElement.lang") == "sv"
    member.keyboard.press("Tab")  # the skip link comes first and is visible when focused
    assert member.evaluate("document.activeElement.classList.contains('skip')")
    check(site, member, f"/moten/{mid}/sekreterare/", "console-refused", status=403)
    wait_text(member, "main", "Bara sekreteraren och ordföranden")
    check(site, member, f"/moten/{mid}/protokoll/justera/", "sign-not-locked")

    sec = site.page("secretary")
    site.login(sec, c.secretary)
    check(site, sec, f"/moten/{mid}/sekreterare/", "console-open", live=True)
    check(site, sec, f"/moten/{mid}/protokoll/", "minutes-review-not-adjourned")

    # English by choice, through the language switch.
    member.goto(site.url(f"/moten/{mid}/"))
    member.select_option("#language-select", "en")
    member.click(".lang-switch button")
    wait_text(member, "#btn-speak", "Ask to speak")
    wait_text(member, "#conn", "Connected")
    assert member.evaluate("document.documentElement.lang") == "en"
    no_axe_violations(member, "room in English")
    assert fits_width(member), "the English room scrolls sideways at 375 px"
    site.screenshot(member, "room-english")
    # A refused command shows its readable message in the page's language.
    assert member.locator("#btn-speak").is_disabled()  # no item is being handled
    member.click("details:has(#proposal-form) > summary")
    member.select_option("#proposal-kind", "avslag")
    member.click("#proposal-form button[type=submit]")
    wait_text(member, "#alert", "The item is not being handled now.")
    wait_text(member, "#proposal-form .inline-error", "The item is not being handled now.")
    no_axe_violations(member, "room in English with an error")

    # The choice is the member's: a fresh browser that asks for Swedish, after login, is English.
    again = site.page("member-again", width=320, height=700, locale="sv-SE")
    site.login(again, c.members[2])
    again.goto(site.url(f"/moten/{mid}/"))
    wait_text(again, "#conn", "Connected")
    wait_text(again, "#btn-speak", "Ask to speak")
    no_axe_violations(again, "room in English at 320 px")
    assert fits_width(again), "the room scrolls sideways at 320 px"
