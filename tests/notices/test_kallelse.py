"""The notice (kallelse) goes by real SMTP to members and substitutes, with the agenda, the
documents' links, a hidden confidential item and a calendar invitation; an amended notice
after an agenda change; late notices; failures recorded, never raised."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from icalendar import Calendar

from meetings.errors import CommandError
from meetings.log import verify_chain
from meetings.models import Attachment, Body, MeetingEvent
from notices.commands import notice_send
from notices.models import SentMail
from notices.notice import notice_status
from notices.public import public_notices
from notices.services import send_notice
from tests.support.smtp import give_addresses, smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def called(committee):
    """The committee's meeting ten days ahead, with Dnr, föredragande, a document, a secret
    confidential item, and everyone with an e-mail address."""
    c = committee
    c.meeting.starts_at = (timezone.now() + timedelta(days=10)).replace(microsecond=0)
    c.meeting.place = "Sessionssalen, Stadshuset"
    c.meeting.video_link = "https://video.example.se/testnamnden"
    c.meeting.save()
    bygglov = c.items[1]
    bygglov.case_number = "SBN 2026/112"
    bygglov.presenter = "Lena Berg, bygglovschef"
    bygglov.save()
    doc = Attachment(item=bygglov, title="Tjänsteskrivelse Kvarnen 4")
    doc.file.save("tjansteskrivelse.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    secret = c.items[3]
    secret.title = "Föreläggande mot fastighetsägaren Hemlund"
    secret.case_number = "SBN 2026/999"
    secret.save()
    give_addresses(*c.members, *c.substitutes, c.secretary, c.outsider)
    c.doc = doc
    return c


def test_kallelse_reaches_members_and_substitutes_by_smtp(called):
    c = called
    with smtp_server() as inbox:
        event, sent = send_notice(meeting_id=c.meeting.pk, actor=c.secretary)
    expected = {u.email for u in [*c.members, *c.substitutes]}
    assert {r for m in inbox.messages for r in m.rcpt_tos} == expected
    assert len(inbox.messages) == len(expected)  # one message each: no shared To: list
    assert c.secretary.email not in {r for m in inbox.messages for r in m.rcpt_tos}
    assert {s.status for s in sent} == {SentMail.Status.SENT}
    assert SentMail.objects.filter(meeting=c.meeting, kind="notice").count() == len(expected)

    mail = inbox.to(c.members[1].email)[0]
    assert mail.message["Subject"].startswith("Kallelse: Testnämnden")
    text = mail.text()
    assert "Bygglov" in text and "Dnr: SBN 2026/112" in text
    assert "Lena Berg, bygglovschef" in text and "Förslag 2" in text
    assert f"/moten/{c.meeting.pk}/handlingar/{c.doc.pk}/" in text
    assert "Sessionssalen, Stadshuset" in text and "video.example.se" in text
    # The confidential item: a line saying so, nothing of its content.
    assert "Sekretessärende" in text
    assert "Hemlund" not in text and "SBN 2026/999" not in text
    assert f"/moten/{c.meeting.pk}/forhinder/" in text  # members may report förhinder
    assert "/forhinder/" not in inbox.to(c.substitutes[0].email)[0].text()

    cal = Calendar.from_ical(mail.attachment("kallelse.ics"))
    vevent = cal.walk("VEVENT")[0]
    assert str(vevent["UID"]).startswith(f"klubba-meeting-{c.meeting.pk}@")
    assert int(vevent["SEQUENCE"]) == 0
    assert vevent["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert vevent.decoded("DTSTART") == c.meeting.starts_at
    assert str(vevent["LOCATION"]) == "Sessionssalen, Stadshuset"
    assert str(vevent["URL"]).endswith(f"/moten/{c.meeting.pk}/")
    assert cal.walk("VTIMEZONE")  # the time zone travels with the invitation

    # The log: one hash-chained event with the recipients and the agenda it listed.
    logged = MeetingEvent.objects.get(meeting=c.meeting, type="notice.sent")
    assert logged.pk == event.pk and logged.actor_id == c.secretary.pk
    assert {r["user_id"] for r in logged.payload["recipients"]} == {
        u.pk for u in [*c.members, *c.substitutes]}
    assert [i["title"] for i in logged.payload["items"]][1] == "Bygglov"
    assert logged.payload["amended"] is False and logged.payload["late"] is False
    assert verify_chain(MeetingEvent.objects.filter(meeting=c.meeting).order_by("seq")) is None


def test_agenda_change_offers_and_sends_an_amended_notice(called):
    c = called
    with smtp_server():
        send_notice(meeting_id=c.meeting.pk, actor=c.secretary)
    assert not notice_status(c.meeting).out_of_date
    item = c.items[2]
    item.title = "Detaljplan för Södra hamnen – antagande"
    item.save()
    status = notice_status(c.meeting)
    assert status.out_of_date and status.changed_items == [item.title]
    with smtp_server() as inbox:
        event, _sent = send_notice(meeting_id=c.meeting.pk, actor=c.secretary)
    assert event.payload["amended"] is True and event.payload["sequence"] == 1
    mail = inbox.to(c.members[0].email)[0]
    assert mail.message["Subject"].startswith("Ändrad kallelse:")
    assert "ÄNDRAD KALLELSE" in mail.text() and "Södra hamnen" in mail.text()
    vevent = Calendar.from_ical(mail.attachment("kallelse.ics")).walk("VEVENT")[0]
    assert int(vevent["SEQUENCE"]) == 1
    assert str(vevent["UID"]) == f"klubba-meeting-{c.meeting.pk}@127.0.0.1"
    assert not notice_status(c.meeting).out_of_date
    assert SentMail.objects.filter(kind="amended_notice").count() == 7


def test_only_the_secretary_sends_and_only_before_the_meeting(called):
    c = called
    for actor in (c.chair, c.members[2], c.substitutes[0], c.outsider):
        with pytest.raises(CommandError) as refused:
            notice_send(meeting_id=c.meeting.pk, actor=actor)
        assert refused.value.code == "not_secretary"
    c.meeting.status = "adjourned"
    c.meeting.save()
    with pytest.raises(CommandError) as refused:
        notice_send(meeting_id=c.meeting.pk, actor=c.secretary)
    assert refused.value.code == "meeting_not_planned"
    assert not MeetingEvent.objects.filter(meeting=c.meeting).exists()


def test_fullmaktige_kungorelse_less_than_a_week_before_needs_confirmation(called):
    c = called
    c.body.kind = Body.Kind.FULLMAKTIGE
    c.body.save()
    c.meeting.starts_at = timezone.now() + timedelta(days=3)
    c.meeting.save()
    with pytest.raises(CommandError) as refused:
        notice_send(meeting_id=c.meeting.pk, actor=c.secretary)
    assert refused.value.code == "notice_late"
    assert refused.value.details["required_days"] == 7
    assert public_notices(timezone.localdate()) == []
    with smtp_server():
        event, _ = send_notice(meeting_id=c.meeting.pk, actor=c.secretary,
                               late_confirmed=True)
    assert event.payload["late"] is True and event.payload["public_notice"] is True
    [notice] = public_notices(timezone.localdate())
    assert notice.late and notice.required_days == 7
    assert [i["title"] for i in notice.items] == ["Upprop", "Bygglov", "Detaljplan"]


def test_a_refused_address_and_a_dead_server_are_recorded_not_raised(called):
    c = called
    with smtp_server() as inbox:
        inbox.refuse.add(c.members[3].email)
        _, sent = send_notice(meeting_id=c.meeting.pk, actor=c.secretary)
    failed = [s for s in sent if s.status == SentMail.Status.FAILED]
    assert [s.to for s in failed] == [c.members[3].email] and "550" in failed[0].error
    assert len(inbox.messages) == 6
    # Nothing listens on the port any more: every mail fails, the notice is still logged.
    c.items[1].title = "Bygglov, reviderat"
    c.items[1].save()
    from django.test import override_settings

    from tests.support.smtp import free_port, smtp_settings
    with override_settings(**smtp_settings(free_port())):
        event, sent = send_notice(meeting_id=c.meeting.pk, actor=c.secretary)
    assert event.payload["amended"] is True
    assert sent and {s.status for s in sent} == {SentMail.Status.FAILED}


def test_people_without_address_are_listed_not_mailed(called):
    c = called
    c.substitutes[1].email = ""
    c.substitutes[1].save()
    with smtp_server() as inbox:
        event, sent = send_notice(meeting_id=c.meeting.pk, actor=c.secretary)
    assert len(sent) == len(inbox.messages) == 6
    row = next(r for r in event.payload["recipients"] if r["user_id"] == c.substitutes[1].pk)
    assert row["mailed"] is False
    assert "@" not in str(event.payload)  # no address is logged


def test_an_empty_agenda_is_refused_and_nothing_is_logged(called):
    c = called
    for item in c.items:
        item.delete()
    with pytest.raises(CommandError) as refused:
        notice_send(meeting_id=c.meeting.pk, actor=c.secretary)
    assert refused.value.code == "agenda_empty"
    assert not MeetingEvent.objects.filter(meeting=c.meeting).exists()
