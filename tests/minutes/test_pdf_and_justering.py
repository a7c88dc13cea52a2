"""PDF rendering, locking, justering with real PAdES signatures, and anslag."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from meetings.errors import CommandError
from meetings.models import MeetingEvent
from minutes import ca_store
from minutes.build import public_minutes
from minutes.commands import (
    appeal_dates,
    minutes_lock,
    minutes_paragraph_text_set,
    minutes_post,
    minutes_sign,
)
from minutes.inputs import minutes_of
from minutes.models import MinutesDocument, MinutesSignature, Publication
from minutes.pdf import render_minutes_pdf
from minutes.signing import Coverage, all_valid, pdfsig_report, verify_pdf
from tests.support.committee import UNDECIDED
from tests.support.minutes import PNR, hold_meeting


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def password(user) -> str:
    return "pw-" + user.username


def refused(code: str, func, **kwargs) -> None:
    before = MeetingEvent.objects.count()
    with pytest.raises(CommandError) as info:
        func(**kwargs)
    assert info.value.code == code, info.value
    assert MeetingEvent.objects.count() == before


def sign_all(c, adjusters) -> MinutesDocument:
    minutes_lock(meeting_id=c.meeting.pk, actor=c.secretary)
    for user in [c.chair, *adjusters]:
        minutes_sign(meeting_id=c.meeting.pk, actor=user, password=password(user))
    return MinutesDocument.objects.get(meeting=c.meeting, item__isnull=True)


def test_pdf_has_swedish_headings_named_vote_table_and_log_hash(live):
    m = minutes_of(live.c.meeting)
    text = pdf_text(render_minutes_pdf(m))
    for heading in ("Protokoll", "Närvarande", "Beslutande", "Ersättare", "Övriga", "Justerare",
                    "Justeringens plats och tid", "§ 2 Bygglov", "Beslut", "Omröstning",
                    "Reservation", "Protokollsanteckning", "Jäv", "Underskrifter",
                    "Anslagsbevis", "Loggens kontrollsumma (SHA-256)"):
        assert heading in text, heading
    assert m.log_hash in text
    # The named table in roll-call order: voter, party, choice (pypdf gives a cell per line).
    lines = [" ".join(line.split()) for line in text.splitlines()]
    chair, m2, _m3, _m4, m5 = live.c.members
    e1, e2 = live.c.substitutes
    expected = ["Ledamot", "Parti", "Röst"]
    for user, party, choice in ((m2, "M", "Nej"), (e1, "S", "Ja"), (e2, "M", "Avstår"),
                                (m5, "S", "Ja"), (chair, "S", "Ja")):
        expected += [user.get_full_name(), party, choice]
    start = lines.index("Ledamot")
    assert lines[start:start + len(expected)] == expected
    assert "Ja: 3, Nej: 1, Avstår: 1" in text
    assert "Kandidat Ett: 3" in text


def test_same_log_gives_identical_unsigned_bytes(held):
    first = render_minutes_pdf(minutes_of(held.c.meeting))
    second = render_minutes_pdf(minutes_of(held.c.meeting))
    assert first == second
    assert first.startswith(b"%PDF-") and b"/CreationDate (D:2" in first
    # A changed log (one more event) changes the document.
    minutes_paragraph_text_set(meeting_id=held.c.meeting.pk, actor=held.c.secretary,
                               item_id=held.c.items[0].pk, text="Nytt stycke.")
    assert render_minutes_pdf(minutes_of(held.c.meeting)) != first


def test_public_pdf_lacks_confidential_text_and_identity_numbers(held):
    text = pdf_text(render_minutes_pdf(public_minutes(minutes_of(held.c.meeting))))
    assert "§ 4 Sekretess" in text
    assert "XYZZY" not in text and "Sekretessärende" not in text
    assert PNR not in text and "800101-1234" not in text and "ÅÅMMDD-XXXX" in text
    full = pdf_text(render_minutes_pdf(minutes_of(held.c.meeting)))
    assert "XYZZY" in full and PNR in full


def test_chair_and_two_adjusters_sign_both_versions(live, signing_dir):
    c = live.c
    document = sign_all(c, live.adjusters)
    roots = ca_store.trust_roots_pem()
    for data in (bytes(document.full_pdf), bytes(document.public_pdf)):
        reports = verify_pdf(data, trust_root_pem=roots)
        assert len(reports) == 3
        assert [r.signer_common_name for r in reports] == [
            u.get_full_name() for u in [c.chair, *live.adjusters]]
        assert reports[0].certification and not reports[1].certification
        assert all(r.intact and r.trusted and r.valid for r in reports)
        assert reports[-1].coverage is Coverage.ENTIRE_FILE
        assert all_valid(reports, expected=3)
        second = pdfsig_report(data)
        assert len(second) == 3 and all(s["signature_valid"] for s in second)
        assert second[-1]["total_document_signed"]
    # The signed bytes start with exactly the unsigned bytes (incremental updates only).
    assert bytes(document.full_pdf).startswith(bytes(document.full_unsigned))
    assert bytes(document.public_pdf).startswith(bytes(document.public_unsigned))
    assert render_minutes_pdf(minutes_of(c.meeting, upto_seq=document.log_seq)) == bytes(
        document.full_unsigned)
    signed = MeetingEvent.objects.filter(meeting=c.meeting, type="minutes.signed")
    assert [e.payload["role"] for e in signed.order_by("seq")] == ["chair", "adjuster",
                                                                   "adjuster"]
    assert signed.order_by("seq").last().payload["complete"] is True


def test_one_flipped_byte_breaks_both_verifiers(held, signing_dir):
    document = sign_all(held.c, held.adjusters)
    data = bytearray(document.public_pdf)
    data[len(document.public_unsigned) // 2] ^= 0x01
    reports = verify_pdf(bytes(data), trust_root_pem=ca_store.trust_roots_pem())
    assert reports and not any(r.intact for r in reports)
    assert not all_valid(reports)
    second = pdfsig_report(bytes(data))
    assert not second or not any(s["signature_valid"] for s in second)


def test_signing_refusals(held, signing_dir):
    c = held.c
    mid = c.meeting.pk
    adj1, adj2 = held.adjusters
    refused("minutes_not_locked", minutes_sign, meeting_id=mid, actor=c.chair,
            password=password(c.chair))
    minutes_lock(meeting_id=mid, actor=c.secretary)
    refused("not_a_signer", minutes_sign, meeting_id=mid, actor=c.members[2],
            password=password(c.members[2]))
    refused("not_a_signer", minutes_sign, meeting_id=mid, actor=c.secretary,
            password=password(c.secretary))
    refused("signing_order", minutes_sign, meeting_id=mid, actor=adj1, password=password(adj1))
    refused("wrong_password", minutes_sign, meeting_id=mid, actor=c.chair, password="fel")
    refused("not_all_signed", minutes_post, meeting_id=mid, actor=c.secretary)
    minutes_sign(meeting_id=mid, actor=c.chair, password=password(c.chair))
    # Once signing has begun, the version is final (see test_justering_loop).
    refused("signing_started", minutes_lock, meeting_id=mid, actor=c.secretary)
    refused("signing_started", minutes_paragraph_text_set, meeting_id=mid, actor=c.secretary,
            item_id=c.items[0].pk, text="För sent.")
    refused("already_signed", minutes_sign, meeting_id=mid, actor=c.chair,
            password=password(c.chair))
    minutes_sign(meeting_id=mid, actor=adj1, password=password(adj1))
    refused("already_signed", minutes_sign, meeting_id=mid, actor=adj1, password=password(adj1))
    refused("not_all_signed", minutes_post, meeting_id=mid, actor=c.secretary)
    minutes_sign(meeting_id=mid, actor=adj2, password=password(adj2))
    assert MinutesSignature.objects.count() == 3
    refused("permission_denied", minutes_post, meeting_id=mid, actor=adj2)
    minutes_post(meeting_id=mid, actor=c.secretary)
    refused("already_posted", minutes_post, meeting_id=mid, actor=c.secretary)


def test_lock_needs_an_adjourned_meeting_with_adjusters(db, signing_dir):
    from tests.support.committee import make_committee

    c = make_committee()
    hold_meeting(c, adjourn=False)
    refused("meeting_not_adjourned", minutes_lock, meeting_id=c.meeting.pk, actor=c.secretary)
    refused("permission_denied", minutes_lock, meeting_id=c.meeting.pk, actor=c.members[2])


def test_anslag_dates_are_three_weeks_from_posting(held, signing_dir):
    c = held.c
    sign_all(c, held.adjusters)
    # 23:30 UTC on 2026-11-30 is already 1 December in Stockholm.
    posted_at = datetime(2026, 11, 30, 23, 30, tzinfo=ZoneInfo("UTC"))
    event = minutes_post(meeting_id=c.meeting.pk, actor=c.secretary, now=posted_at)
    pub = Publication.objects.get()
    assert pub.posted_on == date(2026, 12, 1)
    assert pub.appeal_last_day == date(2026, 12, 22)
    assert pub.taken_down_on == date(2026, 12, 22)
    assert event.payload["appeal_last_day"] == "2026-12-22"
    assert appeal_dates(date(2027, 1, 5)) == (date(2027, 1, 26), date(2027, 1, 26))


def test_vice_chair_signs_first_when_the_chair_was_absent(db):
    from meetings.commands import (
        adjusters_choose,
        agenda_approve,
        attendance_check_in,
        item_activate,
        item_close,
        meeting_adjourn,
        meeting_open,
    )
    from meetings.models import BodyRole
    from tests.support.committee import make_committee

    c = make_committee()
    _chair, vice, _m3, m4, m5 = c.members
    BodyRole.objects.create(body=c.body, user=vice, role=BodyRole.Role.VICE_CHAIR)
    mid = c.meeting.pk
    meeting_open(meeting_id=mid, actor=c.secretary)
    for user in (vice, m4, m5):
        attendance_check_in(meeting_id=mid, actor=c.secretary, user_id=user.pk, remote=False)
    agenda_approve(meeting_id=mid, actor=c.secretary)
    item_activate(meeting_id=mid, actor=c.secretary, item_id=c.items[0].pk)
    adjusters_choose(meeting_id=mid, actor=c.secretary, user_ids=[m4.pk, m5.pk])
    item_close(meeting_id=mid, actor=c.secretary, item_id=c.items[0].pk, **UNDECIDED)
    meeting_adjourn(meeting_id=mid, actor=c.secretary)
    m = minutes_of(c.meeting)
    assert [(s.role, s.user_id) for s in m.signatures[:3]] == [
        ("Ordförande", vice.pk), ("Justerare", m4.pk), ("Justerare", m5.pk)]
    minutes_lock(meeting_id=mid, actor=c.secretary)
    document = MinutesDocument.objects.get(meeting=c.meeting)
    assert [(s["user_id"], s["role"]) for s in document.signers] == [
        (vice.pk, "chair"), (m4.pk, "adjuster"), (m5.pk, "adjuster")]


def test_same_minutes_give_identical_bytes_in_another_process(live):
    """No hash seed, font registration order or clock leaks into the bytes."""
    import hashlib
    import json
    import os
    import subprocess
    import sys

    from minutes.build import minutes_to_dict

    m = minutes_of(live.c.meeting)
    script = (
        "import hashlib, json, sys\n"
        "from minutes.serialise import minutes_from_dict\n"
        "from minutes.pdf import render_minutes_pdf\n"
        "m = minutes_from_dict(json.loads(sys.stdin.read()))\n"
        "print(hashlib.sha256(render_minutes_pdf(m)).hexdigest())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], input=json.dumps(minutes_to_dict(m)), text=True,
        capture_output=True, check=True, env={**os.environ, "PYTHONHASHSEED": "12345"},
    )
    assert out.stdout.strip() == hashlib.sha256(render_minutes_pdf(m)).hexdigest()


def test_a_large_body_splits_across_pages():
    """101 seats, a named vote of 101 rows, long texts: nothing has to fit on one page."""
    from minutes.build import AttendanceRow, Minutes, Paragraph, VoteRow, VoteTable

    people = tuple(AttendanceRow(i, f"Ledamot {i:03d} Efternamn", "ledamot", "S", i)
                   for i in range(1, 102))
    vote = VoteTable("Omröstning 1", False,
                     tuple(VoteRow(p.name, "S", "Ja" if p.user_id % 3 else "Nej")
                           for p in people), (("Ja", 67), ("Nej", 34), ("Avstår", 0)), "Bifall.")
    paragraphs = tuple(
        Paragraph(item_id=n, number=n, title=f"Ärende {n}", description="Lång text. " * 400,
                  votes=(vote,) if n % 10 == 0 else ())
        for n in range(1, 41)
    )
    m = Minutes(meeting_id=1, organisation="Ekby kommun", body="Kommunfullmäktige",
                title="Sammanträde", date="2026-11-23", time="18.00–23.00", place="Stadshuset",
                deciding=people, substitutes=people[:30], others=(), absent=(), adjusters=(),
                justering="Digital justering", paragraphs=paragraphs, signatures=(),
                log_seq=1, log_hash="a" * 64, last_event_at=None)
    data = render_minutes_pdf(m)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 20
    text = pdf_text(data)
    assert "Ledamot 101 Efternamn (S)" in text and "a" * 64 in text


def test_without_anything_to_leave_out_one_document_serves_both(db, signing_dir):
    from meetings.commands import (
        adjusters_choose,
        agenda_approve,
        attendance_check_in,
        item_activate,
        item_close,
        meeting_adjourn,
        meeting_open,
    )
    from meetings.models import AgendaItem
    from tests.support.committee import make_committee

    c = make_committee()
    AgendaItem.objects.filter(meeting=c.meeting).update(confidential=False)
    mid, sec = c.meeting.pk, c.secretary
    chair, m2, m3, _m4, _m5 = c.members
    meeting_open(meeting_id=mid, actor=sec)
    for user in (chair, m2, m3):
        attendance_check_in(meeting_id=mid, actor=sec, user_id=user.pk, remote=False)
    agenda_approve(meeting_id=mid, actor=sec)
    item_activate(meeting_id=mid, actor=sec, item_id=c.items[0].pk)
    adjusters_choose(meeting_id=mid, actor=sec, user_ids=[m2.pk, m3.pk])
    item_close(meeting_id=mid, actor=sec, item_id=c.items[0].pk, **UNDECIDED)
    meeting_adjourn(meeting_id=mid, actor=sec)
    document = sign_all(c, [m2, m3])
    assert bytes(document.full_unsigned) == bytes(document.public_unsigned)
    assert bytes(document.full_pdf) == bytes(document.public_pdf)
    assert all_valid(verify_pdf(bytes(document.public_pdf),
                                trust_root_pem=ca_store.trust_roots_pem()), expected=3)


def test_lock_keeps_the_paragraph_numbers_on_the_items(held, signing_dir):
    from meetings.models import AgendaItem

    c = held.c
    minutes_lock(meeting_id=c.meeting.pk, actor=c.secretary)
    numbers = dict(AgendaItem.objects.filter(meeting=c.meeting).values_list("pk", "paragraph"))
    assert numbers == {item.pk: n for n, item in enumerate(c.items, start=1)}
    event = MeetingEvent.objects.get(meeting=c.meeting, type="minutes.locked")
    assert event.payload["numbers"] == {str(k): v for k, v in numbers.items()}
    document = MinutesDocument.objects.get(meeting=c.meeting)
    # A rebuild after the lock still gives the locked bytes.
    assert render_minutes_pdf(minutes_of(c.meeting, upto_seq=document.log_seq,
                                         base=document.paragraph_base)) == bytes(
        document.full_unsigned)
