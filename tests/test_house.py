"""The house checks itself: modules stay small enough to have one job each."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("klubba", "meetings", "voting", "minutes", "realtime", "web")
MAX_LINES = 500


def test_no_module_is_over_500_lines():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text("utf-8").splitlines())) > MAX_LINES
    }
    assert not too_long, f"split these by job: {too_long}"
