"""Expediering: recipients per §, and the extract e-mailed to them through a real SMTP
server started by the test, with the dispatch logged and recorded."""

from __future__ import annotations

import pytest
from django.utils import translation

from meetings.errors import CommandError
from meetings.models import MeetingEvent
from minutes.commands import extract_certify, extract_dispatch, minutes_recipients_set
from minutes.inputs import minutes_of
from minutes.models import DecisionRecipient, ExtractDispatch, MinutesDocument, ProtocolExtract
from tests.support.after import hold_and_sign, password
from tests.support.smtp import free_port, smtp_server


def certified(c, item) -> ProtocolExtract:
    event = extract_certify(meeting_id=c.meeting.pk, actor=c.secretary, item_ids=[item.pk],
                            password=password(c.secretary))
    return ProtocolExtract.objects.get(pk=event.payload["extract_id"])


def test_the_extract_reaches_each_recipient_with_the_pdf_attached(db, signing_dir):
    s = hold_and_sign()
    c = s.c
    extract = certified(c, c.items[1])
    with smtp_server() as server:
        event = extract_dispatch(meeting_id=c.meeting.pk, actor=c.secretary,
                                 extract_id=extract.pk, command_id="d-1")
    assert sorted(to for m in server.messages for to in m.rcpt_tos) == [
        "lst@example.se", "sokande@example.se"]
    for received in server.messages:
        tos, message = received.rcpt_tos, received.message
        assert len(tos) == 1  # one message each: no recipient sees another's address
        assert message["Subject"].startswith("Protokollsutdrag Testnämnden")
        [attachment] = list(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_filename() == extract.filename
        assert attachment.get_content() == bytes(extract.pdf)
    results = {r["email"] or r["organisation"]: r["result"] for r in event.payload["recipients"]}
    assert results == {"sokande@example.se": "sent", "lst@example.se": "sent",
                       "Testby kommun": "no_email"}
    dispatch = ExtractDispatch.objects.get()
    assert dispatch.extract == extract and dispatch.recipients == event.payload["recipients"]
    assert event.payload["dispatch_id"] == dispatch.pk
    # A retried command returns the logged event and sends nothing again.
    with smtp_server() as again:
        same = extract_dispatch(meeting_id=c.meeting.pk, actor=c.secretary,
                                extract_id=extract.pk, command_id="d-1")
    assert same.pk == event.pk and again.messages == []


def test_an_unreachable_mail_server_is_recorded_as_failed(db, signing_dir, settings):
    s = hold_and_sign()
    c = s.c
    extract = certified(c, c.items[1])
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    event = extract_dispatch(meeting_id=c.meeting.pk, actor=c.secretary, extract_id=extract.pk)
    assert {r["result"] for r in event.payload["recipients"]} == {"failed", "no_email"}
    assert all(r["error"] for r in event.payload["recipients"] if r["result"] == "failed")


def test_recipients_are_checked_and_dispatch_refusals(db, signing_dir):
    s = hold_and_sign()
    c = s.c
    mid = c.meeting.pk
    item = c.items[2]

    def refused(func, actor, **kwargs) -> str:
        with pytest.raises(CommandError) as info:
            func(meeting_id=mid, actor=actor, **kwargs)
        return info.value.code

    assert refused(minutes_recipients_set, c.chair, item_id=item.pk,
                   recipients=[{"name": "A"}]) == "permission_denied"
    with pytest.raises(CommandError) as info:
        minutes_recipients_set(meeting_id=mid, actor=c.secretary, item_id=item.pk,
                               recipients=[{"name": "A"}, {"name": "B", "email": "nope"}])
    assert info.value.code == "recipient_email_invalid"
    assert info.value.details["line"] == 2 and info.value.details["email"] == "nope"
    with translation.override("en"):
        assert str(info.value.message) == "Line 2: “nope” is not an e-mail address."
    with translation.override("sv"):
        assert str(info.value.message) == "Rad 2: ”nope” är ingen e-postadress."
    assert refused(minutes_recipients_set, c.secretary, item_id=item.pk,
                   recipients=[{"email": "a@example.se"}]) == "recipient_name_missing"
    for bad in ([{"name": "A" * 201}], "A", [["A"]], [{"name": "A"}] * 51):
        assert refused(minutes_recipients_set, c.secretary, item_id=item.pk,
                       recipients=bad) == "invalid_argument", bad
    assert refused(minutes_recipients_set, c.secretary, item_id=999999,
                   recipients=[]) == "item_not_found"
    assert not DecisionRecipient.objects.filter(item=item).exists()
    # After the lock the list is kept for the dispatch (the minutes are frozen).
    minutes_recipients_set(meeting_id=mid, actor=c.secretary, item_id=item.pk,
                           recipients=[{"name": "Utan adress"}])
    document = MinutesDocument.objects.get(meeting=c.meeting, item__isnull=True)
    locked = minutes_of(c.meeting, upto_seq=document.log_seq, base=document.paragraph_base)
    assert [p.recipients for p in locked.paragraphs if p.item_id == item.pk] == [()]
    extract = certified(c, item)
    assert refused(extract_dispatch, c.secretary, extract_id=extract.pk) == "no_recipients"
    assert refused(extract_dispatch, c.chair, extract_id=extract.pk) == "permission_denied"
    assert refused(extract_dispatch, c.secretary, extract_id=999999) == "extract_not_found"
    secret = certified(c, c.items[3])
    minutes_recipients_set(meeting_id=mid, actor=c.secretary, item_id=c.items[3].pk,
                           recipients=[{"name": "Part", "email": "part@example.se"}])
    assert refused(extract_dispatch, c.secretary, extract_id=secret.pk) == (
        "confidential_by_email")
    assert not ExtractDispatch.objects.exists()
    assert not MeetingEvent.objects.filter(type="minutes.extract_dispatched").exists()


def test_the_stream_carries_no_recipient_addresses(db, signing_dir):
    from meetings.visibility import PARTICIPANTS, PUBLIC
    from realtime.stream import event_frame

    s = hold_and_sign()
    c = s.c
    logged = MeetingEvent.objects.get(meeting=c.meeting, type="minutes.recipients_set")
    assert logged.payload["recipients"][0]["email"] == "sokande@example.se"
    frame = event_frame(logged, PARTICIPANTS, [])
    assert frame is not None and "sokande@example.se" not in str(frame)
    assert frame["data"]["recipients"][0]["name"] == "Sökande Svensson"
    assert event_frame(logged, PUBLIC, []) is None  # not public at all
