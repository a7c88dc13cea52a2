"""The `klubba` console command: Django's manage.py for an installed Klubba, plus the
operator's ``backup`` and ``restore``.

It reads the installation's settings file first (see ``klubba.envfile``), so the command an
operator types is the same on a demo clone and on a server: ``.venv/bin/klubba verify_log``.
A settings problem is a one-line message and exit status 2, not a traceback.
"""

from __future__ import annotations

import os
import sys

from klubba.envfile import EnvFileError, load

OURS = {"backup", "restore"}


def _settings_error() -> str | None:
    """Import the settings once, so a missing secret key is reported before any command runs."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 - touching it loads the settings module
    except ImproperlyConfigured as exc:
        return str(exc)
    return None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        load()
    except EnvFileError as exc:
        print(f"klubba: {exc}", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klubba.settings")
    wants_help = not args or args[0] in {"help", "--help", "-h"}
    problem = None if wants_help else _settings_error()
    if problem:
        print(f"klubba: {problem}\n(settings are read from the environment and from "
              "KLUBBA_ENV_FILE, var/klubba.env or /etc/klubba/klubba.env; "
              "see docs/operations.md)", file=sys.stderr)
        return 2
    if args and args[0] in OURS:
        from klubba import backup_cli

        return backup_cli.run(args[0], args[1:])
    from django.core.management import execute_from_command_line

    execute_from_command_line(["klubba", *args])
    if wants_help:
        print("\n[klubba]\n    backup\n    restore")
    return 0


if __name__ == "__main__":
    sys.exit(main())
