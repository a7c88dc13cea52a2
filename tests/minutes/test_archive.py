"""The archive package: contents, manifest hashes, the exported log verified by
``klubba verify_log --jsonl``, the signatures checked with pdfsig."""

from __future__ import annotations

import hashlib
import json
import zipfile
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError as ManagementError
from django.core.management import call_command

from meetings.models import Attachment
from minutes.commands import extract_certify, minutes_post
from minutes.models import MinutesDocument, ProtocolExtract
from minutes.signing import pdfsig_report
from tests.support.after import hold_and_sign, password


@pytest.fixture
def archived(db, signing_dir, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    s = hold_and_sign()
    c = s.c
    Attachment.objects.create(item=c.items[1], title="Situationsplan",
                              file=ContentFile(b"%PDF-1.4 plan", name="situationsplan.pdf"))
    Attachment.objects.create(item=c.items[2], title="Borttagen", file="attachments/borta.pdf")
    minutes_post(meeting_id=c.meeting.pk, actor=c.secretary)
    extract_certify(meeting_id=c.meeting.pk, actor=c.secretary, item_ids=[c.items[1].pk],
                    password=password(c.secretary))
    path = tmp_path / "arkiv.zip"
    out = StringIO()
    call_command("archive_meeting", str(c.meeting.pk), str(path), stdout=out)
    assert str(path) in out.getvalue()
    return c, path, tmp_path


def test_the_package_holds_everything_and_the_manifest_matches(archived):
    c, path, tmp_path = archived
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        files = {f["path"]: f for f in manifest["files"]}
        for entry in manifest["files"]:
            data = zf.read(entry["path"])
            assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
            assert len(data) == entry["bytes"]
        sums = zf.read("SHA256SUMS").decode().splitlines()
        assert f"{hashlib.sha256(zf.read('manifest.json')).hexdigest()}  manifest.json" in sums
        readme = zf.read("README.txt").decode()
        minutes_pdf = zf.read("protokoll.pdf")
        extract = ProtocolExtract.objects.get()
        assert zf.read(f"utdrag/{extract.filename}") == bytes(extract.pdf)
        zf.extract("log.jsonl", tmp_path)
    assert {"README.txt", "manifest.json", "SHA256SUMS", "log.jsonl", "protokoll.pdf",
            "protokoll-offentlig.pdf", "expediering.json", "ca-cert.pem"} <= names
    assert any(n.startswith("handlingar/punkt-2/") for n in names)
    assert set(files) | {"README.txt", "manifest.json", "SHA256SUMS"} == names
    document = MinutesDocument.objects.get(meeting=c.meeting, item__isnull=True)
    assert minutes_pdf == bytes(document.full_pdf)
    assert manifest["meeting"]["log_head"] == {"seq": c.meeting.__class__.objects.get(
        pk=c.meeting.pk).last_seq, "hash": c.meeting.__class__.objects.get(
        pk=c.meeting.pk).last_hash}
    assert manifest["posted_on"]
    assert manifest["missing_documents"] == ["attachments/borta.pdf (Borttagen)"]
    assert "verify_log --jsonl log.jsonl" in readme and "pdfsig" in readme
    entries = pdfsig_report(minutes_pdf)
    assert len(entries) == 3 and all(e["signature_valid"] for e in entries)
    # The exported log's chain verifies without the database.
    out = StringIO()
    call_command("verify_log", "--jsonl", str(tmp_path / "log.jsonl"), stdout=out)
    assert "intact" in out.getvalue()
    lines = (tmp_path / "log.jsonl").read_text().splitlines()
    events = [json.loads(line) for line in lines]
    assert {"seq", "type", "payload", "actor", "at", "hash", "prev_hash"} <= set(events[0])
    assert document.log_hash in {e["hash"] for e in events}


def test_a_changed_exported_log_fails(archived):
    _c, _path, tmp_path = archived
    with zipfile.ZipFile(_path) as zf:
        zf.extract("log.jsonl", tmp_path)
    log = tmp_path / "log.jsonl"
    lines = log.read_text().splitlines()
    event = json.loads(lines[2])
    event["payload"]["x"] = 1
    lines[2] = json.dumps(event)
    log.write_text("\n".join(lines) + "\n")
    err = StringIO()
    with pytest.raises(ManagementError):
        call_command("verify_log", "--jsonl", str(log), stdout=StringIO(), stderr=err)
    assert "seq 3" in err.getvalue()


def test_unknown_meeting_is_a_clear_error(db, tmp_path):
    with pytest.raises(ManagementError, match="no such meeting"):
        call_command("archive_meeting", "999999", str(tmp_path / "x.zip"))
    assert not (tmp_path / "x.zip").exists()
