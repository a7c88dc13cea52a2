"""Rewrite the domain error-code table in docs/protocol.md from ``meetings.errors``."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from meetings.errors import error_codes, error_message

START = "<!-- domain-codes:start -->"
END = "<!-- domain-codes:end -->"


def domain_table() -> str:
    with translation.override("en"):
        rows = [f"| `{code}` | {error_message(code)} |" for code in error_codes()]
    return "| Code | Message (English) |\n|---|---|\n" + "\n".join(rows) + "\n"


class Command(BaseCommand):
    help = "Regenerate the error-code table in docs/protocol.md after adding an error code."

    def handle(self, *args, **options) -> None:
        path = Path(settings.BASE_DIR) / "docs" / "protocol.md"
        text = path.read_text("utf-8")
        start, end = text.index(START) + len(START), text.index(END)
        path.write_text(text[:start] + "\n" + domain_table() + text[end:], "utf-8")
        self.stdout.write(f"updated {path}")
