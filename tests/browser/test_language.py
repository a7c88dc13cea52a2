"""Swedish whatever the browser asks for; English only when the person picks it, kept in the
session and, for a signed-in person, across logins."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from web.models import UserPreference

pytestmark = pytest.mark.django_db


def test_accept_language_english_still_gets_swedish(client, committee):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="sv"' in response.content.decode()
    client.force_login(committee.members[1])
    room = reverse("meetings:room", args=[committee.meeting.pk])
    page = client.get(room, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Begär ordet" in page and "Ask to speak" not in page


def test_chosen_english_is_kept_in_the_session_and_for_the_next_login(committee):
    member = committee.members[1]
    room = reverse("meetings:room", args=[committee.meeting.pk])
    first = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert first.login(username=member.get_username(), password=f"pw-{member.get_username()}")
    first.post(reverse("meetings:set_language"), {"language": "en", "next": room})
    assert "Ask to speak" in first.get(room).content.decode()
    assert UserPreference.objects.get(user=member).language == "en"

    # A new browser (no cookie, no session) that asks for Swedish: the login brings English.
    fresh = Client(HTTP_ACCEPT_LANGUAGE="sv")
    assert "Begär ordet" not in fresh.get("/").content.decode()  # anonymous: not logged in
    assert 'lang="sv"' in fresh.get("/").content.decode()
    assert fresh.login(username=member.get_username(), password=f"pw-{member.get_username()}")
    assert "Ask to speak" in fresh.get(room).content.decode()

    # Someone else on a fresh browser still gets Swedish.
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(committee.members[2])
    assert "Begär ordet" in other.get(room).content.decode()


def test_back_to_swedish_is_remembered_too(client, committee):
    member = committee.members[1]
    client.force_login(member)
    client.post(reverse("meetings:set_language"), {"language": "en", "next": "/"})
    client.post(reverse("meetings:set_language"), {"language": "sv", "next": "/"})
    assert UserPreference.objects.get(user=member).language == "sv"
    assert 'lang="sv"' in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_an_unknown_language_changes_nothing(client, committee):
    client.force_login(committee.members[1])
    client.post(reverse("meetings:set_language"), {"language": "de", "next": "/"})
    assert not UserPreference.objects.exists()
    assert 'lang="sv"' in client.get("/").content.decode()
