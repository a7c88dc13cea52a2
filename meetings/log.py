"""Appending to and checking the hash-chained meeting log.

``append_events`` must run inside ``locked_meeting``, which the command contract
(``meetings.contract``) opens for every command: the lock is what makes ``seq`` contiguous.
Subscribers (the realtime fan-out) hear about events only when their transaction commits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from meetings.bulk import insert_rows
from meetings.errors import CommandError, ErrorCode
from meetings.event_registry import check_event
from meetings.models import Meeting, MeetingEvent

GENESIS_HASH = "0" * 64

#: Sent after the transaction that appended ``events`` (a list, in seq order) has committed:
#: once per ``append_events`` call, so a subscriber can do per-batch work once.
events_committed = Signal()


def canonical_event(
    *, meeting_id: int, seq: int, type: str, payload: dict[str, Any], actor_id: int | None,
    at: datetime, command_id: str | None,
) -> bytes:
    """The bytes that are hashed: sorted keys, no whitespace, UTC time to the microsecond."""
    document = {
        "meeting": meeting_id,
        "seq": seq,
        "type": type,
        "payload": payload,
        "actor": actor_id,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "command_id": command_id,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(prev_hash: str, canonical: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical).hexdigest()


def lock_meeting(meeting_id: int) -> Meeting:
    """Lock the meeting row for the rest of the transaction, or refuse an unknown meeting."""
    try:
        return (
            Meeting.objects.select_for_update()
            .select_related("body")
            .get(pk=meeting_id)
        )
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise CommandError(ErrorCode.MEETING_NOT_FOUND, meeting_id=meeting_id) from None


#: The meeting whose row lock the running command holds (``None`` outside a command).
_locked: ContextVar[int | None] = ContextVar("klubba_locked_meeting", default=None)


@contextmanager
def locked_meeting(meeting_id: int) -> Iterator[Meeting]:
    """A transaction holding the meeting's row lock; only inside it may events be appended."""
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        token = _locked.set(meeting.pk)
        try:
            yield meeting
        finally:
            _locked.reset(token)


def replayed_event(
    *, meeting: Meeting, command_id: str | None, actor_id: int | None
) -> MeetingEvent | None:
    """The event a retried command already made, so a retry changes nothing."""
    if not command_id:
        return None
    event = MeetingEvent.objects.filter(meeting=meeting, command_id=command_id).first()
    if event is not None and event.actor_id != actor_id:
        raise CommandError(ErrorCode.COMMAND_ID_CONFLICT, command_id=command_id)
    return event


@dataclass(frozen=True)
class NewEvent:
    """An event to append: what ``append_events`` takes, one per act."""

    type: str
    payload: Mapping[str, Any]
    actor_id: int | None = None
    command_id: str | None = None


def append_events(*, meeting: Meeting, events: Sequence[NewEvent],
                  with_ids: bool = True) -> list[MeetingEvent]:
    """Append events to a locked meeting's log, in order, with one insert, and publish each
    after commit. Each is its own link in the chain; a batch (many ballots at once) only
    saves the round trips. ``with_ids=False`` skips reading back the row ids (the returned
    events then have no ``pk``), for a batch nothing refers to by id."""
    if not transaction.get_connection().in_atomic_block or _locked.get() != meeting.pk:
        raise RuntimeError(
            f"events for meeting {meeting.pk} must be appended inside its command contract "
            "(meetings.contract.meeting_command, or meetings.log.locked_meeting)"
        )
    rows: list[MeetingEvent] = []
    seq, prev_hash = meeting.last_seq, meeting.last_hash
    for new in events:
        check_event(new.type, new.payload)
        # Round-trip the payload so the hash covers exactly what the JSON column will return.
        payload = json.loads(json.dumps(new.payload))
        seq += 1
        at = timezone.now()
        digest = chain_hash(
            prev_hash,
            canonical_event(
                meeting_id=meeting.pk, seq=seq, type=new.type, payload=payload,
                actor_id=new.actor_id, at=at, command_id=new.command_id,
            ),
        )
        rows.append(MeetingEvent(
            meeting=meeting, seq=seq, type=new.type, payload=payload, actor_id=new.actor_id,
            at=at, command_id=new.command_id or None, prev_hash=prev_hash, hash=digest,
        ))
        prev_hash = digest
    if not rows:
        return rows
    if with_ids:
        MeetingEvent.objects.bulk_create(rows)
    else:
        insert_rows(MeetingEvent, rows)
    meeting.last_seq, meeting.last_hash = seq, prev_hash
    Meeting.objects.filter(pk=meeting.pk).update(last_seq=seq, last_hash=prev_hash)
    transaction.on_commit(partial(events_committed.send, sender=MeetingEvent, events=rows))
    return rows


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def verify_chain(events: Iterable[MeetingEvent]) -> ChainBreak | None:
    """Recompute the chain; return the first event that does not fit, or None if intact."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    for event in events:
        if event.seq != expected_seq:
            return ChainBreak(expected_seq, f"expected seq {expected_seq}, found {event.seq}")
        if event.prev_hash != prev_hash:
            return ChainBreak(event.seq, "prev_hash does not match the previous event")
        digest = chain_hash(
            prev_hash,
            canonical_event(
                meeting_id=event.meeting_id, seq=event.seq, type=event.type,
                payload=event.payload, actor_id=event.actor_id, at=event.at,
                command_id=event.command_id,
            ),
        )
        if digest != event.hash:
            return ChainBreak(event.seq, "content does not match its hash")
        prev_hash = event.hash
        expected_seq += 1
    return None
