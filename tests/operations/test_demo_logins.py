"""Every demo login works and lands somewhere that makes sense for its role (issue 18)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from meetings.demo.committee import logins
from meetings.models import Meeting
from tests.support.language import english_client

PASSWORD = "klubba-demo"  # noqa: S105 - the published demo password


@pytest.fixture
def demo(db, capsys) -> str:
    call_command("load_demo")
    return capsys.readouterr().out


def test_printout_names_the_body_once_and_lists_every_role(demo):
    assert "Stadsbyggnadsnämnden – Stadsbyggnadsnämnden" not in demo
    assert "Demo loaded: Stadsbyggnadsnämnden: Sammanträde" in demo
    roles = ("administratör", "organisationsadministratör", "sekreterare", "ordförande",
             "vice ordförande", "ledamot 3", "ersättare 1", "utomstående")
    for role in roles:
        assert role in demo, role
    for username, _what, _lands in logins():
        assert f"  {username} " in demo, username


def test_every_login_lands_on_its_page(demo):
    meeting = Meeting.objects.get(status="planned")
    console = reverse("meetings:console", args=[meeting.pk])
    room = reverse("meetings:room", args=[meeting.pk])
    for username, _what, _lands in logins():
        client = english_client()
        assert client.login(username=username, password=PASSWORD), username
        home = client.get("/").content.decode()
        admin = client.get("/admin/")
        if username == "admin":
            assert admin.status_code == 200
            assert 'href="/admin/"' in home
            continue
        assert admin.status_code == 302 and "/admin/login/" in admin["Location"], username
        organisation = client.get("/organisation/")
        assert ('href="/organisation/"' in home) == (
            username in {"admin-org", "sekreterare"}), username
        if username == "admin-org":
            assert organisation.status_code == 200
            assert reverse("setup:body", args=[meeting.body_id]) in organisation.content.decode()
            assert room not in home
            continue
        assert organisation.status_code == (200 if username == "sekreterare" else 403), username
        if username == "invanare":
            assert "not a member of any body" in home and room not in home
            assert client.get(room).status_code == 403
            continue
        assert room in home, username
        assert (console in home) == (username in {"sekreterare", "ordforande"}), username
        assert client.get(room).status_code == 200, username
