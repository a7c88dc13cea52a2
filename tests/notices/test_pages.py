"""The pages: the secretary's notice page and Utskick, the member's förhinder, the
substitute's answer on the home page, the console's roll call, the notice board."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from notices.models import SentMail, SubstituteRequest
from tests.support.committee import make_committee
from tests.support.smtp import give_addresses, smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def c(db):
    c = make_committee(substitutes=2)
    c.meeting.starts_at = timezone.now() + timedelta(days=8)
    c.meeting.save()
    give_addresses(*c.members, *c.substitutes)
    return c


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html(response) -> str:
    return response.content.decode()


def test_secretary_sends_the_notice_and_sees_the_change_and_the_mail(c):
    url = f"/moten/{c.meeting.pk}/kallelse/"
    secretary = client_for(c.secretary)
    page = html(secretary.get(url))
    assert "Ingen kallelse har skickats" in page and "Skicka kallelse" in page
    with smtp_server() as inbox:
        response = secretary.post(url)
    assert response.status_code == 302 and len(inbox.messages) == 7
    page = html(secretary.get(response["Location"]))
    assert "Kallelsen är skickad" in page and "Skicka kallelsen igen" in page
    assert "har ändrats" not in page
    c.items[2].title = "Detaljplan Södra hamnen"
    c.items[2].save()
    page = html(secretary.get(url))
    assert "har ändrats sedan kallelsen skickades" in page and "Detaljplan Södra hamnen" in page
    assert "Skicka ändrad kallelse" in page
    c.meeting.place = "Stadshuset, sal B"
    c.meeting.save()
    assert "<li>Plats</li>" in html(secretary.get(url))
    mail_page = html(secretary.get(f"/moten/{c.meeting.pk}/utskick/"))
    assert mail_page.count("Skickat") >= 7 and "Kallelse: Testnämnden" in mail_page
    # The notice board shows the kungörelse of this public meeting, without the closed item.
    board = html(Client().get("/anslag/"))
    assert "Kungörelser" in board and "Bygglov" in board and "Sekretessärende" not in board


def test_chair_sees_but_may_not_send_and_members_may_not_see(c):
    url = f"/moten/{c.meeting.pk}/kallelse/"
    chair = client_for(c.chair)
    page = html(chair.get(url))
    assert "Förhinder och ersättare" in page and "Skicka kallelse" not in page
    refused = chair.post(url)
    assert refused.status_code == 400
    assert "Endast nämndens sekreterare får skicka kallelsen." in html(refused)
    assert client_for(c.members[2]).get(url).status_code == 403
    assert client_for(c.members[2]).get(f"/moten/{c.meeting.pk}/utskick/").status_code == 403
    assert Client().get(url).status_code == 302  # to the login


@override_settings(EMAIL_BACKEND="notices.mail.KeptBackend")
def test_demo_mail_is_kept_and_shown_not_sent(c):
    client_for(c.secretary).post(f"/moten/{c.meeting.pk}/kallelse/")
    assert set(SentMail.objects.values_list("status", flat=True)) == {"kept"}
    page = html(client_for(c.secretary).get(f"/moten/{c.meeting.pk}/utskick/"))
    assert "Sparat i Klubba (demo, ingen e-postserver)" in page
    assert "FÖREDRAGNINGSLISTA" in page  # the text of the mail itself


def test_member_reports_forhinder_and_substitute_accepts_on_the_home_page(c):
    member, e1, e2 = c.members[2], c.substitutes[0], c.substitutes[1]  # seat 3 is S: e1
    page = html(client_for(member).get(f"/moten/{c.meeting.pk}/forhinder/"))
    assert "Jag kan inte komma (anmäl förhinder)" in page
    with smtp_server() as inbox:
        response = client_for(member).post(f"/moten/{c.meeting.pk}/forhinder/")
    assert response.status_code == 302 and [m.rcpt_tos for m in inbox.messages] == [[e1.email]]
    assert "du har anmält förhinder" in html(client_for(member).get("/"))
    home = html(client_for(e1).get("/"))
    assert "Du tillfrågas om att tjänstgöra som ersättare för Ledamot3 Efternamn" in home
    request = SubstituteRequest.objects.get()
    answer_url = f"/moten/{c.meeting.pk}/ersattare/{request.pk}/"
    assert answer_url in home
    wrong = client_for(e2).post(answer_url, {"answer": "accept"})
    assert wrong.status_code == 400
    assert "Endast den tillfrågade ersättaren kan svara på förfrågan." in html(wrong)
    assert client_for(e1).post(answer_url, {"answer": "accept"}).status_code == 302
    assert ("Du är kallad att tjänstgöra för Ledamot3 Efternamn (plats 3); det bekräftas vid "
            "uppropet.") in html(client_for(e1).get("/"))
    console = html(client_for(c.secretary).get(f"/moten/{c.meeting.pk}/sekreterare/"))
    assert "Anmält före sammanträdet" in console
    assert "Ersattare1 Efternamn tjänstgör (föreslås vid uppropet)" in console


def test_remote_request_from_home_and_decision_on_the_notice_page(c):
    member = c.members[3]
    assert "Begär att delta på distans" in html(client_for(member).get("/"))
    asked = client_for(member).post(f"/moten/{c.meeting.pk}/distans/",
                                    {"next": "/\\evil.example"})
    assert asked.status_code == 302 and asked["Location"] == "/"  # only our own paths
    page = html(client_for(c.chair).get(f"/moten/{c.meeting.pk}/kallelse/"))
    assert "Väntar på beslut" in page and "Bevilja" in page
    from notices.models import RemoteRequest
    request = RemoteRequest.objects.get()
    refused = client_for(member).post(f"/moten/{c.meeting.pk}/distans/{request.pk}/",
                                      {"decision": "approve"})
    assert refused.status_code == 400
    done = client_for(c.chair).post(f"/moten/{c.meeting.pk}/distans/{request.pk}/",
                                    {"decision": "approve",
                                     "next": f"/moten/{c.meeting.pk}/kallelse/"})
    assert done.status_code == 302 and done["Location"] == f"/moten/{c.meeting.pk}/kallelse/"
    console = html(client_for(c.secretary).get(f"/moten/{c.meeting.pk}/sekreterare/"))
    assert "distansdeltagande beviljat" in console


def test_demo_has_a_notice_sent_and_a_forhinder_answered(db, capsys):
    from django.core.management import call_command

    from meetings.models import Meeting, MeetingEvent
    call_command("load_demo")
    call_command("load_demo")  # idempotent
    meeting = Meeting.objects.get(body__name="Stadsbyggnadsnämnden", status="planned")
    types = list(MeetingEvent.objects.filter(meeting=meeting).values_list("type", flat=True))
    assert types == ["notice.sent", "absence.reported", "substitute.asked",
                     "substitute.answered"]
    accepted = SubstituteRequest.objects.get(meeting=meeting, state="accepted")
    assert accepted.substitute.user.username == "ersattare5"  # Nils Åberg (C) for Karin Ek (C)
    assert SentMail.objects.filter(meeting=meeting, kind="notice").count() == 17
