"""Protokollsutdrag: Dnr and föredragande in the minutes, and extracts of signed minutes
certified by the secretary, checked with pyHanko and poppler's pdfsig."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest

from meetings.errors import CommandError
from meetings.models import MeetingEvent
from minutes import ca_store
from minutes.commands import extract_certify
from minutes.extract_pdf import CERTIFIER_FIELD
from minutes.inputs import minutes_of
from minutes.models import MinutesDocument, ProtocolExtract
from minutes.pdf import render_minutes_pdf
from minutes.signing import all_valid, pdfsig_report, verify_pdf
from tests.support.after import DNR, PRESENTER, hold_and_sign, password


def pdf_text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.pdf"
        path.write_bytes(pdf)
        return subprocess.run(["/usr/bin/pdftotext", "-layout", str(path), "-"],
                              capture_output=True, check=True, text=True).stdout


def test_dnr_presenter_and_recipients_are_in_the_minutes_from_the_log(db, signing_dir):
    s = hold_and_sign(sign=False)
    c = s.c
    m = minutes_of(c.meeting)
    bygglov = next(p for p in m.paragraphs if p.item_id == c.items[1].pk)
    assert (bygglov.case_number, bygglov.presenter) == (DNR, PRESENTER)
    assert [r.organisation or r.name for r in bygglov.recipients] == [
        "Sökande Svensson", "Länsstyrelsen i Testby län", "Testby kommun"]
    # The log carries them (item.activated), so the minutes stay a function of the log.
    activated = MeetingEvent.objects.get(meeting=c.meeting, type="item.activated",
                                         payload__item_id=c.items[1].pk)
    assert activated.payload["case_number"] == DNR
    text = pdf_text(render_minutes_pdf(m))
    assert f"Dnr {DNR}" in text and f"Föredragande: {PRESENTER}" in text
    assert "Beslutet skickas till" in text and "Länsstyrelsen i Testby län" in text
    assert "sokande@example.se" not in text  # addresses are for the dispatch only
    # The public version keeps the Dnr of an open § and leaves the confidential one out.
    public = MinutesDocument.objects.get(meeting=c.meeting, item__isnull=True).public_text
    assert f"Dnr {DNR}" in public and "SBN 2026/9" not in public


def test_an_old_log_without_case_keys_still_folds(db):
    from minutes.fold.attendance import HANDLERS
    from minutes.fold.state import FoldState
    from minutes.model import LogEvent, MeetingInfo
    from tests.support.committee import make_committee

    c = make_committee()
    info = MeetingInfo(meeting_id=c.meeting.pk, body="B", body_kind="namnd", organisation="",
                       title="", starts_at=c.meeting.starts_at, place="", members=(),
                       substitutes=())
    state = FoldState(info=info, items={})
    event = LogEvent(seq=1, type="item.activated", at=c.meeting.starts_at, actor_id=None,
                     hash="0" * 64, payload={"item_id": 5, "position": 1, "title": "Gammalt",
                                             "confidential": False})
    HANDLERS["item.activated"](state, event)
    assert state.paragraphs[5].case_number == "" and state.paragraphs[5].presenter == ""


def test_an_extract_is_refused_before_the_minutes_are_signed(db, signing_dir):
    s = hold_and_sign(sign=False)
    c = s.c
    with pytest.raises(CommandError) as info:
        extract_certify(meeting_id=c.meeting.pk, actor=c.secretary, item_ids=[c.items[1].pk],
                        password=password(c.secretary))
    assert info.value.code == "minutes_not_signed"
    assert not ProtocolExtract.objects.exists()


def test_a_certified_extract_verifies_with_pyhanko_and_pdfsig(db, signing_dir):
    s = hold_and_sign()
    c = s.c
    event = extract_certify(meeting_id=c.meeting.pk, actor=c.secretary,
                            item_ids=[c.items[1].pk], password=password(c.secretary),
                            command_id="x-1")
    extract = ProtocolExtract.objects.get(pk=event.payload["extract_id"])
    assert event.type == "minutes.extract_certified"
    assert event.payload["paragraphs"] == extract.paragraphs and len(extract.paragraphs) == 1
    pdf = bytes(extract.pdf)
    reports = verify_pdf(pdf, trust_root_pem=ca_store.trust_roots_pem())
    assert all_valid(reports, expected=1)
    entries = pdfsig_report(pdf)
    assert [e["field_name"] for e in entries] == [CERTIFIER_FIELD]
    assert entries[0]["signature_valid"] and entries[0]["total_document_signed"]
    assert entries[0]["signer_common_name"] == "Sekre Terare"
    text = pdf_text(pdf)
    number = extract.paragraphs[0]
    for expected in ("Utdrag ur protokoll", "Testnämnden", f"§ {number} Bygglov",
                     f"Dnr {DNR}", "Beslut", "reserverar sig mot beslutet",
                     "Justerandes signatur", "Rätt utdraget intygar", "Sekre Terare",
                     "Beslutet skickas till"):
        assert expected in text, expected
    # Only the chosen §: not the others of the minutes.
    assert "Detaljplan" not in text and "Sekretessärende" not in text
    # The § reads exactly as in the signed minutes.
    document = MinutesDocument.objects.get(meeting=c.meeting, item__isnull=True)
    locked = minutes_of(c.meeting, upto_seq=document.log_seq, base=document.paragraph_base)
    chosen = next(p for p in locked.paragraphs if p.number == number)
    flat = " ".join(text.split())
    assert chosen.decision and " ".join(chosen.decision.split()) in flat
    for reservation in chosen.reservations:
        assert f"{reservation.name} reserverar sig mot beslutet" in flat
    assert document.full_sha256 in text.replace("\n", "")
    # A retry with the same command id returns the same event and makes nothing new.
    again = extract_certify(meeting_id=c.meeting.pk, actor=c.secretary,
                            item_ids=[c.items[1].pk], password=password(c.secretary),
                            command_id="x-1")
    assert again.pk == event.pk and ProtocolExtract.objects.count() == 1


def test_extract_refusals(db, signing_dir):
    s = hold_and_sign()
    c = s.c
    mid = c.meeting.pk
    ok = {"item_ids": [c.items[1].pk], "password": password(c.secretary)}

    def refused(actor, **kwargs) -> str:
        with pytest.raises(CommandError) as info:
            extract_certify(meeting_id=mid, actor=actor, **{**ok, **kwargs})
        return info.value.code

    assert refused(c.chair, password=password(c.chair)) == "permission_denied"
    assert refused(c.outsider, password=password(c.outsider)) == "permission_denied"
    assert refused(c.secretary, password="wrong") == "wrong_password"
    assert refused(c.secretary, item_ids=[]) == "no_paragraphs_chosen"
    assert refused(c.secretary, item_ids=["x"]) == "invalid_argument"
    assert refused(c.secretary, item_ids=[999999]) == "paragraph_not_in_minutes"
    assert refused(c.secretary, item_ids=[c.items[3].pk], public=True) == (
        "paragraph_confidential")
    assert not ProtocolExtract.objects.exists()
    # Internal extract of the confidential §: allowed, marked SEKRETESS.
    event = extract_certify(meeting_id=mid, actor=c.secretary, item_ids=[c.items[3].pk],
                            password=password(c.secretary))
    assert event.payload["confidential"] is True
    assert "SEKRETESS" in pdf_text(bytes(ProtocolExtract.objects.get().pdf))


def test_the_extract_copies_the_minutes_as_locked_not_as_edited_later(db, signing_dir):
    from django.contrib.auth import get_user_model

    from meetings.models import AgendaItem
    from minutes.serialise import minutes_from_dict

    s = hold_and_sign()
    c = s.c
    document = MinutesDocument.objects.get(meeting=c.meeting, item__isnull=True)
    locked = minutes_of(c.meeting, upto_seq=document.log_seq, base=document.paragraph_base)
    assert minutes_from_dict(document.full_minutes) == locked  # the frozen copy round-trips
    AgendaItem.objects.filter(pk=c.items[1].pk).update(description="ÄNDRAD EFTER JUSTERING")
    get_user_model().objects.filter(pk=s.live.reserver.pk).update(last_name="Omdöpt")
    event = extract_certify(meeting_id=c.meeting.pk, actor=c.secretary,
                            item_ids=[c.items[1].pk], password=password(c.secretary))
    text = pdf_text(bytes(ProtocolExtract.objects.get(pk=event.payload["extract_id"]).pdf))
    assert "ÄNDRAD" not in text and "Omdöpt" not in text
    assert "Ledamot2 Efternamn reserverar sig" in " ".join(text.split())
