"""A backup of one installation: the database, the signing directory, the uploaded files.

A backup is a directory, written as ``<dest>.partial`` and renamed when complete::

    manifest.json     what was taken, the SHA-256 of every file, every meeting's log head
    database.pgdump   pg_dump --format=custom (PostgreSQL), or
    database.sqlite3  an online copy through SQLite's backup API (the embedded default)
    signing/          KLUBBA_SIGNING_DIR: the organisation CA (encrypted key), retired
                      roots, the log anchoring key (encrypted), the anchor file
    media/            MEDIA_ROOT: agenda documents

The database is dumped first and the files copied after: uploads are only ever added, so
every file the dump names is in the copy. The anchor file is the exception: it is read
before the dump, because each of its lines signs events that had committed when it was
written; a line written after the dump would name events the restored database lacks.
The signing passphrase is NOT in the backup; keep it elsewhere (docs/operations.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

from klubba import pgtools

FORMAT = 1
MANIFEST = "manifest.json"
ANCHOR_FILE = "log-anchors.jsonl"


def database() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def is_postgres(db: dict[str, Any]) -> bool:
    return str(db["ENGINE"]).endswith("postgresql")


def signing_dir() -> Path:
    return Path(str(settings.KLUBBA["SIGNING_DIR"]))


def media_dir() -> Path:
    return Path(str(settings.MEDIA_ROOT))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_hashes(root: Path) -> dict[str, str]:
    """Relative path -> SHA-256 for every file under ``root`` except the manifest."""
    return {
        path.relative_to(root).as_posix(): sha256_file(path)
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }


def log_heads() -> dict[str, list[Any]]:
    """Every meeting's (last_seq, last_hash): a restore must bring back exactly these."""
    from meetings.models import Meeting

    return {str(pk): [seq, head] for pk, seq, head in
            Meeting.objects.order_by("pk").values_list("pk", "last_seq", "last_hash")}


def root_fingerprint(directory: Path) -> str | None:
    cert = directory / "ca-cert.pem"
    if not cert.exists():
        return None
    from minutes.signing import fingerprint_sha256

    return fingerprint_sha256(cert.read_bytes())


def _dump_database(db: dict[str, Any], into: Path) -> str:
    if is_postgres(db):
        name = "database.pgdump"
        pgtools.run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges",
                                f"--file={into / name}"], db)
        return name
    name = "database.sqlite3"
    source = sqlite3.connect(str(db["NAME"]))
    target = sqlite3.connect(str(into / name))
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()
    return name


def _copy_tree(source: Path, target: Path) -> None:
    """Copy with modes (the CA key stays 0600); an absent source gives an empty directory."""
    if source.is_dir():
        shutil.copytree(source, target, copy_function=shutil.copy2)
    else:
        target.mkdir()


def take(dest: Path) -> dict[str, Any]:
    """Write a complete backup to ``dest`` (which must not exist); return its manifest."""
    if dest.exists():
        raise FileExistsError(f"{dest} already exists; give a new directory")
    partial = dest.with_name(dest.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True, mode=0o700)
    try:
        db = database()
        anchors = signing_dir() / ANCHOR_FILE
        anchored = anchors.read_bytes() if anchors.exists() else None  # before the dump
        heads = log_heads()  # before the dump: the dump holds at least these events
        dump = _dump_database(db, partial)
        _copy_tree(signing_dir(), partial / "signing")
        if anchored is not None:
            (partial / "signing" / ANCHOR_FILE).write_bytes(anchored)
        _copy_tree(media_dir(), partial / "media")
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "engine": "postgresql" if is_postgres(db) else "sqlite3",
            "database": dump,
            "root_fingerprint": root_fingerprint(partial / "signing"),
            "log_heads": heads,
            "files": file_hashes(partial),
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
        os.replace(partial, dest)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest


def default_destination() -> Path:
    """KLUBBA_BACKUP_DIR (default var/backups)/klubba-<UTC time>."""
    base = Path(os.environ.get("KLUBBA_BACKUP_DIR", Path(str(settings.VAR_DIR)) / "backups"))
    return base / f"klubba-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
