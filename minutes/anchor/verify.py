"""What ``verify_log`` checks beyond the chain: the signed checkpoints and the minutes.

A database-only rewriter can recompute the chain and fix the meeting's head, but cannot sign
a checkpoint (the key is in the signing directory, encrypted with a passphrase that is not in
the database), cannot remove the anchor file's lines, and cannot re-sign the minutes PDF that
states the log hash. Every check returns readable problems, never raises.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from meetings.models import Meeting
from minutes import ca_store
from minutes.anchor import keys
from minutes.anchor.checkpoints import Checkpoint
from minutes.models import MinutesDocument
from minutes.signing import verify_pdf

SUBJECT_PREFIX = "Loggens kontrollsumma (SHA-256): "


def checkpoint_problems(
    meeting: Meeting, hashes: dict[int, str], checkpoints: Iterable[Checkpoint],
    public: Ed25519PublicKey | None,
) -> tuple[list[str], int]:
    """(problems, number of good checkpoints) for the meeting's checkpoints against its log.

    ``hashes`` maps seq -> stored hash of the meeting's events (after the chain check passed,
    so they are the recomputed ones)."""
    problems: list[str] = []
    good = 0
    kid = keys.key_id(public) if public is not None else None
    seen: set[tuple[int, str, str]] = set()
    for cp in sorted(checkpoints, key=lambda c: c.seq):
        if (cp.seq, cp.head_hash, cp.signature) in seen:
            continue
        seen.add((cp.seq, cp.head_hash, cp.signature))
        where = f"signed checkpoint at seq {cp.seq} ({cp.at})"
        if public is None or cp.key_id != kid:
            problems.append(f"{where}: signed with unknown key {cp.key_id}")
            continue
        try:
            signature = bytes.fromhex(cp.signature)
        except ValueError:
            signature = b""
        if not keys.verifies(public, signature, cp.message()):
            problems.append(f"{where}: the signature does not verify")
        elif cp.seq > meeting.last_seq or cp.seq not in hashes:
            problems.append(f"{where}, but the log ends at seq {meeting.last_seq}: "
                            "events were deleted")
        elif hashes[cp.seq] != cp.head_hash:
            problems.append(f"{where}: event {cp.seq} does not have the signed hash: the log "
                            "was rewritten")
        else:
            good += 1
    return problems, good


def stated_log_hash(pdf: bytes) -> str | None:
    """The log hash in the PDF's document information (``/Subject``), as rendered."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        subject = str(PdfFileReader(BytesIO(pdf), strict=False).document_meta_view.subject or "")
    except Exception:  # noqa: BLE001 - a damaged PDF is reported by the caller
        return None
    return subject.removeprefix(SUBJECT_PREFIX) if subject.startswith(SUBJECT_PREFIX) else None


def minutes_problems(meeting: Meeting, hashes: dict[int, str]) -> list[str]:
    """The locked minutes must name a head that is in the log; signed ones must say so in
    signed bytes: the PDF's signatures verify, the unsigned render is the signed prefix, and
    the hash it states is the log's."""
    problems: list[str] = []
    roots: bytes | None = None
    for doc in MinutesDocument.objects.filter(meeting=meeting).order_by("pk"):
        # Every version of the justering loop is checked, replaced ones too.
        what = (f"the minutes (version {doc.version})" if doc.item_id is None
                else f"the extract of item {doc.item_id}")
        if hashes.get(doc.log_seq) != doc.log_hash:
            problems.append(f"{what} were locked at seq {doc.log_seq} with log hash "
                            f"{doc.log_hash[:16]}…, which the log does not have")
            continue
        signed = doc.signatures.count()
        full, unsigned = bytes(doc.full_pdf), bytes(doc.full_unsigned)
        if not signed and full == unsigned:
            continue
        if roots is None:
            roots = ca_store.trust_roots_pem()
        # Validated at the last recorded signing time: a signer certificate that has expired
        # since still proves the minutes were signed while it was valid.
        last = doc.signatures.order_by("-signed_at").values_list("signed_at", flat=True).first()
        reports = verify_pdf(full, trust_root_pem=roots, validation_time=last)
        if len(reports) < signed or not reports or not all(r.valid for r in reports):
            problems.append(f"{what}: the signed PDF does not verify ({len(reports)} "
                            f"signature(s), {signed} recorded)")
        elif not full.startswith(unsigned):
            problems.append(f"{what}: the signed PDF is not the locked render")
        elif stated_log_hash(unsigned) != doc.log_hash:
            problems.append(f"{what}: the signed PDF states log hash "
                            f"{stated_log_hash(unsigned)}, not {doc.log_hash}")
    return problems
