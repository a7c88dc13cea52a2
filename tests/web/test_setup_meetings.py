"""The secretary's pages: a body's meetings, a new meeting, the agenda editor (items with Dnr
and föredragande, closed items last, moving, copying) and documents. Rights, errors next to
their field, and nothing half-written on a refusal."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from meetings.commands import meeting_open
from meetings.models import AgendaItem, Attachment, Body, BodyRole, Meeting, MeetingEvent
from tests.support.committee import make_committee
from tests.support.setup import make_organisation_admin
from tests.web.test_setup_bodies import field_error

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(tmp_path):
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        yield


def stored_files() -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def meeting_post(**changes: str) -> dict[str, str]:
    return {"title": "Sammanträde", "starts_at": "2027-02-09T18:00",
            "ends_at": "2027-02-09T21:00", "place": "Stadshuset, sal Ekan",
            "video_link": "https://video.example.se/nämnden", "is_public": "", **changes}


def test_who_plans_the_meetings_of_a_body(client, committee):
    url = reverse("setup:meetings", args=[committee.body.pk])
    meeting_url = reverse("setup:meeting", args=[committee.meeting.pk])
    assert client.get(url).status_code == 302
    other = make_committee(name="Andra nämnden")  # its secretary is not ours
    for user in (committee.members[1], committee.chair, other.secretary):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.get(meeting_url).status_code == 403
        assert client.post(url, meeting_post()).status_code == 403
        assert client.post(reverse("setup:item_new", args=[committee.meeting.pk]),
                           {"item-title": "Smygärende"}).status_code == 403
    assert Meeting.objects.filter(body=committee.body).count() == 1
    assert not AgendaItem.objects.filter(title="Smygärende").exists()
    notice_url = reverse("meetings:notice", args=[committee.meeting.pk])
    for user, handles_notice in ((committee.secretary, True), (make_organisation_admin(), False)):
        client.force_login(user)
        assert client.get(url).status_code == 200
        page = client.get(meeting_url)
        assert page.status_code == 200
        # The link to the kallelse only for whoever may open it (not the administrator).
        assert ('id="to-notice"' in page.content.decode()) is handles_notice
        assert (client.get(notice_url).status_code == 200) is handles_notice
    assert client.get(reverse("setup:meeting", args=[999999])).status_code == 404


def test_the_secretary_creates_a_meeting(client, committee):
    client.force_login(committee.secretary)
    url = reverse("setup:meetings", args=[committee.body.pk])
    response = client.post(url, meeting_post())
    meeting = Meeting.objects.filter(body=committee.body).latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("setup:meeting", args=[meeting.pk])
    assert (meeting.place, meeting.is_public, meeting.status) == (
        "Stadshuset, sal Ekan", False, "planned")
    assert meeting.starts_at.isoformat() == "2027-02-09T17:00:00+00:00"  # 18:00 in Stockholm
    html = client.get(reverse("setup:meeting", args=[meeting.pk])).content.decode()
    assert 'value="2027-02-09T18:00"' in html and "Föredragningslistan är tom" in html
    # The details are changed on the meeting's page: a digital meeting, no planned end.
    response = client.post(reverse("setup:meeting", args=[meeting.pk]), {
        f"meeting-{k}": v for k, v in meeting_post(place="", ends_at="").items()})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "" and meeting.ends_at is None


def test_a_bad_meeting_is_refused_next_to_its_field_and_not_created(client, committee):
    client.force_login(committee.secretary)
    url = reverse("setup:meetings", args=[committee.body.pk])
    before = Meeting.objects.count()
    response = client.post(url, meeting_post(ends_at="2027-02-09T17:00"))
    assert response.status_code == 400
    assert "Planerat slut måste vara efter starten." in field_error(
        response.content.decode(), "id_ends_at")
    response = client.post(url, meeting_post(starts_at="i morgon"))
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_starts_at")
    # A body without remote participation: no video link (said next to it).
    Body.objects.filter(pk=committee.body.pk).update(remote_ruleset="none")
    response = client.post(url, meeting_post())
    assert response.status_code == 400
    assert "distans" in field_error(response.content.decode(), "id_video_link")
    assert Meeting.objects.count() == before


def test_the_agenda_editor_adds_moves_changes_and_removes_items(client, committee):
    client.force_login(committee.secretary)
    meeting = committee.meeting
    add = reverse("setup:item_new", args=[meeting.pk])
    response = client.post(add, {
        "item-title": "Bygglov Kvarnen 4", "item-case_number": "SBN 2026/112",
        "item-presenter": "Lina Berg, bygglovschef", "item-description": "Ansökan om bygglov.",
        "item-prepared_proposal": "Bygglov beviljas."})
    assert response.status_code == 302
    new = AgendaItem.objects.get(meeting=meeting, title="Bygglov Kvarnen 4")
    # An open item goes before the closed one (position 4 of 5), with its Dnr and föredragande.
    assert (new.position, new.case_number, new.presenter) == (4, "SBN 2026/112",
                                                              "Lina Berg, bygglovschef")
    html = client.get(reverse("setup:meeting", args=[meeting.pk])).content.decode()
    assert "Dnr SBN 2026/112" in html and "Föredragande: Lina Berg, bygglovschef" in html
    # Up one place: a logged reorder.
    client.post(reverse("setup:item_move", args=[meeting.pk, new.pk]), {"direction": "up"})
    new.refresh_from_db()
    assert new.position == 3
    assert MeetingEvent.objects.filter(meeting=meeting, type="agenda.reordered").exists()
    # An open item cannot pass the closed one (the button is not offered; a post is refused).
    closed = AgendaItem.objects.get(meeting=meeting, confidential=True)
    last_open = AgendaItem.objects.get(meeting=meeting, position=closed.position - 1)
    response = client.post(reverse("setup:item_move", args=[meeting.pk, last_open.pk]),
                           {"direction": "down"})
    assert response.status_code == 400
    assert "Ärenden med sekretess placeras sist" in response.content.decode()
    assert AgendaItem.objects.get(pk=closed.pk).position == closed.position
    # Change: made confidential, it moves last.
    response = client.post(reverse("setup:item", args=[meeting.pk, new.pk]), {
        "title": "Bygglov Kvarnen 4", "case_number": "SBN 2026/112", "presenter": "L. Berg",
        "description": "", "prepared_proposal": "Bygglov beviljas.", "confidential": "on"})
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.confidential and new.position == 5 and new.presenter == "L. Berg"
    # A title is required: the error is next to it and nothing changes.
    response = client.post(reverse("setup:item", args=[meeting.pk, new.pk]), {"title": " "})
    assert response.status_code == 400
    field_error(response.content.decode(), "id_title")
    client.post(reverse("setup:item_delete", args=[meeting.pk, new.pk]))
    assert not AgendaItem.objects.filter(pk=new.pk).exists()
    assert list(meeting.items.values_list("position", flat=True).order_by("position")) == [
        1, 2, 3, 4]


def test_an_empty_title_is_refused_and_nothing_is_added(client, committee):
    client.force_login(committee.secretary)
    before = committee.meeting.items.count()
    response = client.post(reverse("setup:item_new", args=[committee.meeting.pk]),
                           {"item-title": ""})
    assert response.status_code == 400
    assert "Fältet måste fyllas i" in field_error(response.content.decode(), "id_item-title") \
        or "obligatoriskt" in response.content.decode()
    assert committee.meeting.items.count() == before


def test_documents_are_attached_and_bad_files_refused_next_to_the_file(client, committee):
    client.force_login(committee.secretary)
    meeting, item = committee.meeting, committee.items[1]
    url = reverse("setup:attachment_new", args=[meeting.pk, item.pk])
    response = client.post(url, {"doc-title": "Tjänsteskrivelse",
                                 "doc-file": SimpleUploadedFile("ts.pdf", PDF)})
    assert response.status_code == 302
    attachment = Attachment.objects.get(item=item)
    assert attachment.title == "Tjänsteskrivelse" and len(stored_files()) == 1
    html = client.get(reverse("setup:item", args=[meeting.pk, item.pk])).content.decode()
    assert reverse("meetings:document", args=[meeting.pk, attachment.pk]) in html
    # Wrong type: said next to the file field, with the accepted types; nothing stored.
    response = client.post(url, {"doc-file": SimpleUploadedFile("virus.exe", b"MZ...")})
    assert response.status_code == 400
    error = field_error(response.content.decode(), "id_doc-file")
    assert "Den här filtypen kan inte bifogas." in error and "pdf" in error
    # Too large: the limit is named; nothing stored.
    klubba = {**settings.KLUBBA, "ATTACHMENT_MAX_BYTES": 1024 * 1024}
    with override_settings(KLUBBA=klubba):
        big = SimpleUploadedFile("stor.pdf", PDF + b"0" * (1024 * 1024))
        response = client.post(url, {"doc-file": big})
    assert response.status_code == 400
    assert "Filen är för stor: högst 1 MB." in field_error(response.content.decode(),
                                                           "id_doc-file")
    assert Attachment.objects.filter(item=item).count() == 1 and len(stored_files()) == 1
    client.post(reverse("setup:attachment_delete", args=[meeting.pk, item.pk, attachment.pk]))
    assert not Attachment.objects.filter(item=item).exists()


def test_an_earlier_agenda_is_copied(client, committee):
    client.force_login(committee.secretary)
    response = client.post(reverse("setup:meetings", args=[committee.body.pk]),
                           meeting_post(title="Nästa sammanträde"))
    new = Meeting.objects.get(title="Nästa sammanträde")
    page = client.get(response["Location"]).content.decode()
    assert 'id="id_copy-source"' in page
    response = client.post(reverse("setup:copy", args=[new.pk]),
                           {"copy-source": str(committee.meeting.pk)})
    assert response.status_code == 302
    assert list(new.items.order_by("position").values_list("title", "confidential")) == list(
        committee.meeting.items.order_by("position").values_list("title", "confidential"))
    # A meeting of another body is not offered: refused next to the choice.
    other = make_committee(name="Andra nämnden")
    response = client.post(reverse("setup:copy", args=[new.pk]),
                           {"copy-source": str(other.meeting.pk)})
    assert response.status_code == 400
    field_error(response.content.decode(), "id_copy-source")
    assert new.items.count() == 4


def test_an_opened_meeting_has_a_fixed_agenda(client, committee):
    client.force_login(committee.secretary)
    meeting = committee.meeting
    meeting_open(meeting_id=meeting.pk, actor=committee.secretary)
    html = client.get(reverse("setup:meeting", args=[meeting.pk])).content.decode()
    assert 'id="fixed"' in html and reverse("setup:item_new", args=[meeting.pk]) not in html
    response = client.post(reverse("setup:item_new", args=[meeting.pk]), {"item-title": "Sent"})
    assert response.status_code == 400
    assert "nu ändras föredragningslistan bara av sammanträdet" in response.content.decode()
    assert not meeting.items.filter(title="Sent").exists()
    response = client.post(reverse("setup:meeting", args=[meeting.pk]), {
        f"meeting-{k}": v for k, v in meeting_post().items()})
    assert response.status_code == 400
    assert "Sammanträdet är redan öppnat" in response.content.decode()


def test_the_secretary_finds_the_meetings_from_the_overview(client, committee):
    client.force_login(committee.secretary)
    html = client.get(reverse("setup:organisation")).content.decode()
    assert reverse("setup:meetings", args=[committee.body.pk]) in html
    BodyRole.objects.filter(user=committee.secretary).delete()
    assert client.get(reverse("setup:organisation")).status_code == 403
