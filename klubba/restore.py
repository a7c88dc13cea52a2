"""Restore a backup (klubba.backup) onto an EMPTY installation, then prove it came back.

Refuses to overwrite anything: the database must have no tables, the signing directory no
CA, and no uploaded file may differ. After the copy it recomputes every meeting's hash chain
and compares each log head and the root fingerprint with the manifest.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from klubba import pgtools
from klubba.backup import (
    FORMAT,
    MANIFEST,
    database,
    file_hashes,
    is_postgres,
    log_heads,
    media_dir,
    root_fingerprint,
    signing_dir,
)


class RestoreError(Exception):
    """The backup is damaged, or the target is not empty; nothing more was changed."""


def read_manifest(source: Path) -> dict[str, Any]:
    """The manifest, after checking every file's SHA-256 against it."""
    path = source / MANIFEST
    if not path.is_file():
        raise RestoreError(f"{source} is not a Klubba backup (no {MANIFEST})")
    manifest = json.loads(path.read_text("utf-8"))
    if manifest.get("format") != FORMAT:
        raise RestoreError(f"unknown backup format {manifest.get('format')!r}")
    found = file_hashes(source)
    if found != manifest["files"]:
        changed = sorted(set(found.items()) ^ set(manifest["files"].items()))
        raise RestoreError(f"the backup does not match its manifest: {changed[:5]}")
    return manifest


def _check_empty_database(db: dict[str, Any]) -> None:
    from django.db import connections

    tables = connections["default"].introspection.table_names()
    connections["default"].close()
    if tables:
        raise RestoreError(f"database {db['NAME']} is not empty ({len(tables)} tables); "
                           "restore into a new, empty database")


def _check_targets(manifest: dict[str, Any], source: Path) -> None:
    db = database()
    engine = "postgresql" if is_postgres(db) else "sqlite3"
    if engine != manifest["engine"]:
        raise RestoreError(f"the backup is of a {manifest['engine']} database, the settings "
                           f"name a {engine} one")
    _check_empty_database(db)
    if (signing_dir() / "ca-cert.pem").exists():
        raise RestoreError(f"{signing_dir()} already holds an organisation CA")
    if (signing_dir() / "log-anchor-key.pem").exists():
        raise RestoreError(f"{signing_dir()} already holds a log anchoring key")
    for name in manifest["files"]:
        if name.startswith("media/"):
            target = media_dir() / name.removeprefix("media/")
            if target.exists() and target.read_bytes() != (source / name).read_bytes():
                raise RestoreError(f"{target} exists and differs from the backup")


def _restore_database(manifest: dict[str, Any], source: Path) -> None:
    db = database()
    dump = source / manifest["database"]
    if is_postgres(db):
        pgtools.run("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error",
                                   "--single-transaction", f"--dbname={db['NAME']}",
                                   str(dump)], db)
        return
    target = sqlite3.connect(str(db["NAME"]))
    copy = sqlite3.connect(str(dump))
    try:
        with target:
            copy.backup(target)
    finally:
        copy.close()
        target.close()


def _restore_files(source: Path) -> None:
    signing = signing_dir()
    signing.mkdir(parents=True, exist_ok=True, mode=0o700)
    signing.chmod(0o700)
    shutil.copytree(source / "signing", signing, copy_function=shutil.copy2,
                    dirs_exist_ok=True)
    media_dir().mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / "media", media_dir(), copy_function=shutil.copy2,
                    dirs_exist_ok=True)


def check(manifest: dict[str, Any]) -> list[str]:
    """What does not match the manifest after a restore (empty: all came back)."""
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    problems = []
    try:
        call_command("verify_log", stdout=StringIO(), stderr=StringIO())
    except CommandError as exc:
        problems.append(f"verify_log: {exc}")
    heads = log_heads()
    for meeting, head in manifest["log_heads"].items():
        if heads.get(meeting) != head:
            problems.append(f"meeting {meeting}: log head {heads.get(meeting)} != {head}")
    if root_fingerprint(signing_dir()) != manifest["root_fingerprint"]:
        problems.append("the organisation root's fingerprint differs from the backup's")
    return problems


def restore(source: Path) -> dict[str, Any]:
    """Restore ``source`` into the configured installation; RestoreError if it cannot."""
    manifest = read_manifest(source)
    _check_targets(manifest, source)
    _restore_database(manifest, source)
    _restore_files(source)
    problems = check(manifest)
    if problems:
        raise RestoreError("restored, but it does not match the backup: " + "; ".join(problems))
    return manifest
