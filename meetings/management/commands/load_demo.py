"""Load the demo committee (idempotent) and print who can log in."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand
from django.utils import timezone

from meetings.demo.committee import load_demo, logins

DEFAULT_DEMO_PASSWORD = "klubba-demo"  # noqa: S105 - a published demo login, not a secret


class Command(BaseCommand):
    help = "Create the demo committee Stadsbyggnadsnämnden with a meeting and print the logins."

    def handle(self, *args, **options) -> None:
        password = os.environ.get("KLUBBA_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
        meeting = load_demo(password=password, now=timezone.now())
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {meeting.body} – {meeting}"))
        self.stdout.write(f"Logins (password for all: {password}):")
        for username, what in logins():
            self.stdout.write(f"  {username:<12} {what}")
