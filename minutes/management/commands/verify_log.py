"""Check every meeting's log: the hash chain, the signed checkpoints and the signed minutes.

Exit status: 0 when every log is intact, 1 when one was tampered with (a ``TAMPERED`` line per
meeting on stderr, no traceback), so cron or a monitoring check can alert on it. It lives in
the minutes app because it reads the checkpoints and the minutes (meetings imports none of
our apps); ``klubba verify_log`` is the same command as before.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.log import GENESIS_HASH, ChainBreak, verify_chain
from meetings.models import Meeting, MeetingEvent
from minutes.anchor import keys
from minutes.anchor.checkpoints import (
    Checkpoint,
    anchor_file,
    db_checkpoints,
    read_file_checkpoints,
)
from minutes.anchor.verify import checkpoint_problems, minutes_problems
from minutes.signing import SigningError


def _chain(meeting: Meeting, hashes: dict[int, str]) -> ChainBreak | None:
    """The chain check over a streamed cursor, closed before the next query; fills ``hashes``.

    ``verify_chain`` stops at the first broken event; a half-read ``iterator()`` left for the
    garbage collector would close its cursor after Django has closed the connection and print
    ``sqlite3.ProgrammingError: Cannot operate on a closed database`` at exit.
    """
    events = meeting.events.order_by("seq").iterator(chunk_size=2000)

    def recorded():
        for event in events:
            hashes[event.seq] = event.hash
            yield event

    try:
        return verify_chain(recorded())
    finally:
        close = getattr(events, "close", None)  # a generator; typed only as an Iterator
        if close is not None:
            close()


def _problems(meeting: Meeting, from_file: list[Checkpoint], public) -> tuple[list[str], int]:
    hashes: dict[int, str] = {}
    found = _chain(meeting, hashes)
    if found is not None:
        return [f"first broken event: seq {found.seq} ({found.reason})"], 0
    problems = []
    if meeting.last_seq and hashes.get(meeting.last_seq) != meeting.last_hash:
        problems.append(f"log head seq {meeting.last_seq} does not match the stored events")
    in_db = db_checkpoints(meeting.pk)
    signed, good = checkpoint_problems(meeting, hashes, [*in_db, *from_file], public)
    problems += signed
    if in_db and not from_file and not anchor_file().exists():
        problems.append(f"{len(in_db)} checkpoint(s) in the database but no {anchor_file()}")
    problems += minutes_problems(meeting, hashes)
    return problems, good


class Command(BaseCommand):
    help = ("Verify meeting logs: the hash chain, the signed checkpoints (database and anchor "
            "file) and the log hash in the signed minutes; exits non-zero on tampering.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("meeting_ids", nargs="*", type=int, help="Meetings (default: all).")
        parser.add_argument("--jsonl", metavar="FILE",
                            help="Check the hash chain of a log exported as JSON lines (the "
                                 "log.jsonl of an archive package) instead of the database.")

    def handle(self, *args, meeting_ids: list[int], jsonl: str | None = None,
               **options) -> None:
        if jsonl:
            self._verify_file(jsonl)
            return
        meetings = Meeting.objects.order_by("pk")
        if meeting_ids:
            meetings = meetings.filter(pk__in=meeting_ids)
            missing = set(meeting_ids) - set(meetings.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"no such meeting: {sorted(missing)}")
        try:
            public = keys.public_key()
        except SigningError as exc:
            raise CommandError(str(exc)) from None
        in_file, file_problems = read_file_checkpoints()
        by_meeting: dict[int, list[Checkpoint]] = defaultdict(list)
        for checkpoint in in_file:
            by_meeting[checkpoint.meeting_id].append(checkpoint)
        for problem in file_problems:
            self.stderr.write(f"TAMPERED: {problem}")
        broken = len(file_problems)
        seen: set[int] = set()
        for meeting in meetings:
            seen.add(meeting.pk)
            problems, good = _problems(meeting, by_meeting.get(meeting.pk, []), public)
            if not problems:
                anchored = f", {good} signed checkpoint(s)" if good else ", not anchored"
                self.stdout.write(f"meeting {meeting.pk}: {meeting.last_seq} events, intact, "
                                  f"head {meeting.last_hash}{anchored}")
                continue
            broken += 1
            for problem in problems:
                self.stderr.write(f"meeting {meeting.pk}: TAMPERED: {problem}")
        if not meeting_ids:
            for gone in sorted(set(by_meeting) - seen):
                broken += 1
                self.stderr.write(f"meeting {gone}: TAMPERED: the anchor file has signed "
                                  "checkpoints of a meeting that is not in the database")
        if broken:
            raise CommandError(f"{broken} meeting log(s) failed verification")

    def _verify_file(self, path: str) -> None:
        """The chain of an exported log, without the database (``minutes.archive``)."""
        try:
            events = exported_events(Path(path))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"{path}: not a Klubba log export ({exc})") from None
        found = verify_chain(events)
        if found is not None:
            self.stderr.write(f"{path}: TAMPERED: first broken event: seq {found.seq} "
                              f"({found.reason})")
            raise CommandError(f"{path} failed verification")
        meetings = sorted({e.meeting_id for e in events})
        if len(meetings) > 1:
            raise CommandError(f"{path}: events of several meetings {meetings}")
        head = events[-1] if events else None
        self.stdout.write(f"{path}: {len(events)} events, intact, head "
                          f"{head.hash if head else GENESIS_HASH}")


def exported_events(path: Path) -> list[MeetingEvent]:
    """Unsaved events from JSON lines with the fields the chain hash is computed from."""
    events = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        events.append(MeetingEvent(
            meeting_id=int(d["meeting"]), seq=int(d["seq"]), type=str(d["type"]),
            payload=d["payload"], actor_id=d["actor"], at=datetime.fromisoformat(d["at"]),
            command_id=d["command_id"], prev_hash=str(d["prev_hash"]), hash=str(d["hash"]),
        ))
    return events
