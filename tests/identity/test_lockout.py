"""Passwords cannot be guessed for ever (issue 13, item 5): after the failure limit a
username is locked at the login page and at signing, with a clear message; the lock lifts
after the cool-off (the clock is moved, not waited for) or when an administrator resets it;
every failure is audited without the password."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_login_failed
from django.db import connection
from django.test import Client
from django.urls import reverse

from identity.models import AuditEntry
from minutes.commands import minutes_lock
from minutes.models import MinutesSignature
from tests.support.committee import make_committee
from tests.support.language import english_client
from tests.support.minutes import hold_meeting

pytestmark = pytest.mark.django_db

WRONG = "Sommar2026!"  # a plausible guess: it must never reach the audit log


def _login(client: Client, user, password: str):
    return client.post(reverse("login"), {"username": user.username, "password": password})


def _logged_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def _cool_off_passes() -> None:
    """Move the recorded attempts back past the cool-off, as if the time had passed."""
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.order_by("-attempt_time").first().attempt_time
        - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))


def _no_secret_in_audit() -> None:
    entries = json.dumps([e.detail for e in AuditEntry.objects.all()])
    assert WRONG not in entries


def test_fifty_wrong_logins_lock_the_account_until_the_cool_off(committee):
    member = committee.members[1]
    client = Client()  # Swedish, the default language
    codes = [_login(client, member, WRONG).status_code for _ in range(50)]
    limit = settings.AXES_FAILURE_LIMIT
    assert codes[:limit - 1] == [200] * (limit - 1)  # "wrong password", form again
    assert set(codes[limit - 1:]) == {429}
    right = _login(client, member, f"pw-{member.username}")
    assert right.status_code == 429 and not _logged_in(client)
    text = right.content.decode()
    assert 'id="locked-out"' in text and "För många felaktiga lösenord" in text
    english = english_client()
    locked = _login(english, member, f"pw-{member.username}")
    assert locked.status_code == 429 and "Too many wrong passwords" in locked.content.decode()
    # Another member is not affected.
    other = committee.members[2]
    assert _login(Client(), other, f"pw-{other.username}").status_code == 302

    _cool_off_passes()
    assert _login(client, member, f"pw-{member.username}").status_code == 302
    assert _logged_in(client)
    failed = AuditEntry.objects.filter(action="password.failed", subject=member)
    assert failed.count() >= 50 and all(e.detail["where"] == "login" for e in failed)
    assert AuditEntry.objects.filter(action="password.locked_out", subject=member).exists()
    _no_secret_in_audit()


def test_an_unknown_username_is_counted_but_not_written_down(committee):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": WRONG, "password": "x"})
    assert client.post(reverse("login"), {"username": WRONG, "password": "x"}).status_code == 429
    entry = AuditEntry.objects.filter(action="password.failed").first()
    assert entry.subject is None and entry.detail == {"where": "login", "known_user": False}
    _no_secret_in_audit()


def test_a_login_without_a_username_is_never_counted(committee):
    """Single sign-on failures carry no username: nothing to lock, nothing audited."""
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        user_login_failed.send(sender="oidc", credentials={"code_verifier": "x"},
                               request=Client().get("/").wsgi_request)
    assert not AccessAttempt.objects.exists()
    assert not AuditEntry.objects.filter(action="password.failed").exists()


def _locked_minutes():
    held = hold_meeting(make_committee())
    minutes_lock(meeting_id=held.c.meeting.pk, actor=held.c.secretary)
    return held.c


def test_wrong_signing_passwords_lock_signing_and_login(signing_dir):
    c = _locked_minutes()
    chair = english_client()
    assert _login(chair, c.chair, f"pw-{c.chair.username}").status_code == 302
    url = reverse("meetings:minutes_sign", args=[c.meeting.pk])
    answers = [chair.post(url, {"password": WRONG}) for _ in range(30)]
    limit = settings.AXES_FAILURE_LIMIT
    assert all(b"The password is not correct" in a.content for a in answers[:limit - 1])
    assert all(b"Too many wrong passwords" in a.content for a in answers[limit - 1:])
    refused = chair.post(url, {"password": f"pw-{c.chair.username}"})
    assert refused.status_code == 400 and b"Too many wrong passwords" in refused.content
    assert not MinutesSignature.objects.exists()
    # The same counter guards the login page: the guesser gains nothing by switching.
    assert _login(Client(), c.chair, f"pw-{c.chair.username}").status_code == 429
    failed = AuditEntry.objects.filter(action="password.failed", subject=c.chair)
    # Once locked, the signing page checks no password at all: exactly `limit` were checked.
    assert [e.detail["where"] for e in failed].count("signing") == limit
    locked = AuditEntry.objects.filter(action="password.locked_out", subject=c.chair)
    assert {e.detail["where"] for e in locked} >= {"signing"}
    _no_secret_in_audit()

    assert reset(username=c.chair.username) >= 1  # the administrator's unlock (axes' API)
    done = chair.post(url, {"password": f"pw-{c.chair.username}"})
    assert done.status_code == 302, done.content[:300]
    assert MinutesSignature.objects.filter(user_id=c.chair.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_signing_password_is_checked_outside_any_transaction(signing_dir, monkeypatch):
    """The PBKDF2 check is slow on purpose: it must not run under the meeting lock (which
    is only held inside the command's transaction)."""
    c = _locked_minutes()
    seen: list[bool] = []
    original = type(c.chair).check_password

    def check_password(user, raw):
        seen.append(connection.in_atomic_block)
        return original(user, raw)

    monkeypatch.setattr(type(c.chair), "check_password", check_password)
    chair = Client()
    chair.force_login(c.chair)
    url = reverse("meetings:minutes_sign", args=[c.meeting.pk])
    assert chair.post(url, {"password": WRONG}).status_code == 400
    assert chair.post(url, {"password": f"pw-{c.chair.username}"}).status_code == 302
    assert seen and not any(seen)
