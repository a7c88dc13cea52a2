"""Setting up a body, its people, a meeting and its agenda through the JSON API, and the
typed refusals of bad input (nothing half-written)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.models import AgendaItem, Attachment, Body, MeetingEvent, Seat, Substitute
from tests.support.api import ApiClient, error_of
from tests.support.setup import make_organisation_admin

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def admin_api() -> ApiClient:
    return ApiClient(make_organisation_admin())


def _person(api: ApiClient, n: int, last: str) -> int:
    response = api.post("/persons", {"first_name": f"Förnamn{n}", "last_name": last,
                                     "email": f"person{n}@kommun.example.se"})
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_a_body_members_and_a_meeting_with_its_agenda_through_the_api(admin_api):
    body = admin_api.post("/bodies", {
        "name": "Tekniska nämnden", "kind": "namnd", "seats_count": 3,
        "organisation": "Exempelby kommun", "remote_ruleset": "chair_ensures"})
    assert body.status_code == 201, body.content
    body_id = body.json()["id"]
    people = [_person(admin_api, n, last) for n, last in
              enumerate(["Andersson", "Berg", "Carlsson", "Dahl", "Ek", "Sekreterare"])]
    for n, person in enumerate(people[:3], start=1):
        seat = admin_api.post(f"/bodies/{body_id}/seats", {
            "member_id": person, "party": "S" if n % 2 else "M",
            "term_start": "2027-01-01", "term_end": "2030-12-31"})
        assert seat.status_code == 201 and seat.json()["number"] == n
    subs = [admin_api.post(f"/bodies/{body_id}/substitutes",
                           {"user_id": p, "party": "S"}).json()["id"] for p in people[3:5]]
    order = admin_api.put(f"/bodies/{body_id}/substitutes/order", {"ids": subs[::-1]})
    assert [s["id"] for s in order.json()] == subs[::-1]
    assert admin_api.post(f"/bodies/{body_id}/offices",
                          {"user_id": people[0], "role": "chair"}).status_code == 201
    assert admin_api.post(f"/bodies/{body_id}/offices",
                          {"user_id": people[5], "role": "secretary"}).status_code == 201
    detail = admin_api.get(f"/bodies/{body_id}").json()
    assert [s["term_end"] for s in detail["seats"]] == ["2030-12-31"] * 3
    assert [s["call_in_order"] for s in detail["substitutes"]] == [1, 2]
    assert {o["role"] for o in detail["offices"]} == {"chair", "secretary"}

    from django.contrib.auth import get_user_model
    secretary = ApiClient(get_user_model().objects.get(pk=people[5]))
    starts = (timezone.now() + timedelta(days=14)).isoformat()
    meeting = secretary.post(f"/bodies/{body_id}/meetings", {
        "title": "Sammanträde 3", "starts_at": starts, "place": "Kommunhuset, sal A",
        "video_link": "https://video.example.se/tn"})
    assert meeting.status_code == 201, meeting.content
    mid = meeting.json()["id"]
    imported = secretary.post(f"/meetings/{mid}/agenda/import", {"items": [
        {"title": "Val av justerare"},
        {"title": "Bygglov, Storgatan 1", "case_number": "TN 2026/45",
         "presenter": "Anna Berg, bygglovschef", "prepared_proposal": "Bygglov beviljas."},
        {"title": "Föreläggande", "case_number": "TN 2026/50", "confidential": True}]})
    assert imported.status_code == 201, imported.content
    assert [e["type"] for e in imported.json()["events"]] == ["agenda.item_added"] * 3
    items = imported.json()["items"]
    added = secretary.post(f"/meetings/{mid}/agenda/items",
                           {"title": "Delegationsbeslut", "case_number": "TN 2026/51"},
                           headers={"Idempotency-Key": "add-1"})
    again = secretary.post(f"/meetings/{mid}/agenda/items",
                           {"title": "Delegationsbeslut", "case_number": "TN 2026/51"},
                           headers={"Idempotency-Key": "add-1"})
    assert added.status_code == again.status_code == 201
    assert added.json()["event"] == again.json()["event"]  # a retry acted once
    assert added.json()["item"]["position"] == 3  # before the closed item
    pdf = b"%PDF-1.7\n" + b"x" * 200
    doc = secretary.upload(f"/meetings/{mid}/agenda/items/{items[1]['id']}/attachments",
                           name="tjansteskrivelse.pdf", data=pdf, title="Tjänsteskrivelse")
    assert doc.status_code == 201, doc.content
    changed = secretary.patch(f"/meetings/{mid}/agenda/items/{items[0]['id']}",
                              {"presenter": "Kommunsekreteraren"})
    assert changed.json()["item"]["presenter"] == "Kommunsekreteraren"
    read = secretary.get(f"/meetings/{mid}").json()
    assert [i["title"] for i in read["items"]] == [
        "Val av justerare", "Bygglov, Storgatan 1", "Delegationsbeslut", "Föreläggande"]
    assert read["items"][1]["attachments"][0]["title"] == "Tjänsteskrivelse"
    log = secretary.get(f"/meetings/{mid}/log").json()
    assert [e["type"] for e in log["events"]] == [
        "agenda.item_added", "agenda.item_added", "agenda.item_added", "agenda.item_added",
        "agenda.attachment_added", "agenda.item_changed"]


def test_roles_are_those_of_the_pages(committee, admin_api):
    secretary, member = ApiClient(committee.secretary), ApiClient(committee.members[1])
    assert error_of(secretary.post("/bodies", {"name": "X", "seats_count": 3})) \
        == (403, "permission_denied")
    assert error_of(member.post(f"/meetings/{committee.meeting.pk}/agenda/items",
                                {"title": "X"})) == (403, "permission_denied")
    assert error_of(member.post(f"/bodies/{committee.body.pk}/meetings", {
        "title": "X", "starts_at": timezone.now().isoformat()})) == (403, "permission_denied")
    assert not Body.objects.filter(name="X").exists()
    assert not AgendaItem.objects.filter(title="X").exists()
    # The administrator may plan meetings too; the secretary reads the body.
    assert secretary.get(f"/bodies/{committee.body.pk}").status_code == 200
    assert error_of(member.get(f"/bodies/{committee.body.pk}")) == (403, "permission_denied")


def test_bad_input_gets_typed_errors_and_nothing_is_half_written(committee, admin_api, settings):
    sec = ApiClient(committee.secretary)
    mid = committee.meeting.pk
    before = (Body.objects.count(), Seat.objects.count(), AgendaItem.objects.count(),
              MeetingEvent.objects.count(), Substitute.objects.count())
    assert error_of(admin_api.get("/bodies/999999")) == (404, "body_not_found")
    assert error_of(sec.get("/meetings/999999")) == (404, "meeting_not_found")
    assert error_of(sec.patch(f"/meetings/{mid}/agenda/items/999999", {"title": "Y"})) \
        == (404, "item_not_found")
    assert error_of(admin_api.post(f"/bodies/{committee.body.pk}/seats",
                                   {"member_id": 999999})) == (404, "person_not_found")
    assert error_of(admin_api.post("/bodies", raw="{not json")) == (400, "malformed_json")
    assert error_of(admin_api.post("/bodies", {"name": "X"})) == (422, "validation_failed")
    assert error_of(admin_api.post("/bodies", {"name": "X", "seats_count": 3,
                                               "kind": "kommunstyrelse"})) \
        == (422, "invalid_argument")
    assert error_of(admin_api.post("/bodies", {"name": committee.body.name,
                                               "seats_count": 3})) == (409, "name_taken")
    assert error_of(sec.post(f"/meetings/{mid}/agenda/import", {"items": [
        {"title": "Öppet"}, {"title": "x" * 301}]})) == (422, "validation_failed")
    assert error_of(sec.post(f"/meetings/{mid}/agenda/import", {"items": [
        {"title": "Sekretess", "confidential": True}, {"title": "Öppet"}]})) \
        == (422, "closed_items_last")
    assert error_of(sec.put(f"/meetings/{mid}/agenda/order", {"ids": [1, 2]})) \
        == (422, "invalid_argument")
    assert error_of(sec.get("/no/such/path")) == (404, "not_found")
    assert error_of(sec.call("delete", "/bodies")) == (405, "method_not_allowed")
    assert error_of(ApiClient(token="kbt_wrong").get("/bodies")) == (401, "invalid_token")
    assert error_of(ApiClient().get("/bodies")) == (401, "authentication_required")
    settings.KLUBBA = {**settings.KLUBBA, "ATTACHMENT_MAX_BYTES": 100}
    item = committee.items[1].pk
    big = sec.upload(f"/meetings/{mid}/agenda/items/{item}/attachments", name="stor.pdf",
                     data=b"%PDF-" + b"0" * 500)
    assert error_of(big) == (413, "attachment_too_large")
    assert big.json()["error"]["details"]["max_bytes"] == 100
    assert error_of(sec.upload(f"/meetings/{mid}/agenda/items/{item}/attachments",
                               name="sida.html", data=b"<html>")) \
        == (422, "attachment_type_not_allowed")
    assert (Body.objects.count(), Seat.objects.count(), AgendaItem.objects.count(),
            MeetingEvent.objects.count(), Substitute.objects.count()) == before
    assert not Attachment.objects.exists()
    assert not list(settings.MEDIA_ROOT.rglob("*.*"))


def test_messages_are_swedish_unless_english_is_asked_for(committee):
    sec = ApiClient(committee.secretary)
    assert sec.get("/meetings/999999").json()["error"]["message"] == \
        "Det finns inget sådant sammanträde."
    assert sec.get("/meetings/999999?lang=en").json()["error"]["message"] == \
        "There is no such meeting."


def test_the_agenda_of_an_open_meeting_is_the_meetings(committee):
    from meetings.commands import meeting_open

    meeting_open(meeting_id=committee.meeting.pk, actor=committee.secretary)
    sec = ApiClient(committee.secretary)
    response = sec.post(f"/meetings/{committee.meeting.pk}/agenda/items", {"title": "Sent"})
    assert error_of(response) == (409, "agenda_fixed")
    assert not AgendaItem.objects.filter(title="Sent").exists()


def test_the_openapi_schema_is_served_and_lists_the_paths(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/bodies", "/api/v1/meetings/{meeting_id}/agenda/import",
                 "/api/v1/meetings/{meeting_id}/log", "/api/v1/meetings/{meeting_id}/minutes/lock",
                 "/api/v1/meetings/{meeting_id}/minutes/sign"):
        assert path in schema["paths"], path
    assert "BearerToken" in schema["components"]["securitySchemes"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and b"/static/ninja/swagger-ui-bundle.js" in docs.content


def test_odd_input_is_a_typed_refusal_never_a_500(committee, admin_api, settings):
    sec = ApiClient(committee.secretary)
    mid = committee.meeting.pk
    assert error_of(sec.get("/meetings/abc")) == (422, "validation_failed")
    assert error_of(sec.get(f"/meetings/{mid}/log?since=-1")) == (422, "validation_failed")
    assert error_of(sec.get(f"/meetings/{mid}/log?limit=abc")) == (422, "validation_failed")
    assert error_of(sec.post(f"/meetings/{mid}/agenda/items", raw="[1, 2]")) \
        == (422, "validation_failed")
    assert error_of(sec.post(f"/meetings/{mid}/agenda/items", raw='{"title": "a\\u0000b"}')) \
        == (422, "validation_failed")
    assert error_of(sec.post(f"/meetings/{mid}/agenda/items", raw='{"title": "\\ud800"}')) \
        == (422, "validation_failed")
    assert error_of(admin_api.post("/persons", {"first_name": "A", "last_name": "B",
                                                "email": "x\u0000@example.se"})) \
        == (422, "validation_failed")
    assert error_of(sec.post(f"/meetings/{mid}/agenda/items", raw="")) \
        == (422, "validation_failed")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    assert error_of(sec.post(f"/meetings/{mid}/agenda/items", {"title": "x" * 2000})) \
        == (413, "request_too_large")
    assert not AgendaItem.objects.filter(meeting_id=mid).exclude(
        pk__in=[i.pk for i in committee.items]).exists()
