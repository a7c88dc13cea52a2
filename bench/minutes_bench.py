"""Minutes of a big meeting (40 items, 101 seats, 30 named votes): build, render, sign x3.

The meeting is held through the real commands in a Django subprocess on a fresh SQLite
database (not timed); then ``minutes_lock`` and three ``minutes_sign`` calls are timed there.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from bench.klubba_scenario import helper, klubba_env, manage


async def run(args: Any, log_dir: Path) -> dict:
    env = klubba_env(log_dir, "minutes",
                     KLUBBA_SIGNING_KEY_PASSPHRASE=secrets.token_urlsafe(24))
    await manage(env, "migrate", "--noinput")
    shape = ["--items", "40", "--seats", "101", "--votes", "30"]
    if args.quick:
        shape = ["--items", "10", "--seats", "31", "--votes", "5"]
    try:
        return await helper(env, "minutes", *shape, timeout=600)
    except RuntimeError as exc:
        lines = [line for line in str(exc).splitlines() if line.strip()]
        return {"measured": False, "shape": " ".join(shape),
                "reason": "the minutes code failed: " + (lines[-1] if lines else "?")[:300]}
