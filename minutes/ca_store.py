"""The installation's organisation CA and the signers' credentials, on top of minutes.signing.

The CA lives in files under ``settings.KLUBBA["SIGNING_DIR"]`` (ca-cert.pem, ca-key.pem), its
key and every signer's key encrypted with ``settings.KLUBBA["SIGNING_KEY_PASSPHRASE"]``.
Older roots that must stay trusted after a rotation go in ``retired-roots.pem`` next to them.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import timezone

from meetings.roles import Actor, display_name, query_id
from minutes.models import SigningCredential
from minutes.signing import (
    ConfigurationError,
    OrganisationCA,
    SignerCredential,
    create_root_ca,
    fingerprint_sha256,
    issue_signer_credential,
    load_ca,
    save_ca,
)
from minutes.signing.keys import load_certificate

# Only ever used when DEBUG is on and no passphrase is configured (development, demo).
DEBUG_PASSPHRASE = "klubba-debug-only-signing-passphrase"  # noqa: S105
RETIRED_ROOTS = "retired-roots.pem"


def signing_dir() -> Path:
    return Path(str(settings.KLUBBA["SIGNING_DIR"]))


def passphrase() -> str:
    """The installation's key-encryption passphrase; refused if missing outside DEBUG."""
    value = str(settings.KLUBBA.get("SIGNING_KEY_PASSPHRASE") or "")
    if value:
        return value
    if settings.DEBUG:
        return DEBUG_PASSPHRASE
    raise ConfigurationError(
        "KLUBBA_SIGNING_KEY_PASSPHRASE is not set; signing keys cannot be protected."
    )


def ca_exists() -> bool:
    return (signing_dir() / "ca-cert.pem").exists()


def init_ca(*, organisation: str | None = None) -> OrganisationCA:
    """Create and save the organisation CA; refuses to overwrite an existing one."""
    ca = create_root_ca(
        organisation=organisation or str(settings.KLUBBA.get("ORGANISATION_NAME") or "Klubba"),
        passphrase=passphrase(),
    )
    save_ca(ca, directory=signing_dir())
    return ca


def organisation_ca() -> OrganisationCA:
    return load_ca(directory=signing_dir())


def trust_roots_pem() -> bytes:
    """The current root plus any retired roots: what a verifier must trust."""
    pem = organisation_ca().cert_pem
    retired = signing_dir() / RETIRED_ROOTS
    if retired.exists():
        pem = pem.rstrip(b"\n") + b"\n" + retired.read_bytes()
    return pem


def root_fingerprint() -> str:
    return fingerprint_sha256(organisation_ca().cert_pem)


def credential_for(user: Actor) -> SignerCredential:
    """The user's signing credential, issued at first use or when the CA has changed."""
    ca = organisation_ca()
    fingerprint = fingerprint_sha256(ca.cert_pem)
    record = SigningCredential.objects.filter(user_id=query_id(user)).first()
    now = timezone.now()
    if record is not None and record.ca_fingerprint == fingerprint:
        if load_certificate(record.cert_pem.encode()).not_valid_after_utc > now:
            return SignerCredential(record.cert_pem.encode(), record.encrypted_key_pem.encode())
    secret = passphrase()
    issued = issue_signer_credential(
        ca=ca, ca_passphrase=secret, full_name=display_name(user), key_passphrase=secret,
        email=getattr(user, "email", None) or None,
    )
    SigningCredential.objects.update_or_create(
        user=user,
        defaults={"cert_pem": issued.cert_pem.decode(),
                  "encrypted_key_pem": issued.encrypted_key_pem.decode(),
                  "ca_fingerprint": fingerprint, "created_at": now},
    )
    return issued
