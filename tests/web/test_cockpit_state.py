"""The cockpit's page state and links before a meeting is held: Dnr and föredragande with each
item, and no minutes acts (sign, after the meeting, archive) before there are minutes."""

from django.core.cache import cache
from django.urls import reverse

from meetings.models import AgendaItem, Attachment
from meetings.visibility import PARTICIPANTS
from web.state import meeting_state


def test_the_state_gives_each_item_its_dnr_and_presenter(committee):
    c = committee
    AgendaItem.objects.filter(pk=c.items[0].pk).update(case_number=" SBN 2026/131 ",
                                                       presenter="Lena Berg")
    Attachment.objects.create(item=c.items[0], title="Tjänsteskrivelse", file="a/t.pdf")
    # The audience state is cached per log head; an earlier test's meeting may share the key.
    cache.clear()
    state = meeting_state(c.meeting, PARTICIPANTS)
    first, second = state["agenda"][0], state["agenda"][1]
    assert (first["case_number"], first["presenter"]) == ("SBN 2026/131", "Lena Berg")
    assert (second["case_number"], second["presenter"]) == ("", "")
    assert [d["title"] for d in state["documents"][str(c.items[0].pk)]] == ["Tjänsteskrivelse"]


def test_a_planned_meeting_offers_no_minutes_acts(committee, client):
    c = committee
    client.force_login(c.secretary)
    cockpit = client.get(reverse("meetings:console", args=[c.meeting.pk])).content.decode()
    assert reverse("meetings:minutes_sign", args=[c.meeting.pk]) not in cockpit
    assert reverse("meetings:minutes_review", args=[c.meeting.pk]) not in cockpit
    review = client.get(reverse("meetings:minutes_review", args=[c.meeting.pk]))
    assert review.status_code == 200
    page = review.content.decode()
    assert reverse("meetings:console", args=[c.meeting.pk]) in page  # the structure stays
    assert reverse("meetings:minutes_after", args=[c.meeting.pk]) not in page
    assert reverse("meetings:archive_package", args=[c.meeting.pk]) not in page
