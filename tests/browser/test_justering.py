"""The justering loop in Chromium: an adjuster comments on a § on her phone, the chair approves
it, the secretary revises and locks version 2 (confirming), a signature prepared on version 1
is refused, both sign version 2, and the review page shows the history of versions and
remarks."""

from __future__ import annotations

import pytest

from meetings.models import AgendaItem
from minutes.models import MinutesDocument
from tests.browser.helpers import fits_widths, no_axe_violations, readme_screenshot, wait_text
from tests.support.committee import make_committee
from tests.support.minutes import hold_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REMARK = "Ange tjänsteskrivelsens datum i beslutsunderlaget."
REVISION = "Tjänsteskrivelse daterad 2026-11-02."


def submit_with_enter(page, field: str) -> None:
    with page.expect_navigation():
        page.press(field, "Enter")


def sign(site, page, user) -> None:
    page.fill("#sign-password", f"pw-{user.get_username()}")
    submit_with_enter(page, "#sign-password")


def test_remark_revise_lock_version_two_and_sign_it(site, signing):
    held = hold_meeting(make_committee())
    c, mid = held.c, held.c.meeting.pk
    adjuster = held.adjusters[0]
    review = site.url(f"/moten/{mid}/protokoll/")

    sec = site.page("secretary")
    asked: list[str] = []
    sec.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    site.login(sec, c.secretary)
    sec.goto(review)
    sec.click("form:has(input[value=lock]) button")
    wait_text(sec, "#version", "Version 1")
    assert "Låsa protokollet?" in asked[-1]
    number = AgendaItem.objects.get(pk=c.items[1].pk).paragraph

    # The adjuster, on her phone, comments on the § of the formatted minutes.
    phone = site.page("adjuster", width=375, height=800)
    site.login(phone, adjuster)
    phone.goto(review)
    wait_text(phone, f".minutes-review article h2#p-{number}", f"§ {number}")
    phone.fill(f"#remark-{number}", REMARK)
    with phone.expect_navigation():
        phone.click(f"[data-paragraph='{number}'] .remark-form button")
    wait_text(phone, f"[data-paragraph='{number}'] .remarks", REMARK)
    no_axe_violations(phone, "minutes review (adjuster)")
    assert fits_widths(phone, (375,)) == [], "the justering review scrolls sideways on a phone"
    site.screenshot(phone, "justering-adjuster-375")
    # She opens the signing page of version 1 and leaves it open.
    phone.goto(site.url(f"/moten/{mid}/protokoll/justera/"))
    wait_text(phone, "#version", "Version 1")

    chair = site.page("chair")
    site.login(chair, c.chair)
    chair.goto(review)
    with chair.expect_navigation():
        chair.click(f"[data-paragraph='{number}'] .approve-form button")
    wait_text(chair, f"[data-paragraph='{number}'] .remarks", "Godkänd av")

    # The secretary sees the remark at the §, revises the text and locks version 2.
    sec.reload()
    wait_text(sec, f"[data-paragraph='{number}'] .remarks", REMARK)
    sec.fill(f"#revise-{number}", REVISION)
    with sec.expect_navigation():
        sec.click(f"[data-paragraph='{number}'] .revise-form button")
    wait_text(sec, "#revised-note", "Lås en ny version")
    sec.click("form:has(input[value=lock]) button")
    wait_text(sec, "#version", "Version 2")
    assert "ny version" in asked[-1]
    wait_text(sec, f".minutes-review article section:has(#p-{number})", REVISION)

    # The signature on the page of version 1 is refused; the reloaded page signs version 2.
    sign(site, phone, adjuster)
    wait_text(phone, "#form-error", "ersatts")
    chair.goto(site.url(f"/moten/{mid}/protokoll/justera/"))
    wait_text(chair, "#version", "Version 2")
    sign(site, chair, c.chair)
    wait_text(chair, "#signed-ok", "Din signatur")
    phone.goto(site.url(f"/moten/{mid}/protokoll/justera/"))
    wait_text(phone, "#version", "Version 2")
    sign(site, phone, adjuster)
    wait_text(phone, "#signed-ok", "Din signatur")
    current = MinutesDocument.objects.get(meeting_id=mid, superseded_at__isnull=True)
    assert current.version == 2 and current.signatures.count() == 2
    assert not MinutesDocument.objects.get(meeting_id=mid, version=1).signatures.exists()

    # The review page keeps the history: version 1, the remark, the revision, version 2, the
    # signatures; once signed, no more remarks or new versions are offered.
    sec.reload()
    history = sec.locator("#history")
    for text in ("Version 1 låst", f"Synpunkt på § {number} (version 1)", REMARK,
                 f"§ {number} godkänd (version 1)", "ändrad av", "Version 2 låst",
                 "Version 2 justerad av"):
        wait_text(sec, "#history", text)
    assert history.locator("li[data-kind=locked]").count() == 2
    assert sec.locator(".revise-form").count() == 0
    assert sec.locator("form:has(input[value=lock])").count() == 0
    no_axe_violations(sec, "minutes review (history)")
    assert fits_widths(sec, (375,)) == [], "the review with history scrolls sideways"
    site.screenshot(sec, "justering-history")
    sec.evaluate("document.querySelector('#history-h').scrollIntoView()")
    readme_screenshot(sec, "minutes-review.png", top=False)
