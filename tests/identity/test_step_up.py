"""Step-up at signing: a signer with a second factor enters a fresh code on the signing page;
the method and time are in the signing event and in the signature's reason; the page says
whose key signs and how the identity is checked."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from meetings.models import MeetingEvent
from minutes.commands import minutes_lock
from minutes.models import MinutesSignature
from tests.support.committee import make_committee
from tests.support.identity import code_for, enrolled, fresh_code, require_second_factor
from tests.support.language import english_client
from tests.support.minutes import hold_meeting

pytestmark = pytest.mark.django_db


def logged_in(user, device=None) -> Client:
    client = english_client()
    client.post(reverse("login"), {"username": user.username, "password": f"pw-{user.username}"})
    if device is not None:
        assert client.post(reverse("identity:verify"), {"token": code_for(device)}).status_code \
            == 302
    return client


def reasons(pdf: bytes) -> list[str]:
    fields = PdfReader(BytesIO(pdf)).get_fields() or {}
    return [str(f["/V"].get_object().get("/Reason")) for f in fields.values()
            if f.get("/FT") == "/Sig" and f.get("/V") is not None]


def signed_payloads(meeting) -> list[dict]:
    return [e.payload for e in MeetingEvent.objects.filter(meeting=meeting,
                                                           type="minutes.signed")]


def test_the_chair_steps_up_with_a_fresh_code_before_signing(signing_dir, settings):
    held = hold_meeting(make_committee())
    c = held.c
    require_second_factor(c.body)
    minutes_lock(meeting_id=c.meeting.pk, actor=c.secretary)
    device = enrolled(c.chair)
    url = reverse("meetings:minutes_sign", args=[c.meeting.pk])
    # The login's code is older than the step-up window (0 s): a new code is needed.
    settings.KLUBBA = {**settings.KLUBBA, "STEP_UP_MAX_AGE": 0}
    chair = logged_in(c.chair, device)

    page = chair.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="sign-otp"' in text and "signing key Klubba keeps for you" in text
    assert c.chair.get_full_name() in text and "code from your authenticator app" in text

    missing = chair.post(url, {"password": f"pw-{c.chair.username}"})
    assert missing.status_code == 400 and b"Enter the code" in missing.content
    device.refresh_from_db()
    wrong = "000000" if code_for(device, steps_ahead=1) != "000000" else "111111"
    assert chair.post(url, {"password": f"pw-{c.chair.username}",
                            "otp_token": wrong}).status_code == 400
    assert not MinutesSignature.objects.exists()

    done = chair.post(url, {"password": f"pw-{c.chair.username}",
                            "otp_token": fresh_code(device)})
    assert done.status_code == 302, done.content[:300]
    (payload,) = signed_payloads(c.meeting)
    assert payload["identity_method"] == "password+totp"
    assert payload["signing_service"] == "local_ca"
    assert payload["identity_checked_at"]
    signature = MinutesSignature.objects.get()
    pdf = bytes(signature.document.full_pdf)
    (reason,) = reasons(pdf)
    assert "identitet: password+totp" in reason and reason.startswith("Justering av protokoll")


def test_an_adjuster_without_a_factor_is_sent_to_enrol_before_the_signing_page(signing_dir):
    held = hold_meeting(make_committee())
    c = held.c
    require_second_factor(c.body)
    minutes_lock(meeting_id=c.meeting.pk, actor=c.secretary)
    url = reverse("meetings:minutes_sign", args=[c.meeting.pk])
    response = logged_in(held.adjusters[0]).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("identity:enrol"))


def test_without_a_factor_or_a_rule_the_password_alone_is_recorded(signing_dir):
    held = hold_meeting(make_committee())
    c = held.c
    minutes_lock(meeting_id=c.meeting.pk, actor=c.secretary)
    url = reverse("meetings:minutes_sign", args=[c.meeting.pk])
    chair = logged_in(c.chair)
    page = chair.get(url)
    assert 'id="sign-otp"' not in page.content.decode()
    assert b"checked with your password." in page.content
    assert chair.post(url, {"password": f"pw-{c.chair.username}"}).status_code == 302
    (payload,) = signed_payloads(c.meeting)
    assert payload["identity_method"] == "password"
    (reason,) = reasons(bytes(MinutesSignature.objects.get().document.full_pdf))
    assert reason.endswith("identitet: lösenord")
