"""Signing library for minutes: organisation CA, signer certificates, PAdES signing, verification.

Pure Python on top of cryptography + pyHanko; no Django models. See docs/signing-notes.md.
"""

from .ca import (
    OrganisationCA,
    SignerCredential,
    create_root_ca,
    issue_signer_credential,
    load_ca,
    save_ca,
)
from .errors import (
    ConfigurationError,
    CredentialMismatch,
    InvalidKeyMaterial,
    PdfUnreadable,
    SigningError,
    SigningFailed,
    WrongPassphrase,
)
from .keys import fingerprint_sha256, load_private_key, passphrase_from_settings
from .pdfsig import PDFSIG, PdfsigSignature, pdfsig_available, pdfsig_report
from .sign import sign_pdf
from .verify import Coverage, SignatureReport, all_valid, verify_pdf, verify_pdf_or_raise

__all__ = [
    "PDFSIG",
    "PdfsigSignature",
    "pdfsig_available",
    "ConfigurationError",
    "Coverage",
    "CredentialMismatch",
    "InvalidKeyMaterial",
    "OrganisationCA",
    "PdfUnreadable",
    "SignatureReport",
    "SignerCredential",
    "SigningError",
    "SigningFailed",
    "WrongPassphrase",
    "all_valid",
    "create_root_ca",
    "fingerprint_sha256",
    "issue_signer_credential",
    "load_ca",
    "load_private_key",
    "passphrase_from_settings",
    "pdfsig_report",
    "save_ca",
    "sign_pdf",
    "verify_pdf",
    "verify_pdf_or_raise",
]
