"""The setup pages say what was done: a success notice in base.html's status area after a
body is created or saved and a seat, substitute or office is added; and the body form names
the ålderspresident as the law does (KL 5:12)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from meetings.models import Body
from tests.support.setup import make_organisation_admin

pytestmark = pytest.mark.django_db

BODY_POST = {
    "name": "Kultur- och fritidsnämnden", "kind": "namnd", "organisation": "Ekby kommun",
    "seats_count": "7", "remote_ruleset": "chair_ensures", "quorum_rule": "more_than_half",
    "abstain_policy": "allowed", "secret_ballot_policy": "elections",
    "substitute_policy": "party_order", "substitutes_may_speak": "on",
    "chair_controls_meeting": "on", "presiding_succession": "eldest_member",
    "presence_grace_seconds": "30",
}


def notice(response) -> str:
    """The text of the status area (role=status) on the page the redirect led to."""
    assert response.redirect_chain, "no redirect after success"
    match = re.search(r'<div class="messages" role="status">(.*?)</div>', response.content.decode(),
                      re.S)
    assert match, "no notice shown"
    return re.sub(r"<[^>]+>", " ", match.group(1))


def test_each_added_thing_is_confirmed_once(client, committee):
    client.force_login(make_organisation_admin())
    response = client.post(reverse("setup:body_new"), BODY_POST, follow=True)
    assert "Organet Kultur- och fritidsnämnden har skapats." in notice(response)
    body = committee.body
    Body.objects.filter(pk=body.pk).update(seats_count=7)
    response = client.post(reverse("setup:seat_new", args=[body.pk]), {
        "seat-first_name": "Nora", "seat-last_name": "Lind", "seat-email": "nora@example.se",
        "seat-weight": "1"}, follow=True)
    assert re.search(r"Plats \d+ tillagd: Nora Lind\.", notice(response))
    response = client.post(reverse("setup:substitute_new", args=[body.pk]), {
        "sub-first_name": "Per", "sub-last_name": "Ek", "sub-email": "per@example.se",
        "sub-party": "C"}, follow=True)
    assert "Ersättare tillagd: Per Ek." in notice(response)
    response = client.post(reverse("setup:office_new", args=[body.pk]), {
        "office-role": "secretary", "office-first_name": "Sara", "office-last_name": "Berg",
        "office-email": "sara@example.se"}, follow=True)
    assert "tillagd: Sara Berg." in notice(response)
    # Shown once: the next page has no notice.
    assert 'class="messages"' not in client.get(reverse("setup:body", args=[body.pk])
                                                ).content.decode()


def test_the_succession_choice_names_the_longest_serving_member(client, committee):
    client.force_login(make_organisation_admin())
    page = client.get(reverse("setup:body_new")).content.decode()
    assert "Den ledamot som tjänstgjort längst (ålderspresident" in page
    assert "Den äldste ledamoten" not in page
