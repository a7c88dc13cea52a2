"""``klubba backup [DEST]`` and ``klubba restore SOURCE``: arguments and messages.

Expected failures (a missing tool, a non-empty target, a damaged backup) are one line on
stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _parser(command: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"klubba {command}")
    if command == "backup":
        parser.description = ("Back up the database, the signing directory and the uploaded "
                              "documents into a new directory (see docs/operations.md).")
        parser.add_argument("dest", nargs="?", type=Path,
                            help="a new directory (default: $KLUBBA_BACKUP_DIR or var/backups, "
                                 "/klubba-<UTC time>)")
    else:
        parser.description = ("Restore a backup onto an empty database and signing directory, "
                              "then check every log and the root fingerprint.")
        parser.add_argument("source", type=Path, help="a directory written by `klubba backup`")
    return parser


def run(command: str, argv: list[str]) -> int:
    options = _parser(command).parse_args(argv)
    import django

    django.setup()
    from klubba import backup, restore
    from klubba.pgtools import ToolError

    try:
        if command == "backup":
            dest = options.dest or backup.default_destination()
            manifest = backup.take(dest)
            print(f"Backup written: {dest} ({len(manifest['log_heads'])} meetings, "
                  f"{len(manifest['files'])} files, {manifest['engine']})")
            return 0
        manifest = restore.restore(options.source)
    except (OSError, ToolError, restore.RestoreError) as exc:
        print(f"klubba {command}: {exc}", file=sys.stderr)
        return 1
    print(f"Restored {options.source}: {len(manifest['log_heads'])} meeting logs intact, "
          f"root SHA-256 {manifest['root_fingerprint']}")
    return 0
