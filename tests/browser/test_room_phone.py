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


def test_before_the_meeting_the_room_says_who_serves_and_lists_dnr(site):
    """A member with förhinder sees who serves for her (no check-in buttons) and can withdraw
    it; the substitute called in is told the roll call confirms it; the agenda shows each
    item's Dnr and föredragande."""
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import AgendaItem, Meeting
    from notices.models import SubstituteRequest
    from notices.services import answer_substitute_request, report_absence

    c = committee("Förhindernämnden")
    Meeting.objects.filter(pk=c.meeting.pk).update(starts_at=timezone.now() + timedelta(days=7))
    AgendaItem.objects.filter(pk=c.items[1].pk).update(case_number="FN 2026/7",
                                                        presenter="Anna Berg, planchef")
    mid = c.meeting.pk
    member, e1 = c.members[4], c.substitutes[0]
    report_absence(meeting_id=mid, actor=member)
    request = SubstituteRequest.objects.get(substitute__user=e1)
    answer_substitute_request(meeting_id=mid, actor=e1, request_id=request.pk, accept=True)

    phone = site.page("forhinder-phone", width=375, height=740)
    site.login(phone, member)
    phone.goto(site.url(f"/moten/{mid}/"))
    wait_text(phone, "#conn", "Ansluten")
    wait_text(phone, "#my-status", "Du har anmält förhinder – Ersattare1 Efternamn tjänstgör "
                                   "för dig.")
    assert phone.locator("#btn-checkin").is_hidden()
    assert "Du har inte anmält närvaro" not in phone.text_content("#my-status")
    wait_text(phone, "#agenda", "Dnr FN 2026/7 · Föredragande: Anna Berg, planchef")
    assert fits_widths(phone, (375,)) == []
    no_axe_violations(phone, "room before the meeting, förhinder, 375 px")
    site.screenshot(phone, "room-forhinder-375")

    desk = site.page("called-desktop", width=1280, height=900)
    site.login(desk, e1)
    desk.goto(site.url(f"/moten/{mid}/"))
    wait_text(desk, "#conn", "Ansluten")
    wait_text(desk, "#my-status", "Du är kallad att tjänstgöra för Ledamot5 Efternamn "
                                  "(plats 5); det bekräftas vid uppropet.")
    assert "tjänstgör inte just nu" not in desk.text_content("#my-status")
    site.screenshot(desk, "room-called-1280")

    # Withdrawn from the room: the förhinder page says she may report again.
    phone.click("[data-key=withdraw-absence]")
    wait_text(phone, "main", "Jag kan inte komma (anmäl förhinder)")
    assert SubstituteRequest.objects.get(pk=request.pk).state == "released"

    # Once the meeting opens the roll call decides: the room drops the förhinder line and the
    # withdraw button, and offers check-in again.
    from meetings.commands import meeting_open

    other = c.members[3]
    report_absence(meeting_id=mid, actor=other)
    site.login(desk, other)
    desk.goto(site.url(f"/moten/{mid}/"))
    wait_text(desk, "#conn", "Ansluten")
    wait_text(desk, "#my-status", "Du har anmält förhinder")
    meeting_open(meeting_id=mid, actor=c.secretary)
    desk.locator("#btn-checkin").wait_for(state="visible")
    desk.locator("[data-key=withdraw-absence]").wait_for(state="hidden")
    wait_text(desk, "#my-status", "Du har inte anmält närvaro")
