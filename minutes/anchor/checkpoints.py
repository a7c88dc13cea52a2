"""Writing checkpoints: after commit, at the events that settle something.

A checkpoint is written outside the command's transaction (``events_committed`` is sent after
commit), so a failure here never undoes a command: it is logged, and the next checkpoint (or
``klubba log_anchor checkpoint``) covers the same events, since signing a head vouches for the
whole chain before it.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings.log import events_committed
from meetings.models import Meeting, MeetingEvent
from minutes import ca_store
from minutes.anchor import keys
from minutes.models import LogCheckpoint

logger = logging.getLogger("klubba.anchor")

FILENAME = "log-anchors.jsonl"
DOMAIN = b"klubba-log-checkpoint-v1\n"

#: The events after which the head is signed: what a rewrite would most want to change.
ANCHORED_TYPES = frozenset({
    "item.closed", "meeting.adjourned", "vote.closed", "vote.voided",
    "minutes.locked", "minutes.signed", "minutes.paragraph_signed",
})


@dataclass(frozen=True)
class Checkpoint:
    meeting_id: int
    seq: int
    head_hash: str
    at: str  # ISO 8601 UTC, as signed
    key_id: str
    signature: str  # hex

    def message(self) -> bytes:
        return signed_message(self.meeting_id, self.seq, self.head_hash, self.at, self.key_id)

    def line(self) -> str:
        return json.dumps({"meeting": self.meeting_id, "seq": self.seq, "hash": self.head_hash,
                           "at": self.at, "key": self.key_id, "sig": self.signature},
                          sort_keys=True, separators=(",", ":"))


def signed_message(meeting_id: int, seq: int, head_hash: str, at: str, key_id: str) -> bytes:
    document = {"meeting": meeting_id, "seq": seq, "hash": head_hash, "at": at, "key": key_id}
    return DOMAIN + json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def anchor_file() -> Path:
    return ca_store.signing_dir() / FILENAME


def _append_line(line: str) -> None:
    """Append one line under an exclusive lock, fsync'd: the file is only ever appended to."""
    fd = os.open(anchor_file(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, (line + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)


def sign_head(meeting_id: int, seq: int, head_hash: str) -> Checkpoint | None:
    """Sign and record one head; None if it was already checkpointed."""
    if LogCheckpoint.objects.filter(meeting_id=meeting_id, seq=seq).exists():
        return None
    private = keys.private_key()
    kid = keys.key_id(private.public_key())
    at = timezone.now().astimezone(UTC).isoformat(timespec="seconds")
    signature = private.sign(signed_message(meeting_id, seq, head_hash, at, kid)).hex()
    checkpoint = Checkpoint(meeting_id, seq, head_hash, at, kid, signature)
    try:
        with transaction.atomic():
            LogCheckpoint.objects.create(
                meeting_id=meeting_id, seq=seq, head_hash=head_hash,
                at=datetime.fromisoformat(at), key_id=kid, signature=signature)
    except IntegrityError:  # another process signed the same head first
        return None
    _append_line(checkpoint.line())
    return checkpoint


def sign_current_head(meeting: Meeting) -> Checkpoint | None:
    if not meeting.last_seq:
        return None
    return sign_head(meeting.pk, meeting.last_seq, meeting.last_hash)


_warned: list[bool] = []  # the missing key is reported once per process


def on_events_committed(sender: Any, events: Sequence[MeetingEvent], **kwargs: Any) -> None:
    """Receiver of ``events_committed``: sign the batch's last event if it settles something.

    Never raises: the command has committed, and a missing key or a full disk must not turn
    it into an error for the user (the failure is logged; verify_log shows what is anchored).
    """
    if not events or not any(e.type in ANCHORED_TYPES for e in events):
        return
    if not keys.key_exists():
        if not _warned:
            _warned.append(True)
            logger.warning("meeting logs are not anchored: no anchoring key in %s (klubba "
                           "log_anchor init)", ca_store.signing_dir())
        return
    last = events[-1]
    try:
        sign_head(last.meeting_id, last.seq, last.hash)
    except Exception as exc:  # noqa: BLE001 - see the docstring
        logger.error("checkpoint of meeting %s seq %s failed: %s: %s", last.meeting_id,
                     last.seq, type(exc).__name__, exc)


def connect() -> None:
    events_committed.connect(on_events_committed, dispatch_uid="minutes.anchor.checkpoints")


def read_file_checkpoints() -> tuple[list[Checkpoint], list[str]]:
    """(checkpoints, problems) from the anchor file; a missing file is no checkpoints."""
    path = anchor_file()
    if not path.exists():
        return [], []
    found, problems = [], []
    for number, text in enumerate(path.read_text("ascii", errors="replace").splitlines(), 1):
        if not text.strip():
            continue
        try:
            d = json.loads(text)
            found.append(Checkpoint(int(d["meeting"]), int(d["seq"]), str(d["hash"]),
                                    str(d["at"]), str(d["key"]), str(d["sig"])))
        except (ValueError, KeyError, TypeError):
            problems.append(f"{path.name} line {number} is not a checkpoint")
    return found, problems


def db_checkpoints(meeting_id: int) -> list[Checkpoint]:
    return [
        Checkpoint(row.meeting_id, row.seq, row.head_hash,
                   row.at.astimezone(UTC).isoformat(timespec="seconds"), row.key_id,
                   row.signature)
        for row in LogCheckpoint.objects.filter(meeting_id=meeting_id).order_by("seq")
    ]
