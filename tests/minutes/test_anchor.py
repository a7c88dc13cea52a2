"""The anchored log: signed checkpoints at item close, vote close and adjournment, in the
database and in the anchor file, and verify_log catching rewrites that keep the chain
consistent (issue 13, item 9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError as ManagementError
from django.test import override_settings

from meetings.log import GENESIS_HASH, canonical_event, chain_hash, verify_chain
from meetings.models import Meeting, MeetingEvent
from minutes.anchor import keys
from minutes.anchor.checkpoints import FILENAME, sign_current_head
from minutes.ca_store import init_ca
from minutes.commands import minutes_lock, minutes_sign
from minutes.models import LogCheckpoint, MinutesDocument
from tests.support.committee import make_committee
from tests.support.minutes import PASSPHRASE, hold_live_meeting, hold_meeting, klubba_settings


@pytest.fixture
def anchored(tmp_path: Path):
    """A signing directory with the CA and the anchoring key; on-commit hooks run."""
    directory = tmp_path / "signing"
    with override_settings(KLUBBA={**klubba_settings(), "SIGNING_DIR": directory,
                                   "SIGNING_KEY_PASSPHRASE": PASSPHRASE}):
        init_ca()
        keys.init_key()
        yield directory


def _hold(run) -> object:
    """Run the meeting with its after-commit hooks (the checkpoints) executed."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return run()


def _verify(capsys, meeting_id: int) -> tuple[bool, str, str]:
    try:
        call_command("verify_log", meeting_id)
        ok = True
    except ManagementError:
        ok = False
    out = capsys.readouterr()
    return ok, out.out, out.err


def _rehash_from(meeting: Meeting, seq: int) -> None:
    """What a database-only rewriter does: recompute the chain from ``seq`` and fix the head."""
    events = list(MeetingEvent.objects.filter(meeting=meeting).order_by("seq"))
    prev = GENESIS_HASH
    for event in events:
        if event.seq >= seq:
            digest = chain_hash(prev, canonical_event(
                meeting_id=meeting.pk, seq=event.seq, type=event.type, payload=event.payload,
                actor_id=event.actor_id, at=event.at, command_id=event.command_id))
            MeetingEvent.objects.filter(pk=event.pk).update(prev_hash=prev, hash=digest)
            event.prev_hash, event.hash = prev, digest
        prev = event.hash
    Meeting.objects.filter(pk=meeting.pk).update(last_seq=events[-1].seq, last_hash=prev)


def _chain_only_intact(meeting_id: int) -> bool:
    """What verify_log checked before: the chain and the head."""
    meeting = Meeting.objects.get(pk=meeting_id)
    events = list(meeting.events.order_by("seq"))
    return verify_chain(events) is None and events[-1].hash == meeting.last_hash


def test_checkpoints_at_every_item_close_and_adjournment(db, anchored, capsys):
    held = _hold(lambda: hold_meeting(make_committee()))
    meeting = Meeting.objects.get(pk=held.c.meeting.pk)
    closes = MeetingEvent.objects.filter(
        meeting=meeting, type__in=["item.closed", "meeting.adjourned"]).order_by("seq")
    rows = LogCheckpoint.objects.filter(meeting=meeting).order_by("seq")
    assert [(r.seq, r.head_hash) for r in rows] == [(e.seq, e.hash) for e in closes]
    assert len(rows) == len(held.c.items) + 1
    lines = [json.loads(x) for x in (anchored / FILENAME).read_text().splitlines()]
    assert [(x["seq"], x["hash"]) for x in lines] == [(r.seq, r.head_hash) for r in rows]
    assert keys.KEY_FILENAME in {p.name for p in anchored.iterdir()}
    assert b"ENCRYPTED PRIVATE KEY" in (anchored / keys.KEY_FILENAME).read_bytes()
    ok, out, _ = _verify(capsys, meeting.pk)
    assert ok and f"intact, head {meeting.last_hash}, {len(rows)} signed checkpoint(s)" in out


def test_a_tail_delete_with_the_head_fixed_is_detected(db, anchored, capsys):
    held = _hold(lambda: hold_meeting(make_committee()))
    meeting = held.c.meeting
    last_close = MeetingEvent.objects.filter(meeting=meeting, type="item.closed").order_by(
        "-seq").first()
    keep = last_close.seq - 1  # drop the last item's close and the adjournment
    MeetingEvent.objects.filter(meeting=meeting, seq__gt=keep).delete()
    kept = MeetingEvent.objects.get(meeting=meeting, seq=keep)
    Meeting.objects.filter(pk=meeting.pk).update(last_seq=keep, last_hash=kept.hash)
    LogCheckpoint.objects.filter(meeting=meeting, seq__gt=keep).delete()
    assert _chain_only_intact(meeting.pk)  # the old check said "intact"
    ok, _, err = _verify(capsys, meeting.pk)
    assert not ok
    assert f"meeting {meeting.pk}: TAMPERED: signed checkpoint at seq {last_close.seq}" in err
    assert f"but the log ends at seq {keep}: events were deleted" in err
    assert "Traceback" not in err


def test_a_flipped_outcome_with_the_chain_recomputed_is_detected(db, anchored, capsys):
    live = _hold(lambda: hold_live_meeting(make_committee()))
    meeting = live.c.meeting
    closed = MeetingEvent.objects.filter(meeting=meeting, type="vote.closed").order_by(
        "seq").first()
    result = dict(closed.payload["result"])
    flipped = {"bifall": "avslag", "avslag": "bifall"}.get(result.get("outcome"), "avslag")
    result["outcome"] = flipped
    MeetingEvent.objects.filter(pk=closed.pk).update(payload={**closed.payload,
                                                              "result": result})
    _rehash_from(meeting, closed.seq)
    LogCheckpoint.objects.filter(meeting=meeting).delete()  # the rewriter holds the database
    assert _chain_only_intact(meeting.pk)
    ok, _, err = _verify(capsys, meeting.pk)
    assert not ok
    assert f"signed checkpoint at seq {closed.seq}" in err
    assert "does not have the signed hash: the log was rewritten" in err


def test_a_rewrite_under_signed_minutes_is_caught_by_the_pdf(db, anchored, capsys):
    live = _hold(lambda: hold_live_meeting(make_committee()))
    c = live.c

    def sign() -> None:
        minutes_lock(meeting_id=c.meeting.pk, actor=c.secretary)
        for user in [c.chair, *live.adjusters]:
            minutes_sign(meeting_id=c.meeting.pk, actor=user, password="pw-" + user.username)
    _hold(sign)
    document = MinutesDocument.objects.get(meeting=c.meeting, item__isnull=True)
    assert _verify(capsys, c.meeting.pk)[0]
    # Suppose the anchor file and the rows were lost: the signed PDF still states the hash.
    (anchored / FILENAME).unlink()
    LogCheckpoint.objects.all().delete()
    event = MeetingEvent.objects.get(meeting=c.meeting, seq=3)
    MeetingEvent.objects.filter(pk=event.pk).update(
        payload={**event.payload, "remote": not event.payload["remote"]})
    _rehash_from(c.meeting, 3)
    new_head = MeetingEvent.objects.get(meeting=c.meeting, seq=document.log_seq).hash
    MinutesDocument.objects.filter(pk=document.pk).update(log_hash=new_head)
    assert new_head != document.log_hash and _chain_only_intact(c.meeting.pk)
    ok, _, err = _verify(capsys, c.meeting.pk)
    assert not ok
    assert f"the minutes (version 1): the signed PDF states log hash {document.log_hash}" in err


def test_a_checkpoint_forged_without_the_key_is_refused(db, anchored, capsys):
    held = _hold(lambda: hold_meeting(make_committee()))
    row = LogCheckpoint.objects.filter(meeting=held.c.meeting).order_by("seq").first()
    LogCheckpoint.objects.filter(pk=row.pk).update(head_hash="f" * 64)
    ok, _, err = _verify(capsys, held.c.meeting.pk)
    assert not ok and "the signature does not verify" in err


def test_checkpoint_command_signs_the_current_head_once(db, anchored):
    held = hold_meeting(make_committee(), adjourn=False)  # no hooks run: nothing signed yet
    meeting = Meeting.objects.get(pk=held.c.meeting.pk)
    assert not LogCheckpoint.objects.exists()
    assert sign_current_head(meeting) is not None
    assert sign_current_head(meeting) is None
    assert LogCheckpoint.objects.get().seq == meeting.last_seq
