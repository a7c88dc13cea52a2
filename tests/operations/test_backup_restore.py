"""The backup and restore drill on PostgreSQL (docs/operations.md, "Backup and restore").

A meeting is held through the real commands, its minutes locked, signed by the chair and the
adjusters and posted, with an agenda document uploaded. Then the documented commands run as
an operator would: ``klubba backup`` of the installation, ``klubba restore`` into a NEW
database on the same server and a new directory. On the restored installation
``verify_log`` is intact with the same log head, the signed PDFs verify with pyHanko against
the published root and with poppler's ``pdfsig``, and the public archive serves the same
bytes. Required in CI's PostgreSQL run; skipped only on the embedded one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from meetings.models import Attachment, Meeting
from minutes.anchor.checkpoints import ANCHORED_TYPES
from minutes.anchor.keys import init_key
from minutes.ca_store import init_ca
from minutes.commands import minutes_lock, minutes_post, minutes_sign
from minutes.models import LogCheckpoint, MinutesDocument, Publication
from minutes.signing import all_valid, pdfsig_available, pdfsig_report, verify_pdf
from tests.support.committee import make_committee
from tests.support.minutes import PASSPHRASE, hold_live_meeting, klubba_settings
from tests.support.services import require_postgres

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

#: Run inside the restored installation: what its pages serve, written to files.
FETCH = """
import json, os
from django.test import Client
from minutes.models import MinutesDocument, Publication
out = os.environ["DRILL_OUT"]
pub = Publication.objects.get(document__item__isnull=True)
client = Client()
pages = {{"public.pdf": "/protokoll/%d/protokoll.pdf" % pub.pk, "root.pem": "/verifiera/rot.pem",
          "document": {document!r}}}
for name, url in pages.items():
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    open(out + "/" + name, "wb").write(b"".join(response) if response.streaming
                                      else response.content)
open(out + "/full.pdf", "wb").write(bytes(pub.document.full_pdf))
"""


def _url(name: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _admin(sql: str) -> None:
    import psycopg

    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
                         user=db["USER"], password=db.get("PASSWORD") or None,
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(sql)


def _klubba(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """The `klubba` command as an operator runs it: the installation's settings only."""
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("KLUBBA_", "DJANGO_", "PYTEST_")) and k != "DATABASE_URL"}
    base.update(PYTHONPATH=str(ROOT), KLUBBA_SECRET_KEY="drill-" + "x" * 40,
                KLUBBA_SIGNING_KEY_PASSPHRASE=PASSPHRASE, KLUBBA_ALLOWED_HOSTS="testserver",
                **env)
    done = subprocess.run([sys.executable, "-m", "klubba.cli", *args], env=base, cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def _installation(var: Path, database: str) -> dict[str, str]:
    return {"DATABASE_URL": _url(database), "KLUBBA_VAR_DIR": str(var),
            "KLUBBA_SIGNING_DIR": str(var / "signing")}


def _hold_sign_and_post(var: Path, settings) -> tuple[Meeting, Attachment]:
    settings.KLUBBA = {**klubba_settings(), "SIGNING_DIR": var / "signing",
                       "SIGNING_KEY_PASSPHRASE": PASSPHRASE}
    settings.MEDIA_ROOT = var / "media"
    init_ca()
    init_key()
    live = hold_live_meeting(make_committee())
    c = live.c
    attachment = Attachment.objects.create(
        item=c.items[1], title="Situationsplan",
        file=ContentFile(b"%PDF-1.4\n% situationsplan\n", name="situationsplan.pdf"))
    minutes_lock(meeting_id=c.meeting.pk, actor=c.secretary)
    for user in [c.chair, *live.adjusters]:
        minutes_sign(meeting_id=c.meeting.pk, actor=user, password="pw-" + user.username)
    minutes_post(meeting_id=c.meeting.pk, actor=c.secretary, kept_at="Kansliet")
    return Meeting.objects.get(pk=c.meeting.pk), attachment


def test_a_signed_meeting_survives_backup_and_restore(tmp_path, settings):
    require_postgres()
    original = tmp_path / "original"
    meeting, attachment = _hold_sign_and_post(original, settings)
    pub = Publication.objects.get(document__meeting=meeting, document__item__isnull=True)
    document_url = reverse("meetings:document", args=[meeting.pk, attachment.pk])
    client = Client()
    before = {
        "public.pdf": client.get(reverse("minutes:pdf", args=[pub.pk])).content,
        "root.pem": client.get(reverse("minutes:root_pem")).content,
        "document": b"".join(client.get(document_url)),
        "full.pdf": bytes(MinutesDocument.objects.get(pk=pub.document_id).full_pdf),
    }
    assert before["public.pdf"].startswith(b"%PDF") and b"situationsplan" in before["document"]

    backup = tmp_path / "backup"
    done = _klubba(["backup", str(backup)],
                   **_installation(original, connection.settings_dict["NAME"]))
    assert done.returncode == 0, done.stderr
    manifest = json.loads((backup / "manifest.json").read_text("utf-8"))
    assert manifest["engine"] == "postgresql"
    assert manifest["log_heads"][str(meeting.pk)] == [meeting.last_seq, meeting.last_hash]
    assert {"signing/ca-cert.pem", "signing/ca-key.pem", "signing/log-anchor-key.pem",
            "signing/log-anchor-public.pem", "signing/log-anchors.jsonl"} <= set(manifest["files"])
    anchored = LogCheckpoint.objects.filter(meeting=meeting).count()
    assert anchored == meeting.events.filter(type__in=ANCHORED_TYPES).count() > 0
    assert any(name.startswith("media/attachments/") for name in manifest["files"])
    assert (backup / "signing" / "ca-key.pem").stat().st_mode & 0o077 == 0
    assert (backup / "signing" / "log-anchor-key.pem").stat().st_mode & 0o077 == 0

    name = f"test_restore_{os.getpid()}"
    restored = tmp_path / "restored"
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}"')
    try:
        env = _installation(restored, name)
        done = _klubba(["restore", str(backup)], **env)
        assert done.returncode == 0, done.stderr
        assert "meeting logs intact" in done.stdout
        again = _klubba(["restore", str(backup)], **env)
        assert again.returncode == 1 and "is not empty" in again.stderr

        verified = _klubba(["verify_log"], **env)
        assert verified.returncode == 0, verified.stderr
        assert f"meeting {meeting.pk}: {meeting.last_seq} events, intact, " \
               f"head {meeting.last_hash}, {anchored} signed checkpoint(s)" in verified.stdout

        fetched = tmp_path / "fetched"
        fetched.mkdir()
        done = _klubba(["shell", "-c", FETCH.format(document=document_url)],
                       DRILL_OUT=str(fetched), **env)
        assert done.returncode == 0, done.stderr
        after = {n: (fetched / n).read_bytes() for n in before}
        assert after == before, [n for n in before if after[n] != before[n]]

        for pdf in (after["public.pdf"], after["full.pdf"]):
            reports = verify_pdf(pdf, trust_root_pem=after["root.pem"])
            assert all_valid(reports, expected=3), reports
            assert pdfsig_available(), "poppler's pdfsig is missing (apt-get install poppler-utils)"
            second = pdfsig_report(pdf)
            assert len(second) == 3 and all(s["signature_valid"] for s in second)
        checked = _klubba(["verify_minutes", str(fetched / "public.pdf")], **env)
        assert checked.returncode == 0, checked.stdout + checked.stderr
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
