"""Setting up in the browser (issue 15): the organisation administrator creates a body with
seats, a substitute and offices; the secretary creates a meeting and its agenda (Dnr,
föredragande, a confidential item, a document), moves an item and copies the agenda into a
second meeting. Every setup page passes axe, fits a phone without sideways scrolling, and is
photographed at 375 and 1280 px (test-output/browser/setup-*.png)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from meetings.models import AgendaItem, Attachment, Body, BodyRole, Meeting, Seat, Substitute
from tests.browser.helpers import fits_widths, no_axe_violations, wait_text
from tests.support.setup import make_organisation_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
BODY = "Kultur- och fritidsnämnden"


def check(site, page, name: str) -> None:
    """axe-clean, no sideways scroll at 320 and 375 px, photographed at 375 and 1280 px."""
    no_axe_violations(page, name)
    assert fits_widths(page) == [], f"{name} scrolls sideways"
    assert page.evaluate("document.documentElement.lang") == "sv"
    before = page.viewport_size
    page.set_viewport_size({"width": 375, "height": 800})
    site.screenshot(page, f"setup-{name}-375")
    page.set_viewport_size({"width": 1280, "height": 900})
    site.screenshot(page, f"setup-{name}-1280")
    page.set_viewport_size(before)


def small_targets(page) -> list[str]:
    """Buttons, links and fields in the main content under 44 px high (WCAG 2.5.5); a
    checkbox's target is its label."""
    return page.evaluate("""() => [...document.querySelectorAll(
        'main button, main a.button, main input:not([type=hidden]):not([type=checkbox]), '
        + 'main select, .crumbs a, .field.check label')]
        .filter(el => el.getBoundingClientRect().height > 0
                      && el.getBoundingClientRect().height < 43.5)
        .map(el => el.outerHTML.slice(0, 80))""")


def add_person(page, prefix: str, first: str, last: str, email: str, party: str) -> None:
    page.fill(f"#id_{prefix}-first_name", first)
    page.fill(f"#id_{prefix}-last_name", last)
    page.fill(f"#id_{prefix}-email", email)
    page.fill(f"#id_{prefix}-party", party)


def test_administrator_and_secretary_set_up_a_body_a_meeting_and_its_agenda(site, tmp_path):
    admin = make_organisation_admin()
    secretary = get_user_model().objects.create_user(
        username="sara", password="pw-sara", first_name="Sara", last_name="Lindqvist",
        email="sara@ekby.se")

    # --- The organisation administrator: a body, its seats, a substitute, offices.
    page = site.page("admin", width=375, height=800)
    site.login(page, admin)
    page.click("header nav >> text=Organisation")
    page.wait_for_url(site.url("/organisation/"))
    check(site, page, "overview-empty")
    page.click("text=Nytt organ")
    page.fill("#id_name", BODY)
    page.select_option("#id_kind", "namnd")
    page.fill("#id_organisation", "Ekby kommun")
    page.fill("#id_seats_count", "3")
    page.select_option("#id_substitute_policy", "body_order")
    check(site, page, "body-new")
    page.click("form.setup-form button[type=submit]")
    wait_text(page, "h1", BODY)
    body = Body.objects.get(name=BODY)
    assert (body.seats_count, body.substitute_policy) == (3, "body_order")
    for first, last, email, party in (("Anna", "Berg", "anna@ekby.se", "S"),
                                      ("Erik", "Holm", "erik@ekby.se", "M")):
        add_person(page, "seat", first, last, email, party)
        page.click("#seats form.setup-form button[type=submit]")
        wait_text(page, "#seat-list", f"{first} {last} ({party})")
    # A refused seat: the error is next to the field, announced, and nothing is saved.
    add_person(page, "seat", "Karin", "Ek", "karin@ekby.se", "C")
    page.fill("#id_seat-number", "7")
    page.click("#seats form.setup-form button[type=submit]")
    wait_text(page, "#id_seat-number_error", "mellan 1 och organets antal platser")
    assert page.get_attribute("#id_seat-number", "aria-describedby").endswith(
        "id_seat-number_error")
    wait_text(page, "#seats .form-errors", "Rätta det som är markerat")
    assert not get_user_model().objects.filter(email="karin@ekby.se").exists()
    check(site, page, "body-seat-error")
    page.fill("#id_seat-number", "")
    page.click("#seats form.setup-form button[type=submit]")
    wait_text(page, "#seat-list", "Karin Ek (C)")
    for first, last, email, party in (("Olof", "Sund", "olof@ekby.se", "S"),
                                      ("Lina", "Wall", "lina@ekby.se", "M")):
        add_person(page, "sub", first, last, email, party)
        page.click("#substitutes form.setup-form button[type=submit]")
        wait_text(page, "#substitute-list", f"{first} {last}")
    page.click("#substitute-list li:nth-child(2) button:has-text('Flytta upp')")
    wait_text(page, "#substitute-list li:first-child", "Lina Wall")
    assert list(Substitute.objects.filter(body=body).order_by("call_in_order")
                .values_list("user__email", flat=True)) == ["lina@ekby.se", "olof@ekby.se"]
    anna = Seat.objects.get(body=body, number=1).member
    page.select_option("#id_office-role", "chair")
    page.select_option("#id_office-person", str(anna.pk))
    page.click("#offices form.setup-form button[type=submit]")
    wait_text(page, "#office-list", "Ordförande: Anna Berg")
    page.select_option("#id_office-role", "secretary")
    page.fill("#id_office-last_name", "Lindqvist")
    page.fill("#id_office-email", "sara@ekby.se")
    page.click("#offices form.setup-form button[type=submit]")
    wait_text(page, "#office-list", "Sekreterare: Sara Lindqvist")
    assert BodyRole.objects.filter(body=body, user=secretary, role="secretary").exists()
    assert small_targets(page) == []
    check(site, page, "body")
    # A seat's and a substitute's own pages.
    page.click("#seat-list li:first-child a:has-text('Ändra')")
    wait_text(page, "h1", "Plats 1: Anna Berg")
    check(site, page, "seat")
    page.goto(site.url(f"/organisation/organ/{body.pk}/"))
    page.click("#substitute-list li:first-child a:has-text('Ändra')")
    wait_text(page, "h1", "Ersättare 1: Lina Wall")
    check(site, page, "substitute")

    # --- The secretary: a meeting and its agenda.
    sec = site.page("secretary", width=375, height=800)
    site.login(sec, secretary)
    sec.click("main >> text=Organisation: organ")
    sec.click("#bodies a:has-text('Sammanträden')")
    wait_text(sec, "h1", BODY)
    check(site, sec, "meetings-empty")
    sec.fill("#id_title", "Sammanträde")
    sec.fill("#id_starts_at", "2027-02-09T18:00")
    sec.fill("#id_ends_at", "2027-02-09T17:00")
    sec.fill("#id_place", "Kulturhuset, sal 2")
    sec.click("form.setup-form button[type=submit]")
    wait_text(sec, "#id_ends_at_error", "Planerat slut måste vara efter starten.")
    check(site, sec, "meetings-error")
    assert not Meeting.objects.filter(body=body).exists()
    sec.fill("#id_ends_at", "2027-02-09T21:00")
    sec.click("form.setup-form button[type=submit]")
    wait_text(sec, "#agenda", "Föredragningslistan är tom")
    meeting = Meeting.objects.get(body=body)

    def add_item(title: str, *, dnr: str = "", presenter: str = "", confidential=False):
        sec.fill("#id_item-title", title)
        sec.fill("#id_item-case_number", dnr)
        sec.fill("#id_item-presenter", presenter)
        sec.fill("#id_item-prepared_proposal", f"Förslag: {title}")
        sec.set_checked("#id_item-confidential", confidential)
        sec.click("#add-item button[type=submit]")
        wait_text(sec, "#agenda-items", title)

    add_item("Upprop")
    add_item("Bidrag till föreningar 2027", dnr="KFN 2026/88",
             presenter="Lena Ek, kulturchef")
    add_item("Ansökan om skyddat boende", confidential=True)
    add_item("Taxor för kulturskolan", dnr="KFN 2026/91")
    titles = list(meeting.items.order_by("position").values_list("title", flat=True))
    assert titles == ["Upprop", "Bidrag till föreningar 2027", "Taxor för kulturskolan",
                      "Ansökan om skyddat boende"]  # the closed item stays last
    wait_text(sec, "#agenda-items", "Dnr KFN 2026/88 · Föredragande: Lena Ek, kulturchef")
    wait_text(sec, "#agenda-items li.closed", "Sekretess")
    taxor = AgendaItem.objects.get(meeting=meeting, title="Taxor för kulturskolan")
    sec.click(f"#item-{taxor.pk} button:has-text('Flytta upp')")
    wait_text(sec, "#agenda-items li:nth-child(2)", "Taxor för kulturskolan")
    taxor.refresh_from_db()
    assert taxor.position == 2
    assert small_targets(sec) == []
    check(site, sec, "agenda")

    # A document: a wrong type is refused next to the field; a PDF is attached.
    bidrag = AgendaItem.objects.get(meeting=meeting, case_number="KFN 2026/88")
    sec.click(f"#item-{bidrag.pk} a:has-text('Ändra och handlingar')")
    wait_text(sec, "h1", "Bidrag till föreningar 2027")
    bad = tmp_path / "program.exe"
    bad.write_bytes(b"MZ\x90\x00")
    sec.set_input_files("#id_doc-file", str(bad))
    sec.click("#documents form button[type=submit]")
    wait_text(sec, "#id_doc-file_error", "Den här filtypen kan inte bifogas.")
    check(site, sec, "item-upload-error")
    good = tmp_path / "tjansteskrivelse.pdf"
    good.write_bytes(PDF)
    sec.fill("#id_doc-title", "Tjänsteskrivelse")
    sec.set_input_files("#id_doc-file", str(good))
    sec.click("#documents form button[type=submit]")
    wait_text(sec, "#attachment-list", "Tjänsteskrivelse")
    assert Attachment.objects.get(item=bidrag).title == "Tjänsteskrivelse"
    check(site, sec, "item")

    # A second meeting, its agenda copied from the first.
    sec.click(".crumbs a:has-text('Sammanträden')")
    sec.fill("#id_title", "Sammanträde i mars")
    sec.fill("#id_starts_at", "2027-03-09T18:00")
    sec.fill("#id_ends_at", "")
    sec.click("form.setup-form button[type=submit]")
    wait_text(sec, "#agenda", "Föredragningslistan är tom")
    sec.select_option("#id_copy-source", str(meeting.pk))
    sec.click("#copy button[type=submit]")
    wait_text(sec, "#agenda-items", "Ansökan om skyddat boende")
    second = Meeting.objects.get(title="Sammanträde i mars")
    assert list(second.items.order_by("position").values_list(
        "title", "case_number", "confidential")) == list(meeting.items.order_by(
            "position").values_list("title", "case_number", "confidential"))
    # Removing asks first (confirm.js), then the item is gone.
    upprop = second.items.get(title="Upprop")
    sec.once("dialog", lambda dialog: dialog.accept())
    sec.click(f"#item-{upprop.pk} button:has-text('Ta bort')")
    sec.wait_for_function(f"() => !document.querySelector('#item-{upprop.pk}')")
    assert not second.items.filter(pk=upprop.pk).exists()
    check(site, sec, "agenda-copied")
    sec.goto(site.url("/organisation/"))
    check(site, sec, "overview-secretary")
    page.goto(site.url("/organisation/"))
    check(site, page, "overview-admin")
    # The administrator sees the meeting's setup page without the kallelse link, which only
    # the body's secretary may open.
    page.goto(site.url(f"/organisation/sammantraden/{second.pk}/"))
    wait_text(page, "#agenda-h", "Föredragningslista")
    assert page.locator("#to-notice").count() == 0
    check(site, page, "agenda-admin")
    sec.goto(site.url(f"/organisation/sammantraden/{second.pk}/"))
    assert sec.locator("#to-notice").count() == 1
