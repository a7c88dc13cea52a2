"""Recompute every meeting's hash chain and name the first event that does not fit."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from meetings.log import verify_chain
from meetings.models import Meeting


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
            events = meeting.events.order_by("seq").iterator()
            found = verify_chain(events)
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
