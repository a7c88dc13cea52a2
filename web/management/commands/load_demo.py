"""Load the demo committee (idempotent) and print who can log in."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand
from django.utils import timezone

from meetings.demo.committee import load_demo, logins
from meetings.errors import CommandError
from web.demo import load_minutes_demo
from web.demo_after import load_after_demo
from web.demo_notices import load_notices_demo

DEFAULT_DEMO_PASSWORD = "klubba-demo"  # noqa: S105 - a published demo login, not a secret


class Command(BaseCommand):
    help = "Create the demo committee Stadsbyggnadsnämnden with a meeting and print the logins."

    def handle(self, *args, **options) -> None:
        password = os.environ.get("KLUBBA_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
        meeting = load_demo(password=password, now=timezone.now())
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {meeting}"))
        load_notices_demo(meeting)  # kallelse sent, a förhinder answered (web/demo_notices.py)
        self._load_minutes_demo(password)
        self.stdout.write(f"Logins at /accounts/login/ (password for all: {password}):")
        for username, what, lands in logins():
            self.stdout.write(f"  {username:<12} {what:<42} -> {lands}")

    def _load_minutes_demo(self, password: str) -> None:
        """An earlier meeting, held, signed and posted; see web/demo.py."""
        try:
            posted = load_minutes_demo(password=password, now=timezone.now())
        except CommandError as exc:
            self.stderr.write(f"Signed demo minutes skipped: {exc}")
            return
        if posted is None:
            self.stdout.write("Signed demo minutes skipped: set KLUBBA_SIGNING_KEY_PASSPHRASE "
                              "or KLUBBA_DEBUG=1.")
        else:
            self.stdout.write(f"Posted minutes: /protokoll/{posted.pk}/ (notice board /anslag/)")
        if extract := load_after_demo(password=password, posted=posted):
            self.stdout.write(f"Extract dispatched: /moten/{extract.meeting_id}/protokoll/utdrag/")
