"""Public pages: notice board, archive, minutes page, feed, JSON, verification, root download."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from minutes import ca_store
from minutes.commands import minutes_lock, minutes_post, minutes_sign
from minutes.models import Publication
from minutes.public import MAX_UPLOAD_BYTES
from tests.support.minutes import PNR


@pytest.fixture
def posted(held, signing_dir):
    c = held.c
    minutes_lock(meeting_id=c.meeting.pk, actor=c.secretary)
    for user in [c.chair, *held.adjusters]:
        minutes_sign(meeting_id=c.meeting.pk, actor=user, password="pw-" + user.username)
    minutes_post(meeting_id=c.meeting.pk, actor=c.secretary)
    return Publication.objects.get()


def upload(client: Client, data: bytes, name: str = "protokoll.pdf"):
    return client.post("/verifiera/", {"pdf": SimpleUploadedFile(name, data, "application/pdf")})


def body(response) -> str:
    return response.content.decode()


def test_public_pages_are_open_to_anonymous_users_and_never_show_confidential_text(posted,
                                                                                    client):
    urls = ["/anslag/", "/arkiv/", f"/arkiv/?organ={posted.body_id}&ar=2026&q=Bygglov",
            "/arkiv/feed.atom", "/arkiv.json", f"/protokoll/{posted.pk}/",
            f"/protokoll/{posted.pk}/protokoll.pdf", "/verifiera/", "/verifiera/rot.pem"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode("latin-1")
        assert "XYZZY" not in content and "Sekretessärende" not in content, url
        assert PNR not in content and "800101-1234" not in content, url


def test_notice_board_and_minutes_page_show_the_dates_and_the_paragraphs(posted, client):
    page = body(client.get("/anslag/"))
    assert "Testnämnden" in page and posted.appeal_last_day.isoformat() in page
    minutes = body(client.get(f"/protokoll/{posted.pk}/"))
    assert 'lang="sv"' in minutes and "<main" in minutes
    assert "§ 2 Bygglov" in minutes and "§ 4 Sekretess" in minutes
    assert posted.document.public_sha256 in minutes
    assert posted.posted_on.isoformat() in minutes
    pdf = client.get(f"/protokoll/{posted.pk}/protokoll.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content == bytes(posted.document.public_pdf)


def test_notice_comes_down_after_three_weeks_and_stays_in_the_archive(posted, client):
    Publication.objects.filter(pk=posted.pk).update(
        posted_on=posted.posted_on - timedelta(days=22),
        taken_down_on=posted.taken_down_on - timedelta(days=22),
        appeal_last_day=posted.appeal_last_day - timedelta(days=22),
    )
    assert f"/protokoll/{posted.pk}/" not in body(client.get("/anslag/"))
    assert f"/protokoll/{posted.pk}/" in body(client.get("/arkiv/"))


def test_archive_search_feed_and_json(posted, client):
    assert f"/protokoll/{posted.pk}/" in body(client.get("/arkiv/?q=Detaljplan"))
    assert f"/protokoll/{posted.pk}/" not in body(client.get("/arkiv/?q=XYZZY"))
    assert f"/protokoll/{posted.pk}/" not in body(client.get("/arkiv/?ar=1999"))
    feed = body(client.get("/arkiv/feed.atom"))
    assert "<feed" in feed and f"/protokoll/{posted.pk}/" in feed
    data = json.loads(client.get("/arkiv.json").content)
    (entry,) = data["minutes"]
    assert entry["appeal_last_day"] == posted.appeal_last_day.isoformat()
    assert entry["pdf_sha256"] == hashlib.sha256(bytes(posted.document.public_pdf)).hexdigest()
    assert data["total"] == 1
    assert json.loads(client.get("/arkiv.json?offset=1").content)["minutes"] == []


def test_unposted_minutes_are_not_public(held, signing_dir, client):
    minutes_lock(meeting_id=held.c.meeting.pk, actor=held.c.secretary)
    assert client.get("/protokoll/1/").status_code == 404
    assert json.loads(client.get("/arkiv.json").content)["minutes"] == []


def test_verification_page_accepts_the_published_pdf(posted):
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "en"  # English by choice (not by Accept-Language)
    page = client.get("/verifiera/")
    token = page.cookies["csrftoken"].value
    response = client.post("/verifiera/", {
        "pdf": SimpleUploadedFile("p.pdf", bytes(posted.document.public_pdf)),
        "csrfmiddlewaretoken": token,
    })
    html = body(response)
    assert response.status_code == 200
    assert "All 3 signatures are valid and trusted" in html
    assert "byte-identical to the published minutes" in html
    assert html.count('<span class="ok">') >= 6  # intact + trusted for each signature
    assert ca_store.root_fingerprint() in html


def test_verification_page_refuses_without_csrf(posted):
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "en"  # English by choice (not by Accept-Language)
    response = client.post("/verifiera/", {
        "pdf": SimpleUploadedFile("p.pdf", bytes(posted.document.public_pdf))})
    assert response.status_code == 403


def test_verification_page_says_a_changed_pdf_is_not_valid(posted, client):
    data = bytearray(posted.document.public_pdf)
    data[len(posted.document.public_unsigned) // 2] ^= 0x01
    html = body(upload(client, bytes(data)))
    assert "NOT VALID" in html
    assert "not identical to any published minutes" in html
    assert "for them only the signatures count, and here they are not valid" in html
    assert "All 3 signatures" not in html


def test_verification_page_explains_bad_uploads_without_a_traceback(posted, client):
    cases = [
        (b"hello, not a pdf", "The file is not a PDF."),
        (b"%PDF-1.4\n garbage garbage", "could not be read as a PDF"),
        (b"", "The file is empty."),
    ]
    for data, message in cases:
        response = upload(client, data)
        assert response.status_code == 400
        assert message in body(response)
        assert "Traceback" not in body(response)
    response = client.post("/verifiera/", {})
    assert response.status_code == 400 and "Choose a PDF file" in body(response)
    response = upload(client, b"%PDF-" + b"0" * MAX_UPLOAD_BYTES)
    assert response.status_code == 413 and "too large" in body(response)
    unsigned = bytes(posted.document.public_unsigned)
    html = body(upload(client, unsigned))
    assert "contains no signatures" in html


def test_root_certificate_download(signing_dir, client, db):
    response = client.get("/verifiera/rot.pem")
    assert response.status_code == 200
    assert response.content == ca_store.organisation_ca().cert_pem
    assert ca_store.root_fingerprint() in body(client.get("/verifiera/"))


def test_notice_board_is_empty_without_publications(client, db):
    response = client.get("/anslag/")
    assert response.status_code == 200
    assert "no notices" in body(response)


def test_published_page_shows_the_minutes_as_locked(posted, client):
    from meetings.models import AgendaItem

    AgendaItem.objects.filter(meeting=posted.document.meeting, position=2).update(
        title="Ändrad titel efter justeringen")
    page = body(client.get(f"/protokoll/{posted.pk}/"))
    assert "§ 2 Bygglov" in page and "Ändrad titel" not in page
