"""Recompute every meeting's hash chain and name the first event that does not fit.

Exit status: 0 when every log is intact, 1 when one was tampered with (a message on stderr,
no traceback), so cron or a monitoring check can alert on it.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from meetings.log import ChainBreak, verify_chain
from meetings.models import Meeting


def _first_break(meeting: Meeting) -> ChainBreak | None:
    """The chain check over a streamed cursor, closed before the next query.

    ``verify_chain`` stops at the first broken event; a half-read ``iterator()`` left for the
    garbage collector would close its cursor after Django has closed the connection and print
    ``sqlite3.ProgrammingError: Cannot operate on a closed database`` at exit.
    """
    events = meeting.events.order_by("seq").iterator(chunk_size=2000)
    try:
        return verify_chain(events)
    finally:
        close = getattr(events, "close", None)  # a generator; typed only as an Iterator
        if close is not None:
            close()


class Command(BaseCommand):
    help = "Verify the hash chain of meeting event logs; exits non-zero on tampering."

    def add_arguments(self, parser) -> None:
        parser.add_argument("meeting_ids", nargs="*", type=int, help="Meetings (default: all).")

    def handle(self, *args, meeting_ids: list[int], **options) -> None:
        meetings = Meeting.objects.order_by("pk")
        if meeting_ids:
            meetings = meetings.filter(pk__in=meeting_ids)
            missing = set(meeting_ids) - set(meetings.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"no such meeting: {sorted(missing)}")
        broken = 0
        for meeting in meetings:
            found = _first_break(meeting)
            if found is None and meeting.last_seq and meeting.events.filter(
                seq=meeting.last_seq, hash=meeting.last_hash
            ).count() != 1:
                found_text = f"log head seq {meeting.last_seq} does not match the stored events"
            elif found is not None:
                found_text = f"first broken event: seq {found.seq} ({found.reason})"
            else:
                self.stdout.write(f"meeting {meeting.pk}: {meeting.last_seq} events, intact, "
                                  f"head {meeting.last_hash}")
                continue
            broken += 1
            self.stderr.write(f"meeting {meeting.pk}: TAMPERED: {found_text}")
        if broken:
            raise CommandError(f"{broken} meeting log(s) failed verification")
