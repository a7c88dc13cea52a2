"""PAdES baseline-B signing of minutes with pyHanko.

Workflow: the chair signs first with a *certification* signature (DocMDP
P=2, "fill forms and sign"), which also creates empty fields for the
adjusters; each adjuster then adds an *approval* signature as an
incremental update of exactly the bytes produced by the previous step.
Never re-save or re-render a signed PDF: that breaks every earlier signature.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from io import BytesIO

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.sign.signers.pdf_signer import PdfSigningSession
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .ca import SignerCredential
from .errors import CredentialMismatch, PdfUnreadable, SigningFailed
from .keys import key_matches_certificate, load_certificate, load_private_key

# pyHanko uses '.' as the separator of fully qualified field names; keep names boring.
FIELD_NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _check_field_name(name: str) -> str:
    if not FIELD_NAME_RE.fullmatch(name):
        raise ValueError(f"Invalid signature field name {name!r}: use [A-Za-z0-9_-], max 64 chars.")
    return name


class _PdfSignerAt(signers.PdfSigner):
    """PdfSigner whose signing time can be fixed (PdfSigner has no public knob for it).

    Under PAdES the CMS signingTime attribute is forbidden, so this time ends up
    only in the signature dictionary's /M entry (inside the signed byte range).
    """

    def __init__(self, *args: object, system_time: datetime | None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._system_time = system_time

    def init_signing_session(  # type: ignore[override]  # we only sign incrementally
        self, pdf_out: IncrementalPdfFileWriter, existing_fields_only: bool = False
    ) -> PdfSigningSession:
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        if self._system_time is not None:
            session.system_time = self._system_time
        return session


def _signing_time(value: datetime | None) -> datetime:
    if value is None:
        value = datetime.now(UTC)
    if value.tzinfo is None:
        raise ValueError("signing_time must be timezone-aware")
    # /M has one-second resolution; dropping microseconds keeps round-trips exact.
    return value.astimezone(UTC).replace(microsecond=0)


def build_signer(
    *, credential: SignerCredential, passphrase: str, ca_cert_pem: bytes
) -> signers.SimpleSigner:
    """Decrypt the key in memory and check it matches a cert issued by our CA."""
    cert = load_certificate(credential.cert_pem)
    ca_cert = load_certificate(ca_cert_pem)
    key = load_private_key(credential.encrypted_key_pem, passphrase=passphrase)
    if not key_matches_certificate(key, cert):
        raise CredentialMismatch("The private key does not belong to the signer certificate.")
    try:
        cert.verify_directly_issued_by(ca_cert)
    except Exception as exc:  # noqa: BLE001 - ValueError/TypeError/InvalidSignature
        raise CredentialMismatch(
            f"The signer certificate was not issued by this CA: {exc}"
        ) from None

    der_key = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    asn1_ca = asn1_x509.Certificate.load(ca_cert.public_bytes(serialization.Encoding.DER))
    return signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
        # The CA cert goes into the CMS certificates set, so the PDF carries its full chain.
        cert_registry=SimpleCertificateStore.from_certs([asn1_ca]),
        embed_roots=True,
    )


def sign_pdf(
    pdf_bytes: bytes,
    *,
    credential: SignerCredential,
    passphrase: str,
    ca_cert_pem: bytes,
    field_name: str,
    signer_name: str | None = None,
    reason: str | None = None,
    location: str | None = None,
    contact_info: str | None = None,
    certify: bool = False,
    empty_fields: Sequence[str] = (),
    signing_time: datetime | None = None,
) -> bytes:
    """Add one signature as an incremental update and return the new PDF bytes.

    ``certify=True`` makes a certification signature (must be the first
    signature) with DocMDP "fill forms and sign"; ``empty_fields`` names
    unsigned fields created in the same revision so later signers fill existing
    fields instead of adding new ones (stricter viewers dislike new fields after
    certification). If ``field_name`` already exists it is signed; otherwise it
    is created invisibly on the last page.

    Raises WrongPassphrase, CredentialMismatch, PdfUnreadable or SigningFailed.
    Uses asyncio.run() internally (pyHanko): call from sync code or a worker
    thread (e.g. asgiref's sync_to_async), not directly inside an event loop.
    """
    _check_field_name(field_name)
    extra = [_check_field_name(name) for name in empty_fields]
    if extra and not certify:
        raise ValueError(
            "empty_fields can only be created together with the certification signature"
        )
    if field_name in extra or len(set(extra)) != len(extra):
        raise ValueError("empty_fields must be unique and differ from field_name")

    when = _signing_time(signing_time)
    cert = load_certificate(credential.cert_pem)
    if not cert.not_valid_before_utc <= when <= cert.not_valid_after_utc:
        # A claimed time outside the validity window would make the signature
        # unverifiable "as of signing time" later on.
        raise SigningFailed(
            f"Signing time {when.isoformat()} is outside the certificate's validity "
            f"({cert.not_valid_before_utc.isoformat()} .. {cert.not_valid_after_utc.isoformat()})."
        )
    signer = build_signer(credential=credential, passphrase=passphrase, ca_cert_pem=ca_cert_pem)
    ca_asn1 = asn1_x509.Certificate.load(
        load_certificate(ca_cert_pem).public_bytes(serialization.Encoding.DER)
    )
    # Pre-sign check: refuse to produce a signature that our own verifier would call
    # untrusted (expired or not-yet-valid certificate, wrong key usage, foreign CA).
    presign_context = ValidationContext(
        trust_roots=[ca_asn1], allow_fetching=False, revocation_mode="soft-fail"
    )
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=certify,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,
        name=signer_name,
        reason=reason,
        location=location,
        contact_info=contact_info,
        validation_context=presign_context,
        signer_key_usage={"non_repudiation"},
    )
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes))
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise PdfUnreadable(f"Cannot read PDF for signing: {exc}") from None

    pdf_signer = _PdfSignerAt(
        meta,
        signer=signer,
        new_field_spec=fields.SigFieldSpec(sig_field_name=field_name, on_page=-1),
        system_time=when,
    )
    try:
        if extra:
            # Create the chair's field first so AcroForm order (which pdfsig and
            # viewers list by) matches the signing order. Template fields are reused.
            existing = {fq_name for fq_name, _, _ in fields.enumerate_sig_fields(writer)}
            for name in (field_name, *extra):
                if name in existing:
                    continue
                fields.append_signature_field(
                    writer, fields.SigFieldSpec(sig_field_name=name, on_page=-1)
                )
        out = pdf_signer.sign_pdf(writer)
    except PyHankoSigningError as exc:
        detail = f"{exc} ({exc.__cause__})" if exc.__cause__ else str(exc)
        raise SigningFailed(detail) from exc
    except PdfError as exc:
        raise PdfUnreadable(f"Cannot sign this PDF: {exc}") from exc
    return out.getvalue()
