"""A whole meeting in Chromium: the secretary's console, two members (one remote, who declares
jäv on an item) and a public viewer, from roll call to posted minutes whose PDF verifies."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from meetings.models import Body
from minutes import ca_store
from minutes.models import Publication
from minutes.signing import verify_pdf_or_raise
from tests.browser.helpers import (
    committee,
    fits_width,
    fits_widths,
    no_axe_violations,
    readme_screenshot,
    wait_in_first_screen,
    wait_text,
)
from voting.models import Decision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit_with_enter(page, field: str) -> None:
    """Press Enter in a form field and wait for the page the form posts to."""
    with page.expect_navigation():
        page.press(field, "Enter")


def test_a_whole_meeting_in_four_browsers(site, signing):
    c = committee()
    # The chair presides (casting vote) but leaves the meeting controls to the secretary.
    Body.objects.filter(pk=c.body.pk).update(chair_controls_meeting=False)
    mid = c.meeting.pk
    chair, remote, member = c.members[0], c.members[1], c.members[2]
    bygglov, detaljplan = c.items[1], c.items[2]

    sec = site.page("secretary")
    asked: list[str] = []  # irreversible acts ask to confirm; the secretary says yes

    def confirm(dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    sec.on("dialog", confirm)
    site.login(sec, c.secretary)
    sec.goto(site.url(f"/moten/{mid}/sekreterare/"))
    wait_text(sec, "#conn", "Ansluten")

    a = site.page("remote-member", width=375, height=800)
    site.login(a, remote)
    a.goto(site.url(f"/moten/{mid}/"))
    b = site.page("member", width=375, height=800)
    site.login(b, member)
    b.goto(site.url(f"/moten/{mid}/"))
    public = site.page("public")
    public.goto(site.url(f"/offentligt/{mid}/"))
    for page in (a, b, public):
        wait_text(page, "#conn", "Ansluten")

    # The secretary opens the meeting; everyone sees it.
    sec.click("[data-key=open]")
    for page in (sec, a, b, public):
        wait_text(page, "#meeting-status", "Sammanträdet är öppnat")

    # Roll call: the members check in themselves (one remotely), the secretary the others.
    a.click("#btn-checkin-remote")
    b.click("#btn-checkin")
    substitute = c.substitutes[1]  # same party as seat 2 (M)
    for person in (chair, c.members[3], c.members[4], substitute):
        sec.click(f"[data-key=in-{person.pk}]")
    wait_text(sec, f"#rollcall tr[data-user='{remote.pk}']", "På distans")
    wait_text(sec, f"#rollcall tr[data-user='{member.pk}']", "Närvarande")
    sec.locator(f"[data-key=out-{substitute.pk}]").wait_for()
    sec.click("#btn-confirm-all")
    wait_text(sec, "#quorum", "Beslutför")
    wait_text(a, "#my-status", "distans")
    no_axe_violations(sec, "console after roll call")

    sec.click("[data-key=agenda]")
    sec.check(f"#adj-{remote.pk}")
    sec.click("#adjusters-form button[type=submit]")
    wait_text(sec, "#adjusters", remote.get_full_name())

    # The remote member declares jäv on a later item.
    a.click("details:has(#jav-form) > summary")
    a.select_option("#jav-item", str(detaljplan.pk))
    a.fill("#jav-reason", "Min bror är sökande")
    a.click("#jav-form button[type=submit]")
    a.click("details:has(#log) > summary")  # the room keeps the event list folded
    wait_text(a, "#log", "anmälde jäv")

    # The secretary activates Bygglov; every page highlights it.
    sec.click(f"[data-key=activate-{bygglov.pk}]")
    for page in (sec, a, b, public):
        wait_text(page, "#agenda li[aria-current=true]", "Bygglov")

    # A member asks to speak and makes a counter-proposal.
    b.click("#btn-speak")
    wait_text(b, "#my-place", "Din plats i talarlistan: 1")
    wait_text(sec, "#speakers", member.get_full_name())
    assert a.locator("#btn-speak-done").is_hidden()
    sec.click("[data-key=give-floor]")
    wait_text(b, "#announce", "Det är din tur att tala")
    sec.locator("#speakers .clock").filter(has_text=":").wait_for()  # time spoken, mm:ss
    b.locator("#btn-speak-done").wait_for(state="visible")
    assert a.locator("#btn-speak-done").is_hidden()
    wait_text(b, "#my-place", "Du har ordet")
    # An empty amendment says what is missing, next to the form that was sent.
    b.click("details:has(#proposal-form) > summary")
    b.select_option("#proposal-kind", "andring")
    b.click("#proposal-form button[type=submit]")
    wait_text(b, "#proposal-form .inline-error", "behöver en text")
    b.select_option("#proposal-kind", "avslag")
    b.click("#proposal-form button[type=submit]")
    for page in (sec, a, public):
        wait_text(page, "#proposals", "Avslag")

    # The prepared proposal (Ja) against avslag (Nej) is put for acclamation; a member asks
    # for a vote (votering) before the gavel falls, so the secretary opens an open vote.
    sec.locator("#decide-counter option").nth(2).wait_for(state="attached")
    sec.select_option("#decide-counter", index=2)
    sec.click("#btn-acclamation")
    wait_text(b, "#acclamation", "Ordföranden frågar")
    b.click("[data-key=vote-request]")
    wait_text(sec, "#acclamation", "Votering begärdes")
    wait_text(sec, "#path", "begärt votering")  # the path now offers the vote
    sec.click("#btn-bifall")
    wait_text(sec, "#alert", "begärt votering")
    wait_text(sec, "#decide-form .inline-error", "begärt votering")  # next to the gavel
    sec.click("[data-key=vote-open]")
    for page in (a, b):
        wait_text(page, "#announce", "En omröstning har öppnats")
        page.locator("#vote button[data-choice=ja]").wait_for()
        # On the phone the vote takes the first screen and the focus, without scrolling.
        wait_in_first_screen(page, "#vote button[data-choice=avstar]")
        page.wait_for_function("() => document.activeElement?.id === 'vote-h'")
    assert fits_widths(a) == [], "the room with an open vote scrolls sideways"
    assert a.evaluate("document.querySelector('#vote button[data-choice=ja]')"
                      ".getBoundingClientRect().height") >= 44
    no_axe_violations(a, "meeting room with an open vote")
    site.screenshot(a, "room-vote-open")
    readme_screenshot(a, "meeting-room.png", top=False)
    a.focus("#vote button[data-choice=ja]")
    a.keyboard.press("Enter")  # keyboard operable; focus lands on the confirmation
    b.dblclick("#vote button[data-choice=nej]")  # a double tap is one ballot, and no error
    wait_text(a, "#ballot-registered", "Du röstade Ja")
    wait_text(b, "#ballot-registered", "Du röstade Nej")
    a.wait_for_function("() => document.activeElement?.id === 'ballot-registered'")
    wait_text(sec, "#vote .count", "2 av 5 har röstat")
    wait_text(public, "#vote .count", "2 av 5 har röstat")
    assert fits_width(a) and fits_width(b), "the meeting room scrolls sideways at 375 px"
    assert b.locator(".inline-error").count() == 0 and not b.text_content("#alert")

    # A tie: the chair must decide. The refusal is readable; the chair, on the console the
    # body gives the chair (no meeting controls), closes the vote with a casting vote.
    sec.click("[data-key=vote-close]")
    wait_text(sec, "#alert", "ordföranden måste ge utslagsröst")
    presiding = site.page("chair")
    presiding.on("dialog", lambda dialog: dialog.accept())  # closing a vote asks to confirm
    site.login(presiding, chair)
    presiding.goto(site.url(f"/moten/{mid}/sekreterare/"))
    wait_text(presiding, "#vote .count", "2 av 5 har röstat")
    assert presiding.locator("[data-key=vote-open]").count() == 0
    assert presiding.locator("#rollcall").count() == 0
    presiding.select_option("#casting-vote", "ja")
    presiding.click("[data-key=vote-close]")
    for page in (sec, a, b, public):
        wait_text(page, "#vote .result", "1 ja, 1 nej, 0 avstår")

    # The decision with its § number reaches all four pages.
    sec.select_option("#decision-proposal", index=0)
    sec.click("#decision-form button[type=submit]")
    for page in (sec, a, b, public):
        wait_text(page, "#decisions", "§ 1")
    assert Decision.objects.get(item=bygglov).paragraph == 1
    # The member who voted No reserves, with written reasons, and the room says so at once.
    b.click(f"[data-key=reserve-{bygglov.pk}]")
    b.fill(f"#reserve-text-{bygglov.pk}", "Bygglovet strider mot detaljplanen.")
    b.click(f"[data-key=reserve-send-{bygglov.pk}]")
    wait_text(b, "#decisions", "Du har reserverat dig mot beslutet i § 1")
    wait_text(b, "#decisions", "Bygglovet strider mot detaljplanen.")
    no_axe_violations(public, "public live view")
    site.screenshot(public, "public-live")
    no_axe_violations(sec, "console after a decision")
    site.screenshot(sec, "console")
    assert fits_width(sec), "the console scrolls sideways at 1280 px"
    sec.click(f"[data-key=close-{bygglov.pk}]")
    wait_text(sec, "#agenda", "Behandlat")
    # The reservation stays on the room's decision after the item is closed.
    wait_text(b, f"#agenda li[data-item='{bygglov.pk}']", "Behandlat")
    wait_text(b, "#decisions", "Du har reserverat dig mot beslutet i § 1")

    # On Detaljplan the remote member is recused: the room says so, the console proposes the
    # substitute of the same party for seat 2, and the secretary calls her in for the item.
    sec.click(f"[data-key=activate-{detaljplan.pk}]")
    wait_text(a, "#my-status", "jäv")
    wait_text(sec, "#seats tr[data-seat='2']", "jäv")
    wait_text(sec, "#roster-proposals", substitute.get_full_name())
    sec.click("[data-key=callin-2]")
    wait_text(sec, "#seats tr[data-seat='2']", substitute.get_full_name())
    # No decision on Detaljplan: closing it needs the explicit choice and a reason.
    sec.fill(f"#close-reason-{detaljplan.pk}", "Ärendet bordläggs")
    sec.click(f"[data-key=close-{detaljplan.pk}]")
    wait_text(sec, "#seats tr[data-seat='2']", remote.get_full_name())
    wait_text(sec, f"#agenda li[data-item='{detaljplan.pk}']", "Behandlat")

    sec.click("[data-key=adjourn]")
    for page in (sec, a, b, public):
        wait_text(page, "#meeting-status", "avslutat")

    # Minutes: the secretary locks them, the chair and the adjuster sign, the secretary posts.
    sec.goto(site.url(f"/moten/{mid}/protokoll/"))
    no_axe_violations(sec, "minutes review (draft)")
    # The review is the formatted minutes (as the PDF prints them), not a text dump.
    wait_text(sec, ".minutes-review article h2", "§ 1 Bygglov")
    wait_text(sec, ".minutes-review article", "reserverar sig mot beslutet")
    assert fits_widths(sec) == [], "the minutes review scrolls sideways on a phone"
    site.screenshot(sec, "minutes-review")  # the README's picture: tests/browser/test_justering
    sec.click("form:has(input[value=lock]) button")
    wait_text(sec, "#signers", "inte signerat")
    assert "Låsa protokollet?" in asked[-1]
    signer = presiding
    signer.goto(site.url(f"/moten/{mid}/protokoll/justera/"))
    assert "Bygglov" in signer.locator("details.minutes-review article").text_content()
    signer.fill("#sign-password", "fel lösenord")
    # Submit with Enter in the field, as people do: a click on the button was now and then
    # lost while the PDF viewer in the iframe above was still starting (no POST was sent).
    submit_with_enter(signer, "#sign-password")
    wait_text(signer, "#form-error", "lösenord")
    no_axe_violations(signer, "signing page with an error")
    signer.fill("#sign-password", f"pw-{chair.get_username()}")
    submit_with_enter(signer, "#sign-password")
    wait_text(signer, "#signed-ok", "Din signatur")
    site.screenshot(signer, "signing")
    a.goto(site.url(f"/moten/{mid}/protokoll/justera/"))
    a.fill("#sign-password", f"pw-{remote.get_username()}")
    submit_with_enter(a, "#sign-password")
    wait_text(a, "#signed-ok", "Din signatur")
    sec.reload()
    sec.click("form:has(input[value=post]) button")
    wait_text(sec, "#posted", "Anslaget")
    no_axe_violations(sec, "minutes review (posted)")

    # The public archive shows the minutes, and their PDF verifies against the org root.
    publication = Publication.objects.get(document__meeting_id=mid)
    public.goto(site.url("/arkiv/"))
    public.locator(f"a[href='/protokoll/{publication.pk}/']").first.click()
    public.wait_for_url(site.url(f"/protokoll/{publication.pk}/"))
    no_axe_violations(public, "public minutes")
    site.screenshot(public, "public-minutes")
    readme_screenshot(public, "public-minutes.png")
    assert fits_widths(public) == [], "the public minutes scroll sideways on a phone"
    pdf = public.request.get(site.url(f"/protokoll/{publication.pk}/protokoll.pdf"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    # pyHanko runs its own event loop: verify in a worker thread, away from Playwright's.
    with ThreadPoolExecutor(1) as pool:
        reports = pool.submit(verify_pdf_or_raise, pdf.body(),
                              trust_root_pem=ca_store.trust_roots_pem()).result()
    assert len(reports) == 2 and all(r.valid for r in reports), reports
    # ...and the public verification page says the same to a citizen who uploads it.
    public.goto(site.url("/verifiera/"))
    public.set_input_files("#pdf", files=[{"name": "protokoll.pdf", "mimeType": "application/pdf",
                                           "buffer": pdf.body()}])
    public.click("main form button[type=submit]")
    wait_text(public, "main", "giltiga och betrodda")
    wait_text(public, "main", "identisk med det publicerade protokollet")
    no_axe_violations(public, "verification result")
