"""The member's room when the session is not enough: a secret ballot that needs a fresh second
factor takes the member to the step-up page (and back, ?next=); a session ended elsewhere
stops the page reconnecting and offers the login page, in Swedish. While a vote is open the
room does not offer to ask for a proportional election."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.helpers import committee, no_axe_violations, wait_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_secret_ballot_that_needs_step_up_takes_the_member_there_and_back(site):
    from identity.models import BodySecurity
    from meetings.models import Body
    from tests.support.voting import start_item
    from voting.commands import vote_open
    from voting.models import SecretBallot

    c = committee("Socialnämnden")
    Body.objects.filter(pk=c.body.pk).update(
        secret_ballot_policy=Body.SecretBallotPolicy.ANY_DECISION)
    BodySecurity.objects.create(body=c.body, step_up_secret_ballots=True,
                                secret_ballot_step_up_minutes=10)
    live = start_item(c)
    mid = live.meeting_id
    phone = site.page("member", width=375, height=800)
    site.login(phone, c.members[2])
    phone.goto(site.url(f"/moten/{mid}/"))
    wait_text(phone, "#conn", "Ansluten")
    # Before the vote, the member may ask for a proportional election (with the item).
    phone.locator("#proportional-ask").wait_for(state="visible")
    phone.click("#proportional-ask summary")
    phone.locator("#proportional-request-form").wait_for(state="visible")
    vote_open(**live.kw(actor=c.secretary, item_id=live.item.pk, kind="secret",
                        main_proposal_id=live.prepared().pk))
    phone.locator("[data-key=vote-ja]").wait_for()
    # A vote is open: no request for a proportional election in the middle of it.
    phone.locator("#proportional-request-form").wait_for(state="hidden")
    phone.click("[data-key=vote-ja]")
    phone.wait_for_url("**/konto/tvastegs/**")
    query = parse_qs(urlparse(phone.url).query)
    assert query["next"] == [f"/moten/{mid}/"], phone.url
    assert not SecretBallot.objects.exists()


def test_a_session_ended_elsewhere_stops_the_room_and_offers_the_login(site):
    c = committee("Kulturnämnden")
    mid = c.meeting.pk
    member = c.members[2]
    phone = site.page("member", width=375, height=800)
    site.login(phone, member)
    phone.goto(site.url(f"/moten/{mid}/"))
    wait_text(phone, "#conn", "Ansluten")
    # The member logs out in another tab of the same browser: this session is ended, and the
    # server closes the room's socket with session_revoked (4401).
    other = phone.context.new_page()
    other.goto(site.url("/"))
    with other.expect_navigation():
        other.click("form[action='/accounts/logout/'] button")
    wait_text(phone, "#session-ended", "Du har loggats ut")
    wait_text(phone, "#conn", "Inte ansluten")
    assert phone.locator("#offline-banner").is_hidden(), "no 'reconnecting' after a logout"
    link = phone.locator("#session-login")
    assert parse_qs(urlparse(link.get_attribute("href")).query)["next"] == [f"/moten/{mid}/"]
    no_axe_violations(phone, "room after the session ended")
    site.screenshot(phone, "room-session-ended")
    # The link leads to the login page and back into the room.
    link.click()
    phone.wait_for_url("**/accounts/login/**")
    phone.fill("#id_username", member.get_username())
    phone.fill("#id_password", f"pw-{member.get_username()}")
    with phone.expect_navigation():
        phone.click("form.panel button[type=submit]")
    assert urlparse(phone.url).path == f"/moten/{mid}/"
    wait_text(phone, "#conn", "Ansluten")
