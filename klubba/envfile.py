"""The settings file the `klubba` command reads before Django starts.

Systemd starts the server with ``EnvironmentFile=/etc/klubba/klubba.env``; an operator's shell
does not have that environment. So ``klubba`` reads the same file, and ``klubba verify_log``
from cron or a terminal sees the same database, secret key and signing directory as the
server. ``make demo`` writes ``var/klubba.env`` with ``KLUBBA_DEBUG=1``, so in a fresh clone
``.venv/bin/klubba …`` runs with the demo settings. Variables already in the environment win.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

SYSTEM_ENV_FILE = Path("/etc/klubba/klubba.env")
BASE_DIR = Path(__file__).resolve().parent.parent


class EnvFileError(Exception):
    """The named settings file is missing or has a line that is not KEY=VALUE."""


def var_dir() -> Path:
    """The data directory, as klubba/settings.py computes it."""
    return Path(os.environ.get("KLUBBA_VAR_DIR", BASE_DIR / "var"))


def find() -> Path | None:
    """KLUBBA_ENV_FILE if set (it must exist), else var/klubba.env, else /etc/klubba/klubba.env."""
    named = os.environ.get("KLUBBA_ENV_FILE")
    if named:
        path = Path(named)
        if not path.is_file():
            raise EnvFileError(f"KLUBBA_ENV_FILE={named} is not a file")
        return path
    for path in (var_dir() / "klubba.env", SYSTEM_ENV_FILE):
        if path.is_file():
            return path
    return None


def parse(text: str, *, source: str = "klubba.env") -> dict[str, str]:
    """KEY=VALUE lines as systemd's EnvironmentFile reads them: # comments, optional quotes."""
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        key, sep, value = line.partition("=")
        key = key.strip()
        if line.startswith("export "):
            raise EnvFileError(f"{source}:{number}: write KEY=VALUE without `export`")
        if not sep or not key.isidentifier():
            raise EnvFileError(f"{source}:{number}: not a KEY=VALUE line")
        value = value.strip()
        if value[:1] in {'"', "'"}:
            parts = shlex.split(value)
            value = parts[0] if parts else ""
        values[key] = value
    return values


def load() -> Path | None:
    """Put the settings file's variables into os.environ (unset ones only); return its path."""
    path = find()
    if path is None:
        return None
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise EnvFileError(f"cannot read {path}: {exc.strerror}") from None
    for key, value in parse(text, source=str(path)).items():
        os.environ.setdefault(key, value)
    return path
