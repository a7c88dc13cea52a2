"""Second factor over HTTP: enrolment with a QR code, verification at login with the clear
refusals (wrong, replayed, throttled), recovery codes, the body's rule before the meeting
pages, and the administrator's logged reset."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from identity.models import AuditEntry
from tests.support.committee import make_committee
from tests.support.identity import code_for, enrolled, require_second_factor
from tests.support.language import english_client

pytestmark = pytest.mark.django_db

VERIFY = reverse("identity:verify")


def logged_in(user) -> Client:
    client = english_client()
    response = client.post(reverse("login"), {"username": user.username,
                                              "password": f"pw-{user.username}"})
    assert response.status_code == 302, response.content[:500]
    return client


def actions(user) -> list[tuple[str, dict]]:
    return [(e.action, e.detail) for e in AuditEntry.objects.filter(subject=user).order_by("pk")]


def test_enrolment_shows_a_qr_code_and_confirms_with_a_code_from_the_app():
    c = make_committee()
    user = c.members[1]
    client = logged_in(user)
    page = client.get(reverse("identity:enrol"))
    assert page.status_code == 200
    assert b"<svg" in page.content and b"totp-secret" in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # Reloading keeps the same secret (the app was already scanned).
    client.get(reverse("identity:enrol"))
    assert TOTPDevice.objects.filter(user=user).count() == 1

    wrong = client.post(reverse("identity:enrol"), {"token": "000000" if code_for(device)
                                                    != "000000" else "111111"})
    assert wrong.status_code == 400 and b"not correct" in wrong.content
    done = client.post(reverse("identity:enrol"), {"token": code_for(device), "next": "/"})
    assert done.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    codes = done.context["codes"]
    assert len(codes) == 10 and all(c.encode() in done.content for c in codes)
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert [a for a, _ in actions(user)] == ["otp.enrol_failed", "otp.enrolled"]
    # The session that enrolled is verified: the pages open.
    assert client.get("/").status_code == 200


def test_login_with_a_second_factor_is_not_finished_until_the_code_is_verified():
    c = make_committee()
    user = c.members[1]
    device = enrolled(user)
    client = logged_in(user)
    room = reverse("meetings:room", args=[c.meeting.pk])
    response = client.get(room)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.get("/").status_code == 302  # no page at all before the code

    code = code_for(device)
    ok = client.post(VERIFY, {"token": code, "next": room})
    assert ok.status_code == 302 and ok["Location"] == room
    assert client.get(room).status_code == 200

    # The same code again, in a new login: refused as replayed, with its own message.
    again = logged_in(user)
    replay = again.post(VERIFY, {"token": code})
    assert replay.status_code == 400 and b"already been used" in replay.content
    assert again.get(room).status_code == 302
    assert ("otp.failed", {"reason": "replayed", "purpose": "login"}) in actions(user)


@override_settings(OTP_TOTP_THROTTLE_FACTOR=60)
def test_wrong_codes_are_throttled_and_audited_without_the_code():
    c = make_committee()
    user = c.members[1]
    device = enrolled(user)
    client = logged_in(user)
    first = client.post(VERIFY, {"token": "12345x"})
    assert first.status_code == 400
    bad = "000000" if code_for(device) != "000000" else "111111"
    client.post(VERIFY, {"token": bad})
    # After a failure django-otp makes the next try wait: even the right code is refused.
    throttled = client.post(VERIFY, {"token": code_for(device)})
    assert throttled.status_code == 400 and b"Too many wrong codes" in throttled.content
    reasons = [d.get("reason") for a, d in actions(user) if a == "otp.failed"]
    assert "wrong" in reasons and "throttled" in reasons
    assert all(bad not in str(d) for _, d in actions(user))


def test_a_recovery_code_works_once():
    c = make_committee()
    user = c.members[1]
    enrolled(user)
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    device.token_set.create(token="abcd2345")
    client = logged_in(user)
    assert client.post(VERIFY, {"token": "abcd 2345"}).status_code == 302
    assert client.get("/").status_code == 200
    second = logged_in(user)
    assert second.post(VERIFY, {"token": "abcd2345"}).status_code == 400
    assert ("otp.verified", {"method": "recovery_code", "purpose": "login", "codes_left": 0}
            ) in actions(user)


def test_the_body_rule_sends_officers_without_a_factor_to_enrol_before_the_meeting():
    c = make_committee()
    require_second_factor(c.body)
    room = reverse("meetings:room", args=[c.meeting.pk])
    for officer in (c.secretary, c.chair):
        response = logged_in(officer).get(room)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("identity:enrol")), officer
    # A member is not an officer: the rule for voters is off.
    assert logged_in(c.members[2]).get(room).status_code == 200
    # The public live view stays public.
    public = reverse("meetings:public_live", args=[c.meeting.pk])
    assert logged_in(c.secretary).get(public).status_code == 200
    require_second_factor(c.body, voters=True)
    assert logged_in(c.members[2]).get(room).status_code == 302


def test_an_administrator_resets_a_members_factor_and_it_is_logged():
    c = make_committee()
    user = c.members[1]
    device = enrolled(user)
    member = logged_in(user)
    member.post(VERIFY, {"token": code_for(device)})
    assert member.get("/").status_code == 200

    url = reverse("identity:reset")
    assert logged_in(c.members[2]).post(url, {"username": user.username}).status_code == 403
    admin = c.secretary
    admin.user_permissions.add(Permission.objects.get(codename="reset_second_factor"))
    response = logged_in(admin).post(url, {"username": user.username})
    assert response.status_code == 200 and b"was reset" in response.content
    assert not TOTPDevice.objects.filter(user=user).exists()
    entry = AuditEntry.objects.get(action="otp.reset")
    assert (entry.actor_id, entry.subject_id) == (admin.pk, user.pk)
    # The member's verified session no longer counts; without a factor they simply go on
    # (the body does not require one), and enrolling starts from scratch.
    assert member.get(reverse("identity:overview")).context["has_factor"] is False


def test_local_passwords_can_be_switched_off_for_the_organisation(settings):
    c = make_committee()
    settings.KLUBBA = {**settings.KLUBBA, "LOCAL_PASSWORDS": False}
    client = english_client()
    page = client.get(reverse("login"))
    assert b'id="local-off"' in page.content and b'id="id_password"' not in page.content
    user = c.members[1]
    response = client.post(reverse("login"), {"username": user.username,
                                              "password": f"pw-{user.username}"})
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    assert AuditEntry.objects.filter(action="login.refused", subject=user).exists()
    # The break-glass superuser still logs in with a password.
    user.is_superuser = True
    user.save()
    assert client.post(reverse("login"), {"username": user.username,
                                           "password": f"pw-{user.username}"}).status_code == 302
