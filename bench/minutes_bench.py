"""Minutes of a big meeting (40 items, 101 seats, 30 named votes): build, render, sign x3."""

from __future__ import annotations

from pathlib import Path
from typing import Any


async def run(args: Any, log_dir: Path) -> dict:
    return {"measured": False, "reason": "not wired yet"}
