"""The archive package of a meeting, for the registry (diarium) and long-term preservation.

One ZIP file that can be checked without Klubba's database:

- ``log.jsonl``: the meeting's log, one event per line (seq, type, payload, actor, at,
  command_id, prev_hash, hash), the input of ``klubba verify_log --jsonl``;
- ``protokoll.pdf`` and ``protokoll-offentlig.pdf``: the signed minutes, full and public;
- ``omedelbar-justering/``: paragraphs signed at the meeting; ``utdrag/``: certified extracts;
- ``expediering.json``: who each decision was sent to, and every dispatch with its results;
- ``handlingar/``: the items' documents (attachments), so the package is understandable
  without the live system (closed items' documents too: the package is for the registry,
  not for the public);
- ``ca-cert.pem`` (the organisation root(s) the signatures chain to), ``log-checkpoints.jsonl``
  and ``log-anchor-public.pem`` (the signed log heads and the key that signed them);
- ``manifest.json`` (every file with its SHA-256 and size), ``SHA256SUMS`` (the same, for
  ``sha256sum -c``, plus the manifest) and ``README.txt`` (how to verify).

Reading a meeting is not a change to it: building a package logs nothing.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import UTC, datetime
from typing import IO, Any

from django.utils import timezone

from meetings.models import Attachment, Meeting
from minutes import ca_store
from minutes.anchor import keys as anchor_keys
from minutes.anchor.checkpoints import db_checkpoints
from minutes.models import (
    DecisionRecipient,
    ExtractDispatch,
    MinutesDocument,
    ProtocolExtract,
    Publication,
)

README = """\
Arkivpaket för sammanträde {meeting_id}: {body}, {title} ({date})
Skapat {created} av Klubba.

Innehåll
  log.jsonl                 Sammanträdets händelselogg, en händelse per rad (seq, type,
                            payload, actor, at, command_id, prev_hash, hash).
  protokoll.pdf             Det justerade protokollet med elektroniska underskrifter (PAdES).
  protokoll-offentlig.pdf   Den offentliga versionen (utan sekretess och personnummer).
  omedelbar-justering/      Paragrafer som justerades omedelbart vid sammanträdet.
  utdrag/                   Bestyrkta protokollsutdrag ("Rätt utdraget intygar").
  expediering.json          Vilka besluten skickades till, när och med vilket resultat.
  handlingar/               Ärendenas handlingar (bilagor).
  ca-cert.pem               Organisationens rotcertifikat: underskrifterna kedjar till det.
  log-checkpoints.jsonl     Signerade kontrollpunkter för loggen (Ed25519).
  log-anchor-public.pem     Den publika nyckel som kontrollpunkterna är signerade med.
  manifest.json             Varje fil med SHA-256 och storlek.
  SHA256SUMS                Samma kontrollsummor i formatet för sha256sum.

Så kontrollerar du paketet
  1. Filerna är oförändrade:            sha256sum -c SHA256SUMS
  2. Loggens hashkedja är obruten:      klubba verify_log --jsonl log.jsonl
     Kedjan: hash = SHA-256(prev_hash + kanonisk JSON av händelsen), första prev_hash är
     64 nollor. Protokollets sista sida anger "Loggens kontrollsumma" och händelsenummer:
     den hashen ska finnas på den raden i log.jsonl.
  3. Underskrifterna är giltiga:        pdfsig protokoll.pdf   (och varje fil i utdrag/)
     pdfsig kontrollerar att dokumentet är oförändrat sedan underskriften. Att certifikatet
     är utfärdat av organisationen kontrolleras mot ca-cert.pem, t.ex. med
     klubba verify_minutes protokoll.pdf på en Klubba-server, eller i en PDF-läsare där
     ca-cert.pem lagts till som betrodd rot.
"""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def log_lines(meeting: Meeting) -> bytes:
    """The log as JSON lines, with exactly the values the chain hash is computed from."""
    out = []
    for e in meeting.events.order_by("seq").iterator(chunk_size=2000):
        out.append(json.dumps({
            "meeting": e.meeting_id, "seq": e.seq, "type": e.type, "payload": e.payload,
            "actor": e.actor_id, "at": e.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "command_id": e.command_id, "prev_hash": e.prev_hash, "hash": e.hash,
        }, sort_keys=True, ensure_ascii=False, separators=(",", ":")))
    return ("\n".join(out) + "\n").encode() if out else b""


def _dispatch_record(meeting: Meeting) -> bytes:
    recipients = [
        {"item_id": r.item_id, "paragraph": r.item.paragraph, "title": r.item.title,
         "name": r.name, "organisation": r.organisation, "email": r.email}
        for r in DecisionRecipient.objects.filter(item__meeting=meeting).select_related("item")
        .order_by("item__position", "position")
    ]
    dispatches = [
        {"extract": d.extract.filename, "extract_sha256": d.extract.sha256,
         "paragraphs": d.extract.paragraphs, "sent_at": d.sent_at.isoformat(),
         "recipients": d.recipients}
        for d in ExtractDispatch.objects.filter(extract__meeting=meeting)
        .select_related("extract").order_by("sent_at", "pk")
    ]
    return json.dumps({"recipients": recipients, "dispatches": dispatches},
                      ensure_ascii=False, indent=2).encode()


def _attachment_files(meeting: Meeting, missing: list[str]) -> list[tuple[str, bytes, str]]:
    files = []
    for a in Attachment.objects.filter(item__meeting=meeting).select_related("item").order_by(
            "item__position", "pk"):
        try:
            with a.file.open("rb") as handle:
                data = handle.read()
        except (OSError, ValueError):
            missing.append(f"{a.file.name} ({a.title})")  # named in the manifest, not hidden
            continue
        name = a.file.name.rsplit("/", 1)[-1]
        secret = " (sekretess)" if a.item.confidential else ""
        files.append((f"handlingar/punkt-{a.item.position}/{a.pk}-{name}", data,
                      f"{a.title}{secret}"))
    return files


def package_files(meeting: Meeting, missing: list[str]) -> list[tuple[str, bytes, str]]:
    """(path in the ZIP, bytes, description) of everything the package holds; documents
    that storage could not read are added to ``missing``."""
    files: list[tuple[str, bytes, str]] = [("log.jsonl", log_lines(meeting), "händelseloggen")]
    minutes = MinutesDocument.objects.filter(meeting=meeting, item__isnull=True).first()
    if minutes is not None:
        state = "justerat" if minutes.fully_signed else "ej färdigjusterat"
        files += [("protokoll.pdf", bytes(minutes.full_pdf), f"protokollet ({state})"),
                  ("protokoll-offentlig.pdf", bytes(minutes.public_pdf),
                   f"offentlig version ({state})")]
    for doc in MinutesDocument.objects.filter(meeting=meeting, item__isnull=False).order_by(
            "first_paragraph", "pk"):
        files.append((f"omedelbar-justering/paragraf-{doc.first_paragraph}.pdf",
                      bytes(doc.full_pdf), "omedelbart justerad paragraf"))
    for extract in ProtocolExtract.objects.filter(meeting=meeting).order_by("number"):
        kind = "offentligt" if extract.public else "internt"
        files.append((f"utdrag/{extract.filename}", bytes(extract.pdf),
                      f"protokollsutdrag nr {extract.number} ({kind})"))
    files.append(("expediering.json", _dispatch_record(meeting), "expediering"))
    files += _attachment_files(meeting, missing)
    if ca_store.ca_exists():
        files.append(("ca-cert.pem", ca_store.trust_roots_pem(), "organisationens rot"))
    checkpoints = db_checkpoints(meeting.pk)
    if checkpoints:
        files.append(("log-checkpoints.jsonl",
                      "".join(c.line() + "\n" for c in checkpoints).encode(),
                      "signerade kontrollpunkter"))
    if anchor_keys.public_path().exists():
        files.append(("log-anchor-public.pem", anchor_keys.public_path().read_bytes(),
                      "kontrollpunkternas publika nyckel"))
    return files


def write_archive(meeting: Meeting, out: IO[bytes], *, now: datetime | None = None
                  ) -> dict[str, Any]:
    """Write the package to ``out`` (a seekable binary file); returns the manifest."""
    created = (now or timezone.now()).astimezone(UTC)
    missing: list[str] = []
    files = package_files(meeting, missing)
    publication = Publication.objects.filter(document__meeting=meeting,
                                             document__item__isnull=True).first()
    manifest: dict[str, Any] = {
        "format": "klubba-archive-1",
        "created_at": created.isoformat(timespec="seconds"),
        "meeting": {"id": meeting.pk, "body": meeting.body.name,
                    "organisation": meeting.body.organisation, "title": meeting.title,
                    "starts_at": meeting.starts_at.isoformat(),
                    "log_head": {"seq": meeting.last_seq, "hash": meeting.last_hash}},
        "posted_on": publication.posted_on.isoformat() if publication else None,
        "appeal_last_day": publication.appeal_last_day.isoformat() if publication else None,
        "files": [{"path": path, "sha256": sha256(data), "bytes": len(data),
                   "description": what} for path, data, what in files],
        "missing_documents": missing,
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
    sums = "".join(f"{f['sha256']}  {f['path']}\n" for f in manifest["files"])
    sums += f"{sha256(manifest_bytes)}  manifest.json\n"
    readme = README.format(meeting_id=meeting.pk, body=meeting.body.name, title=meeting.title,
                           date=f"{meeting.starts_at:%Y-%m-%d}",
                           created=created.isoformat(timespec="seconds"))
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("README.txt", readme)
        for path, data, _what in files:
            zf.writestr(path, data)
        zf.writestr("manifest.json", manifest_bytes)
        zf.writestr("SHA256SUMS", sums)
    return manifest


def archive_name(meeting: Meeting) -> str:
    return f"arkivpaket-sammantrade-{meeting.pk}-{meeting.starts_at:%Y-%m-%d}.zip"
