"""Organisation root CA and signer certificates.

One self-signed root per organisation is the only trust anchor Klubba uses:
verifiers are given its certificate (or its fingerprint) out of band. Signer
certificates are issued directly by the root (no intermediates, pathLen 0).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from .errors import CredentialMismatch, InvalidKeyMaterial
from .keys import (
    certificate_pem,
    encrypt_private_key,
    fingerprint_sha256,
    generate_key,
    key_matches_certificate,
    load_certificate,
    load_private_key,
)

CA_VALID_DAYS = 3653  # ~10 years
SIGNER_VALID_DAYS = 731  # ~2 years
# Backdate notBefore a little so a verifier whose clock lags does not see "not yet valid".
CLOCK_SKEW = timedelta(minutes=5)
# RFC 9336 id-kp-documentSigning. Listed next to emailProtection, which Adobe and NSS know.
DOCUMENT_SIGNING_OID = ObjectIdentifier("1.3.6.1.5.5.7.3.36")

CA_CERT_FILENAME = "ca-cert.pem"
CA_KEY_FILENAME = "ca-key.pem"


@dataclass(frozen=True)
class OrganisationCA:
    """The root certificate (public) and its key (encrypted PKCS#8 PEM)."""

    cert_pem: bytes
    encrypted_key_pem: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint_sha256(self.cert_pem)


@dataclass(frozen=True)
class SignerCredential:
    """A person's signing certificate plus their key, encrypted at rest."""

    cert_pem: bytes
    encrypted_key_pem: bytes

    @property
    def common_name(self) -> str:
        return _common_name(load_certificate(self.cert_pem))

    @property
    def not_valid_after(self) -> datetime:
        return load_certificate(self.cert_pem).not_valid_after_utc


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("Timestamps must be timezone-aware.")
    return now.astimezone(UTC)


def _common_name(cert: x509.Certificate) -> str:
    attrs = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(attrs[0].value) if attrs else ""


def _organisation(cert: x509.Certificate) -> str:
    attrs = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return str(attrs[0].value) if attrs else ""


def create_root_ca(
    *,
    organisation: str,
    passphrase: str,
    valid_days: int = CA_VALID_DAYS,
    now: datetime | None = None,
) -> OrganisationCA:
    """Create the organisation's self-signed root; done once per installation."""
    organisation = organisation.strip()
    if not organisation:
        raise ValueError("organisation must not be empty")
    start = _now(now)
    key = generate_key()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{organisation} Klubba rot-CA"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
        ]
    )
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start - CLOCK_SKEW)
        .not_valid_after(start + timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    return OrganisationCA(
        cert_pem=certificate_pem(cert),
        encrypted_key_pem=encrypt_private_key(key, passphrase=passphrase),
    )


def issue_signer_credential(
    *,
    ca: OrganisationCA,
    ca_passphrase: str,
    full_name: str,
    key_passphrase: str,
    email: str | None = None,
    valid_days: int = SIGNER_VALID_DAYS,
    now: datetime | None = None,
) -> SignerCredential:
    """Issue a fresh key + certificate for one person; O is copied from the CA."""
    full_name = " ".join(full_name.split())
    if not full_name:
        raise ValueError("full_name must not be empty")
    ca_cert = load_certificate(ca.cert_pem)
    ca_key = load_private_key(ca.encrypted_key_pem, passphrase=ca_passphrase)
    if not key_matches_certificate(ca_key, ca_cert):
        raise CredentialMismatch("The CA key does not belong to the CA certificate.")

    start = _now(now)
    # A leaf must not outlive its issuer, or chain validation fails before the leaf expires.
    end = min(start + timedelta(days=valid_days), ca_cert.not_valid_after_utc)
    key = generate_key()
    subject = [x509.NameAttribute(NameOID.COMMON_NAME, full_name)]
    organisation = _organisation(ca_cert)
    if organisation:
        subject.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    subject.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"))

    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(subject))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start - CLOCK_SKEW)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # a.k.a. nonRepudiation; pyHanko requires it by default
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING_OID]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(_authority_key_id(ca_cert), critical=False)
    )
    if email:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
        )
    cert = builder.sign(ca_key, hashes.SHA256())
    return SignerCredential(
        cert_pem=certificate_pem(cert),
        encrypted_key_pem=encrypt_private_key(key, passphrase=key_passphrase),
    )


def _authority_key_id(ca_cert: x509.Certificate) -> x509.AuthorityKeyIdentifier:
    """AKI must equal the issuer's SKI byte for byte, so copy it when present."""
    try:
        ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    except x509.ExtensionNotFound:
        return x509.AuthorityKeyIdentifier.from_issuer_public_key(
            ca_cert.public_key())  # type: ignore[arg-type]  # our CA keys are EC keys
    return x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)


def save_ca(ca: OrganisationCA, *, directory: Path) -> None:
    """Write ca-cert.pem (0644) and ca-key.pem (0600); refuse to overwrite an existing CA."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    existing = [name for name in (CA_KEY_FILENAME, CA_CERT_FILENAME) if (directory / name).exists()]
    if existing:
        raise FileExistsError(f"Refusing to overwrite {', '.join(existing)} in {directory}")
    for filename, data, mode in (
        (CA_KEY_FILENAME, ca.encrypted_key_pem, 0o600),
        (CA_CERT_FILENAME, ca.cert_pem, 0o644),
    ):
        path = directory / filename
        # O_EXCL: overwriting a CA silently would orphan every certificate it issued.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)


def load_ca(*, directory: Path) -> OrganisationCA:
    """Read what save_ca wrote; the key stays encrypted until a passphrase is supplied."""
    try:
        cert_pem = (directory / CA_CERT_FILENAME).read_bytes()
        key_pem = (directory / CA_KEY_FILENAME).read_bytes()
    except FileNotFoundError as exc:
        raise InvalidKeyMaterial(f"No organisation CA in {directory}: {exc.filename}") from None
    load_certificate(cert_pem)  # fail early on a corrupted file
    return OrganisationCA(cert_pem=cert_pem, encrypted_key_pem=key_pem)
