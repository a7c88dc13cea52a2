"""Verification of signed minutes against the organisation root only.

verify_pdf() never raises: unreadable input gives [] and a broken signature
gives a report with valid=False and an ``error``. Callers that must tell
"unsigned" from "unreadable" use verify_pdf_or_raise(), which raises
PdfUnreadable instead of returning [] for unparsable input.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from .errors import InvalidKeyMaterial, PdfUnreadable
from .keys import load_certificates

logger = logging.getLogger(__name__)


class Coverage(enum.StrEnum):
    ENTIRE_FILE = "entire_file"  # nothing was appended after this signature
    # Later incremental updates exist: normal for every signature but the last.
    ENTIRE_REVISION = "entire_revision"
    PARTIAL = "partial"  # byte range does not cover its revision: suspicious
    UNKNOWN = "unknown"  # could not be determined (broken signature)


@dataclass(frozen=True)
class SignatureReport:
    """Outcome for one signature field, in signing order (unparsable ones last)."""

    field_name: str
    signer_common_name: str | None
    signing_time: datetime | None  # signer-claimed (/M, inside the signed bytes); not a TSA time
    intact: bool  # the covered bytes hash to the signed digest
    cryptographically_valid: bool  # the CMS signature verifies with the embedded cert
    trusted: bool  # chain to the given root(s), key usage OK, not expired at validation time
    coverage: Coverage
    modification_level: str | None  # "none", "form_filling", ... or None if unknown
    docmdp_ok: bool | None  # later changes are allowed by the certification policy
    certification: bool  # this is the certifying (DocMDP) signature
    signer_cert_fingerprint: str | None
    valid: bool  # the single bit to show users: all of the above are fine
    error: str | None = None


_COVERAGE = {
    SignatureCoverageLevel.ENTIRE_FILE: Coverage.ENTIRE_FILE,
    SignatureCoverageLevel.ENTIRE_REVISION: Coverage.ENTIRE_REVISION,
    SignatureCoverageLevel.CONTIGUOUS_BLOCK_FROM_START: Coverage.PARTIAL,
    SignatureCoverageLevel.UNCLEAR: Coverage.PARTIAL,
}


def _trust_roots(trust_root_pem: bytes) -> list[asn1_x509.Certificate]:
    return [
        asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
        for cert in load_certificates(trust_root_pem)
    ]


def _validation_context(
    roots: list[asn1_x509.Certificate], validation_time: datetime | None
) -> ValidationContext:
    # Only our root(s) are anchors: no OS store, no network. soft-fail because we
    # publish no CRL/OCSP; revocation is handled by not issuing to departed members.
    return ValidationContext(
        trust_roots=roots,
        allow_fetching=False,
        revocation_mode="soft-fail",
        moment=validation_time,
    )


def _is_certification(sig: EmbeddedPdfSignature) -> bool:
    refs = sig.sig_object.get("/Reference", [])
    return any(ref.get_object().get("/TransformMethod") == "/DocMDP" for ref in refs)


def _field_name(sig: EmbeddedPdfSignature) -> str:
    try:
        return str(sig.field_name)
    except Exception:  # noqa: BLE001
        return "?"


def _common_name(cert: asn1_x509.Certificate) -> str | None:
    name = cert.subject.native.get("common_name")
    if isinstance(name, list):  # several CN attributes: take the first
        name = name[0] if name else None
    return str(name) if name is not None else None


def _fingerprint(cert: asn1_x509.Certificate) -> str:
    return ":".join(f"{b:02X}" for b in cert.sha256)


def _report(status: PdfSignatureStatus, sig: EmbeddedPdfSignature) -> SignatureReport:
    coverage = (
        _COVERAGE.get(status.coverage, Coverage.UNKNOWN) if status.coverage else Coverage.UNKNOWN
    )
    level = status.modification_level
    valid = bool(
        status.bottom_line
        and status.docmdp_ok is True
        and coverage in (Coverage.ENTIRE_FILE, Coverage.ENTIRE_REVISION)
    )
    cert = status.signing_cert
    return SignatureReport(
        field_name=_field_name(sig),
        signer_common_name=_common_name(cert),
        signing_time=status.signer_reported_dt,
        intact=bool(status.intact),
        cryptographically_valid=bool(status.valid),
        trusted=bool(status.trusted),
        coverage=coverage,
        modification_level=level.name.lower() if level is not None else None,
        docmdp_ok=status.docmdp_ok,
        certification=_is_certification(sig),
        signer_cert_fingerprint=_fingerprint(cert),
        valid=valid,
    )


def _failed_report(
    field_name: str, exc: Exception, sig: EmbeddedPdfSignature | None = None
) -> SignatureReport:
    cn = fp = None
    certification = False
    if sig is not None:
        try:
            cn, fp = _common_name(sig.signer_cert), _fingerprint(sig.signer_cert)
        except Exception:  # noqa: BLE001 - the CMS blob itself may be garbage
            pass
        try:
            certification = _is_certification(sig)
        except Exception:  # noqa: BLE001
            pass
    return SignatureReport(
        field_name=field_name,
        signer_common_name=cn,
        signing_time=None,
        intact=False,
        cryptographically_valid=False,
        trusted=False,
        coverage=Coverage.UNKNOWN,
        modification_level=None,
        docmdp_ok=None,
        certification=certification,
        signer_cert_fingerprint=fp,
        valid=False,
        error=f"{type(exc).__name__}: {exc}",
    )


def _collect(
    reader: PdfFileReader,
) -> tuple[list[EmbeddedPdfSignature], list[SignatureReport]]:
    """Parse each filled signature field on its own.

    pyHanko's reader.embedded_signatures fails as a whole if one CMS blob is
    garbage, which would make a damaged signed PDF look unsigned; here the bad
    field becomes a failed report instead.
    """
    parsed: list[EmbeddedPdfSignature] = []
    broken: list[SignatureReport] = []
    for fq_name, _sig_obj, sig_field in fields.enumerate_sig_fields(reader, filled_status=True):
        try:
            sig = EmbeddedPdfSignature(reader, sig_field, fq_name)
            if sig.sig_object_type == "/DocTimeStamp":
                continue  # we never add document timestamps; nothing to attribute to a person
            sig.signed_revision  # noqa: B018 - forces the byte-range lookup used for sorting
        except Exception as exc:  # noqa: BLE001
            broken.append(_failed_report(str(fq_name), exc))
            continue
        parsed.append(sig)
    parsed.sort(key=lambda sig: sig.signed_revision)
    return parsed, broken


def verify_pdf_or_raise(
    pdf_bytes: bytes, *, trust_root_pem: bytes, validation_time: datetime | None = None
) -> list[SignatureReport]:
    """Like verify_pdf, but unparsable input raises PdfUnreadable.

    ``trust_root_pem`` may hold several PEM roots (current + retired CAs).
    ``validation_time`` defaults to now; pass the signing time to check old
    minutes whose signer certificates have since expired (no TSA is used, so
    that time is the signer's claim backed by our own audit log).
    Raises InvalidKeyMaterial if ``trust_root_pem`` itself is unreadable:
    that is a configuration bug, not a property of the document.
    """
    roots = _trust_roots(trust_root_pem)
    try:
        reader = PdfFileReader(BytesIO(bytes(pdf_bytes)))
        signatures, broken = _collect(reader)
    except Exception as exc:  # noqa: BLE001 - pyHanko raises many types on garbage
        raise PdfUnreadable(f"{type(exc).__name__}: {exc}") from None

    reports: list[SignatureReport] = []
    for sig in signatures:
        try:
            status = validate_pdf_signature(
                sig, signer_validation_context=_validation_context(roots, validation_time)
            )
            reports.append(_report(status, sig))
        except Exception as exc:  # noqa: BLE001 - one bad signature must not hide the others
            logger.info("signature %s failed validation: %s", _field_name(sig), exc)
            reports.append(_failed_report(_field_name(sig), exc, sig))
    # Unparsable signatures have no known revision; they go last (and are never valid).
    return reports + broken


def verify_pdf(
    pdf_bytes: bytes, *, trust_root_pem: bytes, validation_time: datetime | None = None
) -> list[SignatureReport]:
    """Validate every signature; never raises on bad documents (unreadable -> [])."""
    try:
        return verify_pdf_or_raise(
            pdf_bytes, trust_root_pem=trust_root_pem, validation_time=validation_time
        )
    except PdfUnreadable as exc:
        logger.info("unreadable PDF: %s", exc)
        return []
    except InvalidKeyMaterial:
        raise
    except Exception as exc:  # noqa: BLE001 - last line of defence for the "never raises" promise
        logger.warning("unexpected error while verifying PDF", exc_info=exc)
        return []


def all_valid(reports: list[SignatureReport], *, expected: int | None = None) -> bool:
    """True if there is at least one (or exactly ``expected``) signature, all valid,
    and the last one covers the entire file (nothing unsigned was appended)."""
    if not reports or (expected is not None and len(reports) != expected):
        return False
    return all(r.valid for r in reports) and reports[-1].coverage is Coverage.ENTIRE_FILE
