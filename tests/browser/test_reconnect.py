"""A member's browser goes offline, the meeting moves on, and the page catches up when it is
back: the banner while disconnected, then the state and the list of the events it missed."""

from __future__ import annotations

import pytest

from meetings.commands import agenda_approve, attendance_check_in, meeting_open
from meetings.models import Body
from tests.browser.helpers import committee, wait_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_offline_comes_back_and_sees_what_was_missed(site):
    c = committee("Kulturnämnden")
    Body.objects.filter(pk=c.body.pk).update(
        secret_ballot_policy=Body.SecretBallotPolicy.ANY_DECISION)
    mid = c.meeting.pk
    member = c.members[2]
    meeting_open(meeting_id=mid, actor=c.secretary)
    for person in c.members:
        attendance_check_in(meeting_id=mid, actor=c.secretary, user_id=person.pk, remote=False)
    agenda_approve(meeting_id=mid, actor=c.secretary)

    sec = site.page("secretary")
    sec.on("dialog", lambda dialog: dialog.accept())  # closing a vote asks to confirm
    site.login(sec, c.secretary)
    sec.goto(site.url(f"/moten/{mid}/sekreterare/"))
    room = site.page("member", width=375, height=800)
    site.login(room, member)
    room.goto(site.url(f"/moten/{mid}/"))
    for page in (sec, room):
        wait_text(page, "#conn", "Ansluten")
    room.click("details:has(#log) > summary")  # the room keeps its event list folded
    assert room.locator("#offline-banner").is_hidden()

    # The member's network goes away: a clear banner, announced.
    room.context.set_offline(True)
    room.locator("#offline-banner").wait_for(state="visible")
    wait_text(room, "#conn", "Anslutningen bröts")
    # A tap while offline is refused next to the button ("connection lost")...
    room.click("#btn-checkout")
    wait_text(room, "section:has(#my-status) .inline-error", "Anslutningen bröts")

    # Meanwhile the secretary activates an item and pauses and resumes the meeting.
    sec.click(f"[data-key=activate-{c.items[1].pk}]")
    wait_text(sec, "#agenda li[aria-current=true]", "Bygglov")
    sec.fill("#pause-reason", "Kort paus")
    sec.click("#pause-form button[type=submit]")
    sec.locator("#paused-banner").wait_for(state="visible")
    sec.click("[data-key=resume]")
    sec.locator("#paused-banner").wait_for(state="hidden")
    assert room.locator("#agenda li[aria-current=true]").count() == 0  # nothing reached it

    # Back online: reconnect, resync (sync since=<last seq>), and the missed events listed.
    room.context.set_offline(False)
    wait_text(room, "#conn", "Ansluten")
    room.locator("#offline-banner").wait_for(state="hidden")
    wait_text(room, "#agenda li[aria-current=true]", "Bygglov")
    wait_text(room, "#announce", "Anslutningen är återställd")
    # ...and once the connection is back, nothing on the page still says it is lost.
    assert room.locator(".inline-error").count() == 0
    assert "bröts" not in (room.text_content("#alert") or "")
    for event in ("item.activated", "meeting.paused", "meeting.resumed"):
        room.locator(f"#log li.missed[data-event='{event}']").wait_for()
    seqs = [int(s) for s in room.locator("#log li").evaluate_all(
        "items => items.map(li => li.dataset.seq)")]
    assert seqs == sorted(seqs) and len(seqs) == len(set(seqs))
    # Current up to the last event listed, or later: the reconnect's own connection is
    # summed up in a progress frame, which moves the seq on without an entry.
    assert room.evaluate("window.klubba.lastSeq") >= max(seqs)

    # And it is live again: a secret ballot opens, the member votes and keeps a receipt code.
    sec.select_option("#decide-counter", "")
    sec.select_option("#decide-kind", "secret")
    sec.click("[data-key=vote-open]")
    wait_text(room, "#announce", "En omröstning har öppnats")
    room.click("#vote button[data-choice=nej]")
    wait_text(room, "#ballot-registered", "Din hemliga röst är räknad")
    receipt = room.locator("#vote .receipt").inner_text()
    assert len(receipt.strip()) >= 6
    wait_text(sec, "#vote .count", "1 av 5 har röstat")
    assert receipt not in sec.content()  # only the voter ever sees the code
    sec.click("[data-key=vote-close]")
    wait_text(room, "#vote .result", "0 ja, 1 nej, 0 avstår")

    # An election (val) on the same item: candidates, one post, the result names who won.
    # After a vote the path moves on to the decision and folds the vote tools: unfold them.
    if not sec.evaluate("document.getElementById('tool-decide').open"):
        sec.click("#tool-decide > summary")
    sec.select_option("#decide-kind", "election")
    sec.click("#tool-decide details > summary")
    sec.fill("#election-candidates", "Anna Andersson\nBertil Berg")
    sec.click("[data-key=vote-open]")
    room.locator("#election-form").wait_for()
    room.check("#election-form input[value='Bertil Berg']")
    room.click("#election-form button[type=submit]")
    wait_text(room, "#ballot-registered", "Din hemliga röst är räknad")
    sec.click("[data-key=vote-close]")
    wait_text(room, "#vote", "Valda: Bertil Berg")

    # A socket the server or a proxy drops (not the browser going offline) comes back by
    # itself, with backoff, and the page is live again.
    before = room.evaluate("window.klubba.connections")
    room.evaluate("window.klubba.socket.close()")
    # A function, not an expression: Playwright would eval an expression, which the CSP forbids.
    room.wait_for_function(f"() => window.klubba.connections > {before}")
    wait_text(room, "#conn", "Ansluten")
    sec.fill(f"#close-reason-{c.items[1].pk}", "Ärendet utgår")
    sec.click(f"[data-key=close-{c.items[1].pk}]")
    room.locator("#log li[data-event='item.closed']:not(.missed)").wait_for()
