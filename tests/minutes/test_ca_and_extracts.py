"""The signing_ca management command, signer credentials, and omedelbar justering."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError as ManagementError
from django.core.management import call_command
from django.test import override_settings

from meetings.errors import CommandError
from meetings.models import AgendaItem
from minutes import ca_store
from minutes.build import public_minutes
from minutes.commands import minutes_lock, minutes_sign, minutes_sign_paragraph
from minutes.inputs import minutes_of
from minutes.models import MinutesDocument, SigningCredential
from minutes.signing import all_valid, load_private_key, verify_pdf
from tests.support.minutes import PASSPHRASE, hold_meeting


def settings_with(directory, passphrase: str) -> dict:
    from django.conf import settings

    return {**settings.KLUBBA, "SIGNING_DIR": directory, "SIGNING_KEY_PASSPHRASE": passphrase}


def test_signing_ca_init_and_show(tmp_path):
    directory = tmp_path / "ca"
    with override_settings(KLUBBA=settings_with(directory, PASSPHRASE)):
        out = StringIO()
        call_command("signing_ca", "init", "--organisation", "Ekby kommun", stdout=out)
        assert "SHA-256:" in out.getvalue()
        fingerprint = ca_store.root_fingerprint()
        assert fingerprint in out.getvalue()
        assert (directory / "ca-key.pem").stat().st_mode & 0o077 == 0
        key = (directory / "ca-key.pem").read_bytes()
        assert b"ENCRYPTED PRIVATE KEY" in key
        load_private_key(key, passphrase=PASSPHRASE)
        with pytest.raises(ManagementError, match="already exists"):
            call_command("signing_ca", "init", stdout=StringIO())
        out = StringIO()
        call_command("signing_ca", "show", stdout=out)
        assert fingerprint in out.getvalue()


def test_signing_ca_refuses_without_a_passphrase_unless_debug(tmp_path):
    directory = tmp_path / "ca"
    with override_settings(KLUBBA=settings_with(directory, ""), DEBUG=False):
        with pytest.raises(ManagementError, match="KLUBBA_SIGNING_KEY_PASSPHRASE"):
            call_command("signing_ca", "init", stdout=StringIO())
        assert not (directory / "ca-cert.pem").exists()
    with override_settings(KLUBBA=settings_with(directory, ""), DEBUG=True):
        call_command("signing_ca", "init", stdout=StringIO())
        assert (directory / "ca-cert.pem").exists()


def test_signing_without_a_ca_is_refused(held, tmp_path):
    c = held.c
    with override_settings(KLUBBA=settings_with(tmp_path / "none", PASSPHRASE)):
        minutes_lock(meeting_id=c.meeting.pk, actor=c.secretary)
        with pytest.raises(CommandError) as info:
            minutes_sign(meeting_id=c.meeting.pk, actor=c.chair, password="pw-" + c.chair.username)
        assert info.value.code == "signing_unavailable"


def test_credentials_are_issued_once_with_encrypted_keys(held, signing_dir):
    c = held.c
    minutes_lock(meeting_id=c.meeting.pk, actor=c.secretary)
    minutes_sign(meeting_id=c.meeting.pk, actor=c.chair, password="pw-" + c.chair.username)
    record = SigningCredential.objects.get(user=c.chair)
    assert "ENCRYPTED PRIVATE KEY" in record.encrypted_key_pem
    assert record.ca_fingerprint == ca_store.root_fingerprint()
    first = record.cert_pem
    assert ca_store.credential_for(c.chair).cert_pem.decode() == first


def test_omedelbar_justering_of_one_paragraph(db, signing_dir):
    from tests.support.committee import make_committee

    c = make_committee()
    held = hold_meeting(c, adjourn=False)
    adj1, adj2 = held.adjusters
    item = c.items[1]
    mid = c.meeting.pk
    with pytest.raises(CommandError) as info:
        minutes_sign_paragraph(meeting_id=mid, actor=adj1, item_id=item.pk,
                               password="pw-" + adj1.username)
    assert info.value.code == "signing_order"
    for user in (c.chair, adj1, adj2):
        event = minutes_sign_paragraph(meeting_id=mid, actor=user, item_id=item.pk,
                                       password="pw-" + user.username)
    assert event.payload["complete"] is True
    extract = MinutesDocument.objects.get(meeting=c.meeting, item=item)
    reports = verify_pdf(bytes(extract.full_pdf), trust_root_pem=ca_store.trust_roots_pem())
    assert all_valid(reports, expected=3)
    m = minutes_of(c.meeting)
    assert [p.immediately_adjusted for p in m.paragraphs] == [False, True, False, False]
    assert "immediately_adjusted" not in public_minutes(m).paragraphs[0].title
    # An item not handled yet cannot be signed at once.
    pending = AgendaItem.objects.create(meeting=c.meeting, position=9, title="Övrigt")
    with pytest.raises(CommandError) as info:
        minutes_sign_paragraph(meeting_id=mid, actor=c.chair, item_id=pending.pk,
                               password="pw-" + c.chair.username)
    assert info.value.code == "item_not_decided"


def test_public_audience_sees_signing_facts_but_not_review_texts():
    from meetings.visibility import PUBLIC, REDACTED, visible_event

    signed = visible_event("minutes.signed", {"name": "A", "role": "chair", "user_id": 3,
                                              "full_sha256": "f" * 64, "public_sha256": "p" * 64},
                           PUBLIC, [])
    assert signed.type == "minutes.signed"
    assert signed.data["public_sha256"] == "p" * 64 and "full_sha256" not in signed.data
    text = visible_event("minutes.paragraph_text_set", {"item_id": 1, "text": "x"}, PUBLIC, [])
    assert text.type == REDACTED


def test_verify_minutes_command(held, signing_dir, tmp_path):
    c = held.c
    minutes_lock(meeting_id=c.meeting.pk, actor=c.secretary)
    for user in [c.chair, *held.adjusters]:
        minutes_sign(meeting_id=c.meeting.pk, actor=user, password="pw-" + user.username)
    document = MinutesDocument.objects.get(meeting=c.meeting)
    good = tmp_path / "good.pdf"
    good.write_bytes(bytes(document.full_pdf))
    out = StringIO()
    call_command("verify_minutes", str(good), stdout=out)
    assert "All signatures are valid and trusted." in out.getvalue()
    assert "Identical to the full version" in out.getvalue()
    bad = bytearray(document.full_pdf)
    bad[len(document.full_unsigned) // 2] ^= 1
    broken = tmp_path / "bad.pdf"
    broken.write_bytes(bytes(bad))
    with pytest.raises(ManagementError, match="NOT VALID"):
        call_command("verify_minutes", str(broken), stdout=StringIO())
