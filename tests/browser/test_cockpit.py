"""The secretary's cockpit on one screen, its guided path, errors next to their control,
confirmations and shortcuts; and the room's big screen (public state only)."""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    committee,
    no_axe_violations,
    readme_screenshot,
    wait_in_first_screen,
    wait_text,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_PAGE_SCROLL = "document.scrollingElement.scrollHeight <= window.innerHeight + 1"


def test_the_cockpit_fits_one_screen_and_guides_the_secretary(site):
    from meetings.models import AgendaItem

    c = committee("Kulturnämnden")
    mid = c.meeting.pk
    AgendaItem.objects.filter(pk=c.items[0].pk).update(
        case_number="KN 2026/131", presenter="Lena Berg")
    sec = site.page("cockpit", width=1280, height=800)
    dialogs: list[str] = []

    def answer(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()  # the secretary changes their mind

    sec.on("dialog", answer)
    site.login(sec, c.secretary)
    sec.goto(site.url(f"/moten/{mid}/sekreterare/"))
    wait_text(sec, "#conn", "Ansluten")

    # The path offers the one act that makes sense: open the meeting.
    wait_text(sec, "#path", "Öppna sammanträdet")
    # Before opening: the body's seats, no item to take up (and why), no minutes to sign,
    # and the empty live regions take no room.
    wait_text(sec, "#presence-summary", "0 av 5 platser tjänstgör")
    wait_text(sec, "#agenda", "Dnr KN 2026/131 · Föredragande: Lena Berg")
    activate_first = f"[data-key=activate-{c.items[0].pk}]"
    assert sec.locator(activate_first).is_disabled()
    wait_text(sec, "#agenda-why", "när sammanträdet har öppnats")
    assert sec.locator(activate_first).get_attribute("aria-describedby") == "agenda-why"
    assert sec.locator("a", has_text="Justera protokollet").count() == 0
    for region in ("#alert", "#announce"):
        assert sec.locator(region).bounding_box()["height"] == 0, region
    sec.click("#path button.primary")
    wait_text(sec, "#meeting-status", "Sammanträdet är öppnat")
    wait_text(sec, "#path", "Upprop")
    # Open, but no roll call and agenda yet: still no item may be taken up.
    wait_text(sec, "#agenda-why", "efter uppropet")
    assert sec.locator(activate_first).is_disabled()
    assert sec.evaluate(NO_PAGE_SCROLL), "the cockpit scrolls at 1280×800"
    wait_in_first_screen(sec, "#path button.primary")
    no_axe_violations(sec, "cockpit at roll call")

    # A refusal appears next to the control that caused it, and in the live region.
    sec.click("[data-key=give-floor]")
    wait_text(sec, "section:has(#speakers) .inline-error", "behandlas inte")
    sec.wait_for_function(
        "() => document.getElementById('alert').textContent.includes('behandlas inte')")
    wait_in_first_screen(sec, "section:has(#speakers) .inline-error")
    no_axe_violations(sec, "cockpit with an error")

    # Adjourning is irreversible: it asks first, and a "no" leaves the meeting open.
    sec.click("[data-key=adjourn]")
    assert dialogs and "kan inte öppnas igen" in dialogs[-1]
    wait_text(sec, "#meeting-status", "Sammanträdet är öppnat")

    # Keyboard: "?" shows the shortcuts; "s" takes the path's next step.
    sec.locator("body").press("?")
    sec.locator("#shortcuts dl").wait_for()
    sec.locator("body").press("?")
    sec.locator("#shortcuts dl").wait_for(state="hidden")
    for member in c.members:
        meeting_checkin = f"[data-key=in-{member.pk}]"
        sec.click(meeting_checkin)
        sec.locator(f"[data-key=out-{member.pk}]").wait_for()
    sec.locator("body").press("s")  # confirm everyone checked in
    wait_text(sec, "#presence-summary", "5 av 5 platser tjänstgör")
    wait_text(sec, "#quorum", "Beslutfört: 5 tjänstgörande ledamöter närvarande, 3 krävs")
    sec.click("[data-key=path-agenda]")
    wait_text(sec, "#path", "Behandla: ")
    sec.click("#path button.primary")
    wait_text(sec, "#agenda li[aria-current=true]", c.items[0].title)
    wait_text(sec, "#item .case-keys", "Dnr KN 2026/131 · Föredragande: Lena Berg")
    assert sec.locator("#agenda-why").inner_text() == ""
    wait_text(sec, "#path", "Ställ proposition")
    assert sec.locator(".inline-error").count() == 0  # the earlier refusal is no longer news
    assert sec.evaluate(NO_PAGE_SCROLL), "the cockpit scrolls at 1280×800 with an item"
    no_axe_violations(sec, "cockpit with an active item")
    sec.evaluate("document.querySelectorAll('.cockpit > div').forEach((d) => { d.scrollTop = 0; })")
    site.screenshot(sec, "cockpit-1280")
    readme_screenshot(sec, "cockpit.png", top=False)

    sec.set_viewport_size({"width": 1920, "height": 1080})
    assert sec.evaluate(NO_PAGE_SCROLL), "the cockpit scrolls at 1920×1080"
    site.screenshot(sec, "cockpit-1920")


def test_the_big_screen_shows_the_public_state_in_large_type(site):
    from meetings.commands import speaker_give_floor, speaker_request, speaker_time_add
    from meetings.models import Body, SpeakerRequest
    from tests.support.voting import start_item
    from voting.commands import ballot_cast, vote_close, vote_open

    c = committee("Fritidsnämnden")
    Body.objects.filter(pk=c.body.pk).update(speaking_time_seconds=180)  # talartid 3 min
    live = start_item(c)
    mid = live.meeting_id
    speaker, waiting = c.members[1], c.members[2]
    speaker_request(**live.kw(actor=speaker))
    speaker_request(**live.kw(actor=waiting))
    speaker_give_floor(**live.kw(actor=c.secretary))
    speaker_time_add(**live.kw(actor=c.chair, seconds=60))
    started = SpeakerRequest.objects.get(state="speaking").started_at
    vote_id = vote_open(**live.kw(actor=c.secretary, item_id=live.item.pk, kind="open",
                                  main_proposal_id=live.prepared().pk)).payload["vote_id"]
    ballot_cast(**live.kw(actor=c.members[0], vote_id=vote_id, choice="ja"))

    screen = site.page("big-screen", width=1920, height=1080)
    screen.goto(site.url(f"/offentligt/{mid}/storbild/"))
    wait_text(screen, "#conn", "Ansluten")
    wait_text(screen, "#big-item", live.item.title)
    wait_text(screen, "#big-floor", speaker.get_full_name())
    screen.locator("#big-clock").filter(has_text=":").wait_for()  # time spoken, mm:ss
    # The countdown: from the speech's start in the log and its limit (3 min + 1 added).
    countdown = screen.locator("#big-countdown")
    countdown.filter(has_text="kvar").wait_for()
    assert countdown.get_attribute("data-limit") == "240"
    assert screen.evaluate("Date.parse(document.querySelector('#big-countdown').dataset.since)"
                           ) == int(started.timestamp() * 1000)
    # The chair adds a minute from the cockpit: the big screen and the room follow.
    chair = site.page("chair")
    site.login(chair, c.chair)
    chair.goto(site.url(f"/moten/{mid}/sekreterare/"))
    chair.locator("#speakers .countdown").filter(has_text="kvar").wait_for()
    chair.click("[data-key=time-add]")
    screen.locator("#big-countdown[data-limit='300']").wait_for()
    room = site.page("member", width=375, height=800)
    site.login(room, waiting)
    room.goto(site.url(f"/moten/{mid}/"))
    room.locator("#speakers .countdown[data-limit='300']").filter(has_text="kvar").wait_for()
    wait_text(screen, "#big-queue", f"1 {waiting.get_full_name()}")
    wait_text(screen, "#big-vote", "Omröstning pågår: 1 av 5 har röstat")
    wait_text(screen, "#quorum", "Beslutfört")
    no_axe_violations(screen, "big screen during a vote")
    assert screen.evaluate(NO_PAGE_SCROLL)
    site.screenshot(screen, "big-screen-vote")
    for member in c.members[1:4]:
        ballot_cast(**live.kw(actor=member, vote_id=vote_id, choice="nej"))
    vote_close(**live.kw(actor=c.secretary, vote_id=vote_id))
    screen.reload()  # the commands ran in this process, not through the server's fan-out
    # After a reload the countdown is the same: computed, not kept in the page.
    screen.locator("#big-countdown[data-limit='300']").filter(has_text="kvar").wait_for()
    # An open vote's result with the names, as the public may see it.
    wait_text(screen, "#big-vote", "Ja 1 · Nej 3 · Avstår 0")
    wait_text(screen, "#big-vote", f"{c.members[0].get_full_name()}: Ja")
    no_axe_violations(screen, "big screen with a result")
    readme_screenshot(screen, "big-screen.png")
    site.screenshot(screen, "big-screen-result")

    c.meeting.is_public = False
    c.meeting.save(update_fields=["is_public"])
    assert screen.goto(site.url(f"/offentligt/{mid}/storbild/")).status == 404
