"""PostgreSQL's client programs (pg_dump, pg_restore) for the configured database.

The connection goes to them through libpq's environment (PGHOST, PGPASSWORD, …), never on
the command line, so a password does not show in ``ps``.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any


class ToolError(Exception):
    """A client program is missing or failed; the message is for the operator."""


def find(program: str) -> str:
    """On PATH, else Debian's versioned directory (the newest: pg_dump must not be older
    than the server)."""
    found = shutil.which(program)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{program}"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit()
                        else 0)
    if candidates:
        return candidates[-1]
    raise ToolError(f"{program} not found: install PostgreSQL's client programs "
                    "(Debian: apt-get install postgresql-client)")


def libpq_env(db: dict[str, Any]) -> dict[str, str]:
    """os.environ plus PG* variables for one Django database settings dict."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                     ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):
        value = db.get(key)
        if value:
            env[var] = str(value)
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def run(program: str, args: list[str], db: dict[str, Any]) -> None:
    """Run a client program against ``db``; a failure raises ToolError with its stderr."""
    done = subprocess.run([find(program), *args], env=libpq_env(db), capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise ToolError(f"{program} failed ({done.returncode}): {done.stderr.strip()}")
