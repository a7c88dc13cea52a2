"""The organisation administrator's pages: the overview, a new body, its seats, substitutes
and offices. Rights (administrator, secretary, member, anonymous), errors next to their
field, and nothing half-written on a refusal."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from meetings.models import Body, BodyRole, Seat, Substitute
from tests.support.setup import make_organisation_admin

pytestmark = pytest.mark.django_db

BODY_POST = {
    "name": "Kultur- och fritidsnämnden", "kind": "namnd", "organisation": "Ekby kommun",
    "seats_count": "7", "remote_ruleset": "chair_ensures", "quorum_rule": "more_than_half",
    "abstain_policy": "allowed", "secret_ballot_policy": "elections",
    "substitute_policy": "party_order", "substitutes_may_speak": "on",
    "chair_controls_meeting": "on", "presiding_succession": "vice_chairs",
    "presence_grace_seconds": "30",
}


@pytest.fixture
def admin(db):
    return make_organisation_admin()


def field_error(html: str, field_id: str) -> str:
    """The error shown next to a field, checked to be tied to it (aria-describedby)."""
    match = re.search(rf'<[^>]*id="{field_id}"[^>]*>', html)
    assert match, f"no field {field_id}"
    assert 'aria-describedby="' in match.group(0) and f"{field_id}_error" in match.group(0)
    assert 'aria-invalid="true"' in match.group(0)
    error = re.search(rf'id="{field_id}_error">(.*?)</p>', html, re.S)
    assert error, f"no error for {field_id}"
    return error.group(1)


def test_who_sees_the_overview(client, committee, admin):
    url = reverse("setup:organisation")
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(committee.members[1])
    assert client.get(url).status_code == 403
    assert url not in client.get("/").content.decode()  # no link for a member
    client.force_login(committee.secretary)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert committee.body.name in html
    assert reverse("setup:meetings", args=[committee.body.pk]) in html
    assert reverse("setup:body_new") not in html
    assert f'href="{reverse("setup:body", args=[committee.body.pk])}"' not in html
    assert url in client.get("/").content.decode()
    client.force_login(admin)
    html = client.get(url).content.decode()
    assert reverse("setup:body_new") in html
    assert reverse("setup:body", args=[committee.body.pk]) in html
    assert url in client.get("/").content.decode()


def test_only_the_administrator_opens_a_body_or_creates_one(client, committee, admin):
    body_url = reverse("setup:body", args=[committee.body.pk])
    assert client.get(body_url).status_code == 302
    for user in (committee.secretary, committee.members[1]):
        client.force_login(user)
        assert client.get(body_url).status_code == 403
        assert client.get(reverse("setup:body_new")).status_code == 403
        assert client.post(reverse("setup:body_new"), BODY_POST).status_code == 403
        response = client.post(reverse("setup:seat_new", args=[committee.body.pk]), {
            "seat-last_name": "Ny", "seat-email": "ny@example.se", "seat-weight": "1"})
        assert response.status_code == 403
    assert not Body.objects.filter(name=BODY_POST["name"]).exists()
    assert not get_user_model().objects.filter(email="ny@example.se").exists()
    client.force_login(admin)
    assert client.get(body_url).status_code == 200
    assert client.get(reverse("setup:body", args=[999999])).status_code == 404


def test_the_administrator_creates_a_body_with_its_rules(client, admin):
    client.force_login(admin)
    page = client.get(reverse("setup:body_new"))
    assert "Nytt organ" in page.content.decode()
    response = client.post(reverse("setup:body_new"), {
        **BODY_POST, "abstain_policy": "forbidden", "secret_ballot_policy": "any_decision"})
    body = Body.objects.get(name=BODY_POST["name"])
    assert response.status_code == 302 and response["Location"] == reverse(
        "setup:body", args=[body.pk])
    assert (body.kind, body.seats_count, body.abstain_policy, body.secret_ballot_policy) == (
        "namnd", 7, "forbidden", "any_decision")
    assert body.substitutes_may_speak and not body.minutes_keep_recusal_reasons


def test_a_taken_name_is_shown_next_to_the_name_and_nothing_is_created(client, committee,
                                                                       admin):
    client.force_login(admin)
    response = client.post(reverse("setup:body_new"), {**BODY_POST,
                                                       "name": committee.body.name})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ett annat organ har redan det namnet." in field_error(html, "id_name")
    assert 'role="alert"' in html
    assert Body.objects.count() == 1


def test_seats_members_are_found_or_created_by_email(client, committee, admin):
    client.force_login(admin)
    body = committee.body
    Body.objects.filter(pk=body.pk).update(seats_count=7)
    response = client.post(reverse("setup:seat_new", args=[body.pk]), {
        "seat-first_name": "Nora", "seat-last_name": "Lind", "seat-email": "nora@example.se",
        "seat-party": "MP", "seat-weight": "1", "seat-term_start": "2027-01-01",
        "seat-term_end": "2030-12-31"})
    assert response.status_code == 302
    seat = Seat.objects.get(body=body, member__email="nora@example.se")
    assert (seat.number, seat.party, str(seat.term_end)) == (6, "MP", "2030-12-31")
    html = client.get(reverse("setup:body", args=[body.pk])).content.decode()
    assert "Nora Lind (MP)" in html and "2027-01-01–2030-12-31" in html
    # Change the seat: its number, weight and term.
    response = client.post(reverse("setup:seat", args=[body.pk, seat.pk]), {
        "number": "7", "party": "MP", "weight": "2", "term_start": "", "term_end": ""})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert (seat.number, seat.weight, seat.term_start) == (7, 2, None)
    # A by-election (fyllnadsval): a new member on the seat, found or created by address.
    edit = reverse("setup:seat", args=[body.pk, seat.pk])
    assert "fyllnadsval" in client.get(edit).content.decode()
    response = client.post(edit, {"number": "7", "party": "MP", "weight": "1",
                                  "first_name": "Ola", "last_name": "Berg"})
    assert response.status_code == 400  # a name without an address
    field_error(response.content.decode(), "id_email")
    taken = committee.members[2]
    taken.email = "m3@example.se"
    taken.save()
    response = client.post(edit, {"number": "7", "party": "MP", "weight": "1",
                                  "last_name": "X", "email": "m3@example.se"})
    assert response.status_code == 400
    assert "redan ledamot" in field_error(response.content.decode(), "id_email")
    response = client.post(edit, {"number": "7", "party": "MP", "weight": "1",
                                  "first_name": "Ola", "last_name": "Berg",
                                  "email": "ola@example.se"})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.member.email == "ola@example.se" and seat.weight == 1


def test_a_refused_seat_leaves_no_new_person_behind(client, committee, admin):
    client.force_login(admin)
    body = committee.body  # five seats, all taken
    response = client.post(reverse("setup:seat_new", args=[body.pk]), {
        "seat-first_name": "Nora", "seat-last_name": "Lind", "seat-email": "nora@example.se",
        "seat-number": "9", "seat-weight": "1"})
    assert response.status_code == 400
    assert "mellan 1 och organets antal platser" in field_error(
        response.content.decode(), "id_seat-number")
    assert not get_user_model().objects.filter(email="nora@example.se").exists()
    assert Seat.objects.filter(body=body).count() == 5
    # A term that ends before it starts: next to the end date.
    Body.objects.filter(pk=body.pk).update(seats_count=7)
    response = client.post(reverse("setup:seat_new", args=[body.pk]), {
        "seat-last_name": "Lind", "seat-email": "nora@example.se", "seat-weight": "1",
        "seat-term_start": "2030-01-01", "seat-term_end": "2027-01-01"})
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_seat-term_end")
    # A malformed address is the form's own error, next to the field.
    response = client.post(reverse("setup:seat_new", args=[body.pk]), {
        "seat-last_name": "Lind", "seat-email": "inte-en-adress", "seat-weight": "1"})
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_seat-email")
    assert not get_user_model().objects.filter(last_name="Lind").exists()


def test_substitutes_are_added_and_moved_in_the_call_in_order(client, committee, admin):
    client.force_login(admin)
    body = committee.body
    response = client.post(reverse("setup:substitute_new", args=[body.pk]), {
        "sub-first_name": "Per", "sub-last_name": "Ek", "sub-email": "per@example.se",
        "sub-party": "C"})
    assert response.status_code == 302
    order = list(Substitute.objects.filter(body=body).order_by("call_in_order"))
    assert [s.user.email for s in order][-1] == "per@example.se"
    new = order[-1]
    client.post(reverse("setup:substitute_move", args=[body.pk, new.pk]), {"direction": "up"})
    order = list(Substitute.objects.filter(body=body).order_by("call_in_order")
                 .values_list("user__email", flat=True))
    assert order.index("per@example.se") == 1
    # An existing member cannot also be a substitute: the error is next to the e-mail.
    member = committee.members[1]
    member.email = "m2@example.se"
    member.save()
    response = client.post(reverse("setup:substitute_new", args=[body.pk]), {
        "sub-last_name": "X", "sub-email": "m2@example.se"})
    assert response.status_code == 400
    assert "redan ledamot i organet" in field_error(response.content.decode(), "id_sub-email")
    client.post(reverse("setup:substitute_delete", args=[body.pk, new.pk]))
    assert not Substitute.objects.filter(pk=new.pk).exists()
    assert list(Substitute.objects.filter(body=body).values_list("call_in_order", flat=True)
                .order_by("call_in_order")) == [1, 2]


def test_offices_for_the_bodys_people_or_someone_else(client, committee, admin):
    client.force_login(admin)
    body = committee.body
    vice = committee.members[1]
    response = client.post(reverse("setup:office_new", args=[body.pk]), {
        "office-role": "vice_chair", "office-person": str(vice.pk)})
    assert response.status_code == 302
    assert BodyRole.objects.filter(body=body, user=vice, role="vice_chair").exists()
    response = client.post(reverse("setup:office_new", args=[body.pk]), {
        "office-role": "secretary", "office-first_name": "Sara", "office-last_name": "Berg",
        "office-email": "sara@example.se"})
    assert response.status_code == 302
    assert BodyRole.objects.filter(body=body, user__email="sara@example.se",
                                   role="secretary").exists()
    # A second chair is refused next to the office.
    response = client.post(reverse("setup:office_new", args=[body.pk]), {
        "office-role": "chair", "office-person": str(vice.pk)})
    assert response.status_code == 400
    assert "har redan en ordförande" in field_error(response.content.decode(), "id_office-role")
    # Neither a person nor an address: said next to the address.
    response = client.post(reverse("setup:office_new", args=[body.pk]),
                           {"office-role": "secretary"})
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_office-email")
    office = BodyRole.objects.get(body=body, user=vice, role="vice_chair")
    client.post(reverse("setup:office_delete", args=[body.pk, office.pk]))
    assert not BodyRole.objects.filter(pk=office.pk).exists()


def test_rules_are_changed_on_the_body_page(client, committee, admin):
    client.force_login(admin)
    body = committee.body
    post = {f"rules-{k}": v for k, v in {**BODY_POST, "name": body.name,
                                          "remote_ruleset": "none"}.items()}
    response = client.post(reverse("setup:body", args=[body.pk]), post)
    assert response.status_code == 302
    body.refresh_from_db()
    assert body.remote_ruleset == "none" and body.seats_count == 7
    # Fewer seats than the highest seat number: refused next to the number of seats.
    response = client.post(reverse("setup:body", args=[body.pk]),
                           {**post, "rules-seats_count": "3"})
    assert response.status_code == 400
    field_error(response.content.decode(), "id_rules-seats_count")
    body.refresh_from_db()
    assert body.seats_count == 7
