"""The member's room on a small phone (320 px) during a secret election: the ballot comes first
with the focus, targets are at least 44 px, and after casting the room says the ballot was
counted and shows its receipt."""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    committee,
    fits_widths,
    no_axe_violations,
    wait_in_first_screen,
    wait_text,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_election_on_a_small_phone(site):
    from tests.support.voting import start_item
    from voting.commands import ballot_cast, vote_open

    c = committee("Valnämnden")
    live = start_item(c)
    opened = vote_open(**live.kw(actor=c.secretary, item_id=live.item.pk, kind="election",
                                 candidates=["Anna Andersson", "Bertil Berg", "Cecilia Carlsson"],
                                 posts=1))
    member = c.members[2]
    phone = site.page("small-phone", width=320, height=640)
    site.login(phone, member)
    phone.goto(site.url(f"/moten/{live.meeting_id}/"))
    wait_text(phone, "#conn", "Ansluten")
    wait_text(phone, "#vote", "Bertil Berg")
    # The ballot is brought into view and focused, without the member scrolling.
    wait_in_first_screen(phone, "#vote-h")
    phone.wait_for_function("() => document.activeElement?.id === 'vote-h'")
    heights = phone.evaluate(
        "[...document.querySelectorAll('#election-form label.choice, #election-form button')]"
        ".map((el) => el.getBoundingClientRect().height)")
    assert heights and min(heights) >= 44, heights
    assert fits_widths(phone, (320,)) == [], "the room scrolls sideways at 320 px"
    no_axe_violations(phone, "room with an election at 320 px")

    phone.click("label.choice:has-text('Bertil Berg')")  # the whole row is the target
    assert phone.is_checked("#election-form input[value='Bertil Berg']")
    # Another member votes meanwhile: the count changes and the panel is redrawn, but this
    # member's tick stays.
    ballot_cast(**live.kw(actor=c.members[3], vote_id=opened.payload["vote_id"],
                          choice=["Anna Andersson"]))
    phone.wait_for_function(
        "() => document.querySelector('#vote .count')?.dataset.cast === '1'")
    assert phone.is_checked("#election-form input[value='Bertil Berg']")
    phone.click("[data-key=cast-election]")
    wait_text(phone, "#ballot-registered", "Din hemliga röst är räknad")
    phone.locator("#vote .receipt").wait_for()
    assert len(phone.text_content("#vote .receipt").strip()) >= 6
    assert phone.locator(".inline-error").count() == 0
    assert fits_widths(phone, (320,)) == []
    site.screenshot(phone, "room-election-320")
