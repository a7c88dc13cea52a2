"""The meeting log: hash chain, tamper detection, publication on commit, concurrent appends."""

import threading
from enum import StrEnum
from typing import TypedDict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError as ManagementError
from django.db import connection, connections

from meetings.commands import attendance_check_in, meeting_open, meeting_pause
from meetings.errors import CommandError
from meetings.event_registry import register_event_types
from meetings.log import (
    GENESIS_HASH,
    NewEvent,
    append_events,
    events_committed,
    locked_meeting,
    verify_chain,
)
from meetings.models import MeetingEvent
from tests.support.committee import make_committee
from tests.support.services import require_postgres


class _TestEvent(StrEnum):
    ROLLED_BACK = "test.rolled_back"
    BATCH = "test.batch"


class _Empty(TypedDict):
    pass


class _Batch(TypedDict):
    n: int
    name: str
    none: None


register_event_types({_TestEvent.ROLLED_BACK: _Empty, _TestEvent.BATCH: _Batch})


def _log(meeting_id):
    return list(MeetingEvent.objects.filter(meeting_id=meeting_id).order_by("seq"))


def test_events_chain_from_genesis(committee):
    c = committee
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    for member in c.members:
        attendance_check_in(meeting_id=c.meeting.pk, actor=member)
    events = _log(c.meeting.pk)
    assert [e.seq for e in events] == list(range(1, 7))
    assert events[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    assert verify_chain(events) is None


def test_verify_log_passes_then_names_the_edited_event(committee, capsys):
    c = committee
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    for member in c.members[:4]:
        attendance_check_in(meeting_id=c.meeting.pk, actor=member)
    call_command("verify_log", c.meeting.pk)
    assert "5 events, intact" in capsys.readouterr().out
    # Someone edits one row's payload directly in the database.
    MeetingEvent.objects.filter(meeting=c.meeting, seq=3).update(
        payload={"user_id": 1, "remote": False}
    )
    with pytest.raises(ManagementError):
        call_command("verify_log", c.meeting.pk)
    assert "first broken event: seq 3" in capsys.readouterr().err


def test_verify_log_notices_a_deleted_tail(committee, capsys):
    c = committee
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    attendance_check_in(meeting_id=c.meeting.pk, actor=c.members[1])
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM meetings_meetingevent WHERE seq = 2")
    with pytest.raises(ManagementError):
        call_command("verify_log", c.meeting.pk)
    assert "does not match" in capsys.readouterr().err


def test_verify_log_rejects_unknown_meeting(db):
    with pytest.raises(ManagementError):
        call_command("verify_log", 4242)


@pytest.mark.django_db(transaction=True)
def test_subscribers_hear_only_committed_events():
    c = make_committee()
    heard = []

    def listener(sender, events, **kwargs):
        heard.extend(event.seq for event in events)

    events_committed.connect(listener)
    try:
        meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
        with pytest.raises(CommandError):
            meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)  # refused: rolled back
        with pytest.raises(RuntimeError), locked_meeting(c.meeting.pk) as meeting:
            append_events(meeting=meeting, events=[NewEvent(_TestEvent.ROLLED_BACK, {})])
            raise RuntimeError("abort")
        meeting_pause(meeting_id=c.meeting.pk, actor=c.secretary)
    finally:
        events_committed.disconnect(listener)
    assert heard == [1, 2]
    assert [e.type for e in _log(c.meeting.pk)] == ["meeting.opened", "meeting.paused"]


@pytest.mark.django_db(transaction=True)
def test_append_outside_a_transaction_is_refused():
    c = make_committee()
    with pytest.raises(RuntimeError):
        append_events(meeting=c.meeting, events=[NewEvent(_TestEvent.ROLLED_BACK, {})])
    assert not MeetingEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_appends_get_contiguous_seqs():
    require_postgres()
    c = make_committee(seats=50, substitutes=0)
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    barrier = threading.Barrier(50)
    errors: list[BaseException] = []

    def check_in(member):
        try:
            barrier.wait()
            attendance_check_in(meeting_id=c.meeting.pk, actor=member,
                                command_id=f"in-{member.pk}")
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=check_in, args=(m,)) for m in c.members]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    events = _log(c.meeting.pk)
    assert [e.seq for e in events] == list(range(1, 52))
    assert len({e.payload["user_id"] for e in events[1:]}) == 50
    assert verify_chain(events) is None


@pytest.mark.django_db(transaction=True)
def test_events_appended_without_ids_read_back_as_appended():
    """``append_events(with_ids=False)`` writes through ``insert_rows``: the rows must read
    back exactly as the ORM would have written them, and the chain must hold."""
    c = make_committee()
    with locked_meeting(c.meeting.pk) as meeting:
        made = append_events(meeting=meeting, with_ids=False, events=[
            NewEvent(type=_TestEvent.BATCH, payload={"n": n, "name": "Åsa", "none": None},
                     actor_id=c.secretary.pk if n % 2 else None,
                     command_id=f"cmd-{n}" if n == 1 else None)
            for n in range(3)])
    assert all(event.pk is None for event in made)
    stored = list(MeetingEvent.objects.filter(meeting=c.meeting).order_by("seq"))
    assert [(e.seq, e.type, e.payload, e.actor_id, e.command_id, e.hash, e.at)
            for e in stored] == [(m.seq, m.type, m.payload, m.actor_id, m.command_id, m.hash,
                                  m.at) for m in made]
    assert verify_chain(stored) is None
