"""Write a meeting's archive package (a ZIP for the registry and long-term preservation):
``klubba archive_meeting <meeting id> <path>``. What it holds: ``minutes/archive.py``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.models import Meeting
from minutes.archive import write_archive


class Command(BaseCommand):
    help = ("Write the archive package of a meeting (log as JSON lines, signed minutes, "
            "extracts, documents, manifest with SHA-256, README) to a ZIP file.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("meeting_id", type=int)
        parser.add_argument("path", help="The ZIP file to write (replaced if it exists).")

    def handle(self, *args, meeting_id: int, path: str, **options) -> None:
        meeting = Meeting.objects.select_related("body").filter(pk=meeting_id).first()
        if meeting is None:
            raise CommandError(f"no such meeting: {meeting_id}")
        target = Path(path)
        if not target.parent.is_dir():
            raise CommandError(f"no such directory: {target.parent}")
        # Written next to the target and renamed: never a half-written package at ``path``.
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".klubba-archive-", suffix=".zip")
        try:
            with os.fdopen(fd, "wb") as out:
                manifest = write_archive(meeting, out)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.stdout.write(f"{target}: {len(manifest['files'])} files, log head seq "
                          f"{meeting.last_seq} {meeting.last_hash}")
