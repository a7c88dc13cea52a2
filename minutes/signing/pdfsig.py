"""Second opinion from poppler's pdfsig (Debian package poppler-utils).

pdfsig checks the cryptography independently of pyHanko, but it cannot be
told our organisation root: it uses NSS's store, so with our private CA it
reports "Certificate issuer isn't Trusted" even for perfect signatures. We
therefore report signature validity and certificate trust separately and
never treat pdfsig's trust verdict as meaningful.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import TypedDict

PDFSIG = "/usr/bin/pdfsig"
TIMEOUT_SECONDS = 60

_SIG_HEADER = re.compile(r"^Signature #(\d+):\s*$")
_FIELD = re.compile(r"^\s*-\s*([^:]+):\s*(.*?)\s*$")


class PdfsigSignature(TypedDict):
    index: int  # pdfsig's numbering: AcroForm field order, NOT signing order
    field_name: str | None
    signer_common_name: str | None
    signing_time: str | None  # as printed, local time of the machine, no zone
    signature_type: str | None
    total_document_signed: bool
    signature_validation: str | None
    signature_valid: bool
    certificate_validation: str | None
    certificate_trusted: bool


def pdfsig_available() -> bool:
    return os.access(PDFSIG, os.X_OK)


def _new_entry(index: int) -> PdfsigSignature:
    return PdfsigSignature(
        index=index,
        field_name=None,
        signer_common_name=None,
        signing_time=None,
        signature_type=None,
        total_document_signed=False,
        signature_validation=None,
        signature_valid=False,
        certificate_validation=None,
        certificate_trusted=False,
    )


def parse_pdfsig_output(text: str) -> list[PdfsigSignature]:
    """Parse pdfsig's human-readable output (poppler 22.x wording)."""
    entries: list[PdfsigSignature] = []
    current: PdfsigSignature | None = None
    for line in text.splitlines():
        header = _SIG_HEADER.match(line)
        if header:
            current = _new_entry(int(header.group(1)))
            entries.append(current)
            continue
        if current is None:
            continue
        stripped = line.strip()
        if stripped == "- Total document signed":
            current["total_document_signed"] = True
            continue
        field = _FIELD.match(line)
        if not field:
            continue
        key, value = field.group(1).strip(), field.group(2)
        if key == "Signature Field Name":
            current["field_name"] = value
        elif key == "Signer Certificate Common Name":
            current["signer_common_name"] = value
        elif key == "Signing Time":
            current["signing_time"] = value
        elif key == "Signature Type":
            current["signature_type"] = value
        elif key == "Signature Validation":
            current["signature_validation"] = value
            current["signature_valid"] = value == "Signature is Valid."
        elif key == "Certificate Validation":
            current["certificate_validation"] = value
            current["certificate_trusted"] = value == "Certificate is Trusted."
    return entries


def pdfsig_report(
    pdf_bytes: bytes, *, nssdir: Path | None = None, ocsp: bool = False
) -> list[PdfsigSignature]:
    """Run pdfsig on a temp copy; [] if the file is unsigned or unreadable.

    By default no NSS database is used, so ``certificate_trusted`` is always
    False; only ``signature_valid`` is meaningful. To get a real trust verdict,
    pass ``nssdir`` (an NSS db where our root is trusted for e-mail, see
    docs/signing-notes.md) AND ``ocsp=True``: poppler 22.12 reports "Unknown
    issue with Certificate" for trusted certificates when run with -no-ocsp.
    ``ocsp=True`` lets pdfsig contact OCSP URLs named in the certificates,
    so keep it off for documents from outside.

    Raises FileNotFoundError if pdfsig is not installed (apt-get install poppler-utils).
    """
    if not pdfsig_available():
        raise FileNotFoundError(f"{PDFSIG} not found; install poppler-utils")
    with tempfile.TemporaryDirectory(prefix="klubba-pdfsig-") as tmp:
        path = Path(tmp) / "document.pdf"
        path.write_bytes(pdf_bytes)
        # A private empty HOME keeps NSS from reading (or creating) the service
        # user's ~/.pki/nssdb, so results never depend on that machine's trust store.
        # Never pass -nssdir with an empty, uninitialised directory: NSS then fails
        # to start and every signature shows "Unknown Validation Failure".
        env = {"HOME": tmp, "LC_ALL": "C", "PATH": "/usr/bin:/bin"}
        args = [PDFSIG]
        if nssdir is not None:
            args += ["-nssdir", f"sql:{nssdir}"]
        if not ocsp:
            args.append("-no-ocsp")
        proc = subprocess.run(
            [*args, str(path)],
            capture_output=True,
            env=env,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    # Exit codes: 0 ok, 1 unreadable, 2 no signatures; parse stdout regardless.
    return parse_pdfsig_output(proc.stdout.decode("utf-8", errors="replace"))
