"""Rendering and signing run without the meeting's row lock.

Each test holds the slow step (a signature, a rendering) open in a thread, through a wrapper
around the real function, and meanwhile runs another command from the test. That command
must complete while the slow step is still open: with the lock held during the slow step it
would wait for it (the wrapper gives up waiting after a few seconds and the test fails).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections

from meetings.commands import attendance_check_in
from meetings.models import MeetingEvent
from minutes import ca_store, pdf, signing
from minutes.commands import (
    minutes_justering_set,
    minutes_lock,
    minutes_sign,
    minutes_sign_paragraph,
)
from minutes.models import MinutesDocument
from minutes.signing import all_valid, verify_pdf
from tests.support.committee import make_committee
from tests.support.minutes import hold_meeting

pytestmark = pytest.mark.django_db(transaction=True)

WAIT_SECONDS = 5


class HeldOpen:
    """Wraps a real function so that its first call from another thread waits until the test
    says ``release()`` (or ``WAIT_SECONDS`` pass), then runs the real function."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
        self.real: Callable[..., Any] = getattr(module, name)
        self.entered = threading.Event()
        self._release = threading.Event()
        self.released_in_time: bool | None = None
        self._held = False
        # Patch every minutes module that bound the real function by name.
        for mod_name, mod in list(sys.modules.items()):
            if mod_name.startswith("minutes") and getattr(mod, name, None) is self.real:
                monkeypatch.setattr(mod, name, self)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is not threading.main_thread() and not self._held:
            self._held = True
            self.entered.set()
            self.released_in_time = self._release.wait(timeout=WAIT_SECONDS)
        return self.real(*args, **kwargs)

    def release(self) -> None:
        self._release.set()


def in_thread(func: Callable[..., Any], **kwargs: Any) -> tuple[threading.Thread, dict]:
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = func(**kwargs)
        except BaseException as exc:  # noqa: BLE001 - asserted by the test
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def password(user) -> str:
    return "pw-" + user.username


def test_a_command_completes_while_a_paragraph_is_being_signed(signing_dir):
    """Omedelbar justering during the live meeting does not stall the meeting."""
    c = make_committee()
    hold_meeting(c, adjourn=False)
    item = c.items[1]
    with pytest.MonkeyPatch.context() as mp:
        held = HeldOpen(mp, signing, "sign_pdf")
        thread, outcome = in_thread(minutes_sign_paragraph, meeting_id=c.meeting.pk,
                                    actor=c.chair, item_id=item.pk, password=password(c.chair))
        try:
            assert held.entered.wait(WAIT_SECONDS * 2)
            # The absent member arrives while the chair's signature is being made.
            arrived = attendance_check_in(meeting_id=c.meeting.pk, actor=c.secretary,
                                          user_id=c.members[2].pk, remote=False)
        finally:
            held.release()
            thread.join()
    assert "error" not in outcome, outcome.get("error")
    assert held.released_in_time, "the check-in waited for the signature: lock held"
    signed = outcome["result"]
    assert signed.type == "minutes.paragraph_signed" and signed.seq > arrived.seq
    extract = MinutesDocument.objects.get(meeting=c.meeting, item=item)
    assert extract.log_seq < arrived.seq  # a snapshot of the log the extract was built from
    assert all_valid(verify_pdf(bytes(extract.full_pdf),
                                trust_root_pem=ca_store.trust_roots_pem()), expected=1)


def test_the_log_moving_on_while_the_minutes_render_is_picked_up(signing_dir):
    """The lock renders without the row lock; a change meanwhile makes it render again."""
    c = make_committee()
    hold_meeting(c)
    with pytest.MonkeyPatch.context() as mp:
        held = HeldOpen(mp, pdf, "render_minutes_pdf")
        thread, outcome = in_thread(minutes_lock, meeting_id=c.meeting.pk, actor=c.secretary)
        try:
            assert held.entered.wait(WAIT_SECONDS * 2)
            changed = minutes_justering_set(meeting_id=c.meeting.pk, actor=c.secretary,
                                            text="Stadshuset, 1 december kl. 10")
        finally:
            held.release()
            thread.join()
    assert "error" not in outcome, outcome.get("error")
    assert held.released_in_time, "the review command waited for the rendering: lock held"
    locked = outcome["result"]
    assert locked.payload["log_seq"] == changed.seq
    document = MinutesDocument.objects.get(meeting=c.meeting, item__isnull=True)
    assert "Stadshuset, 1 december kl. 10" in document.public_text


def test_two_adjusters_signing_at_once_both_sign_in_turn(signing_dir):
    """Both signatures were made on the same bytes; the commit under the lock decides: the
    later one is made again on the bytes that carry the first."""
    c = make_committee()
    held_meeting = hold_meeting(c)
    adj1, adj2 = held_meeting.adjusters
    mid = c.meeting.pk
    minutes_lock(meeting_id=mid, actor=c.secretary)
    minutes_sign(meeting_id=mid, actor=c.chair, password=password(c.chair))
    with pytest.MonkeyPatch.context() as mp:
        held = HeldOpen(mp, signing, "sign_pdf")
        thread, outcome = in_thread(minutes_sign, meeting_id=mid, actor=adj1,
                                    password=password(adj1))
        try:
            assert held.entered.wait(WAIT_SECONDS * 2)
            second = minutes_sign(meeting_id=mid, actor=adj2, password=password(adj2))
        finally:
            held.release()
            thread.join()
    assert "error" not in outcome, outcome.get("error")
    assert held.released_in_time, "the second signer waited for the first: lock held"
    third = outcome["result"]
    assert (second.payload["position"], third.payload["position"]) == (2, 3)
    assert third.payload["complete"] is True
    document = MinutesDocument.objects.get(meeting=c.meeting, item__isnull=True)
    assert [s.user_id for s in document.signatures.all()] == [c.chair.pk, adj2.pk, adj1.pk]
    roots = ca_store.trust_roots_pem()
    for data in (bytes(document.full_pdf), bytes(document.public_pdf)):
        assert all_valid(verify_pdf(data, trust_root_pem=roots), expected=3)
    assert MeetingEvent.objects.filter(meeting=c.meeting, type="minutes.signed").count() == 3


def test_a_preparation_stale_twice_is_refused_with_a_typed_code():
    from meetings.errors import CommandError
    from minutes.commands.documents import Stale, prepare_and_commit

    attempts: list[int] = []

    def always_stale() -> None:
        attempts.append(1)
        raise Stale

    with pytest.raises(CommandError) as info:
        prepare_and_commit(always_stale)
    assert info.value.code == "minutes_changed" and len(attempts) == 2
