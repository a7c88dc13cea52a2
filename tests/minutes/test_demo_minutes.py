"""The demo's earlier meeting: held through the commands, signed, posted; loading is idempotent."""

from __future__ import annotations

from django.test import override_settings
from django.utils import timezone

from meetings.demo.committee import load_demo
from minutes import ca_store
from minutes.models import MinutesDocument, Publication
from minutes.public import notice_board
from minutes.signing import all_valid, verify_pdf
from tests.support.minutes import PASSPHRASE
from web.demo import load_minutes_demo


def test_demo_minutes_are_signed_posted_and_idempotent(db, tmp_path, client):
    from django.conf import settings

    klubba = {**settings.KLUBBA, "SIGNING_DIR": tmp_path / "ca",
              "SIGNING_KEY_PASSPHRASE": PASSPHRASE}
    with override_settings(KLUBBA=klubba):
        load_demo(password="demo-pw", now=timezone.now())
        posted = load_minutes_demo(password="demo-pw", now=timezone.now())
        assert posted is not None
        assert load_minutes_demo(password="demo-pw", now=timezone.now()) == posted
        assert Publication.objects.count() == 1 and MinutesDocument.objects.count() == 1
        assert notice_board() == [posted]
        document = posted.document
        for data in (bytes(document.full_pdf), bytes(document.public_pdf)):
            reports = verify_pdf(data, trust_root_pem=ca_store.trust_roots_pem())
            assert all_valid(reports, expected=3)
            assert [r.signer_common_name for r in reports] == [
                "Anna Bergström", "Erik Johansson", "Fatima Hassan"]
        page = client.get(f"/protokoll/{posted.pk}/").content.decode()
        assert "Lars Nilsson reserverar sig" in page and "19650412-3391" not in page
        assert "§ 6 Sekretess" in page
        # The proportional election (lag 2022:629): S 5, M 3, C 2 -> S, M, S by d'Hondt.
        assert "Proportionellt val med slutna sedlar" in page
        assert "Valda: Mohammed Ali, Ingrid Svensson, Fatima Hassan." in page
        assert "valsedel: S: Ahmed Yusuf; M, KD, L: Lina Wallin." in page
        assert "väljs, i denna ordning, Ahmed Yusuf och Lina Wallin." in page
        # The chair's jäv on the last item: the vice chair leads it, and the minutes say so.
        from minutes.inputs import minutes_of
        last = minutes_of(document.meeting).paragraphs[-1]
        assert last.presided_by == ("Anna Bergström (ordförande)",
                                    "Erik Johansson (vice ordförande)")
        assert "Erik Johansson (vice ordförande) leder sammanträdet eftersom ordföranden har " \
            "anmält jäv." in last.roster_changes


def test_demo_minutes_are_skipped_without_a_signing_passphrase(db, tmp_path):
    from django.conf import settings

    klubba = {**settings.KLUBBA, "SIGNING_DIR": tmp_path / "ca", "SIGNING_KEY_PASSPHRASE": ""}
    with override_settings(KLUBBA=klubba, DEBUG=False):
        load_demo(password="demo-pw", now=timezone.now())
        assert load_minutes_demo(password="demo-pw", now=timezone.now()) is None
        assert not (tmp_path / "ca").exists()
