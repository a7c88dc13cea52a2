"""What the member with förhinder and the substitute called in are told before the meeting,
in the room (page and state.json), on the förhinder page and on the home page; withdrawing
the förhinder from the page; the room's agenda carries Dnr and föredragande."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from meetings.models import AgendaItem, Body
from notices.models import SubstituteRequest
from notices.services import answer_substitute_request, report_absence
from tests.support.committee import make_committee

pytestmark = pytest.mark.django_db

SERVES = "Du har anmält förhinder – Ersattare1 Efternamn tjänstgör för dig."
ASKED = "Du har anmält förhinder – Ersattare1 Efternamn tillfrågas om att tjänstgöra för dig."
CALLED = ("Du är kallad att tjänstgöra för Ledamot2 Efternamn (plats 2); det bekräftas vid "
          "uppropet.")


@pytest.fixture
def c(db):
    c = make_committee(substitutes=1)
    c.body.substitute_policy = Body.SubstitutePolicy.BODY_ORDER
    c.body.save()
    c.meeting.starts_at = timezone.now() + timedelta(days=7)
    c.meeting.save()
    return c


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def accept(c) -> None:
    e1 = c.substitutes[0]
    request = SubstituteRequest.objects.get(substitute__user=e1, state="asked")
    answer_substitute_request(meeting_id=c.meeting.pk, actor=e1, request_id=request.pk,
                              accept=True)


def test_the_member_sees_who_serves_and_withdraws_the_forhinder(c):
    member, e1 = c.members[1], c.substitutes[0]
    room, state = f"/moten/{c.meeting.pk}/", f"/moten/{c.meeting.pk}/state.json"
    absence = f"/moten/{c.meeting.pk}/forhinder/"
    me = client_for(member)
    response = me.post(absence)
    assert response.status_code == 302 and response["Location"] == absence
    assert ASKED in text(me.get(absence))
    assert me.get(state).json()["me"]["before"] == {"kind": "absence", "text": ASKED}
    accept(c)
    for url in (room, absence):
        page = text(me.get(url))
        assert SERVES in page and "återkalla förhinder" in page, url
    assert me.get(state).json()["me"]["before"]["text"] == SERVES
    # Another member is told nothing of it.
    other = client_for(c.members[2])
    assert "förhinder –" not in text(other.get(room))
    assert other.get(state).json()["me"]["before"] is None
    # Withdrawn from the förhinder page: the member may report again; the substitute is told.
    response = me.post(absence, {"action": "withdraw"})
    assert response.status_code == 302
    page = text(me.get(absence))
    assert SERVES not in page and "Jag kan inte komma (anmäl förhinder)" in page
    assert me.get(state).json()["me"]["before"] is None
    home = text(client_for(e1).get("/"))
    assert "Du behövs inte längre som ersättare – Ledamot2 Efternamn har återkallat" in home
    assert CALLED not in home
    # Nothing left to withdraw: a clear refusal on the page.
    response = me.post(absence, {"action": "withdraw"})
    assert response.status_code == 400
    assert "det finns inget att återkalla" in response.content.decode()


def test_nobody_left_to_ask_is_said(c):
    e1 = c.substitutes[0]
    report_absence(meeting_id=c.meeting.pk, actor=c.members[1])
    request = SubstituteRequest.objects.get(substitute__user=e1)
    answer_substitute_request(meeting_id=c.meeting.pk, actor=e1, request_id=request.pk,
                              accept=False)
    page = text(client_for(c.members[1]).get(f"/moten/{c.meeting.pk}/forhinder/"))
    assert "Du har anmält förhinder – det finns ingen ersättare kvar att fråga." in page


def test_the_substitute_called_in_is_told_the_same_on_home_and_in_the_room(c):
    e1 = c.substitutes[0]
    report_absence(meeting_id=c.meeting.pk, actor=c.members[1])
    accept(c)
    sub = client_for(e1)
    home = text(sub.get("/"))
    assert CALLED in home and "Du tjänstgör för" not in home
    room = text(sub.get(f"/moten/{c.meeting.pk}/"))
    assert CALLED in room and "återkalla förhinder" not in room
    before = sub.get(f"/moten/{c.meeting.pk}/state.json").json()["me"]["before"]
    assert before == {"kind": "called", "text": CALLED}


def test_the_rooms_agenda_carries_case_number_and_presenter(c):
    AgendaItem.objects.filter(pk=c.items[1].pk).update(case_number="SBN 2026/123",
                                                        presenter="Anna Berg")
    agenda = client_for(c.members[0]).get(f"/moten/{c.meeting.pk}/state.json").json()["agenda"]
    row = next(i for i in agenda if i["item_id"] == c.items[1].pk)
    assert (row["case_number"], row["presenter"]) == ("SBN 2026/123", "Anna Berg")
    assert all("case_number" in i and "presenter" in i for i in agenda)
