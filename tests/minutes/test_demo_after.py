"""The demo after the meeting: Dnr, föredragande and recipients in the posted minutes, and a
certified extract dispatched (the test's mail backend is Django's locmem outbox)."""

from __future__ import annotations

from django.core import mail
from django.test import override_settings
from django.utils import timezone

from meetings.demo.committee import load_demo
from minutes.models import ExtractDispatch, ProtocolExtract
from minutes.signing import pdfsig_report
from tests.support.minutes import PASSPHRASE
from web.demo import load_minutes_demo
from web.demo_after import load_after_demo


def test_the_demo_has_a_posted_meeting_with_an_extract_dispatched(db, tmp_path, client):
    from django.conf import settings

    klubba = {**settings.KLUBBA, "SIGNING_DIR": tmp_path / "ca",
              "SIGNING_KEY_PASSPHRASE": PASSPHRASE}
    with override_settings(KLUBBA=klubba):
        load_demo(password="demo-pw", now=timezone.now())
        posted = load_minutes_demo(password="demo-pw", now=timezone.now())
        extract = load_after_demo(password="demo-pw", posted=posted)
        assert extract is not None
        assert load_after_demo(password="demo-pw", posted=posted) == extract
    assert ProtocolExtract.objects.count() == 1 and ExtractDispatch.objects.count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == [
        "registrator@lansstyrelsen.example.se", "sokande@example.se"]
    entries = pdfsig_report(bytes(extract.pdf))
    assert len(entries) == 1 and entries[0]["signature_valid"]
    page = client.get(f"/protokoll/{posted.pk}/").content.decode()
    year = posted.document.meeting.starts_at.year
    assert f"Dnr SBN {year}/112" in page and "Föredragande: Lena Berg" in page
    assert "Beslutet skickas till" in page and "Länsstyrelsen i Ekby län" in page
    assert f"SBN {year}/140" not in page  # the confidential item's Dnr stays out
