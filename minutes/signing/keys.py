"""Key and certificate (de)serialisation helpers.

Private keys are only ever stored as PKCS#8 PEM encrypted with a passphrase
(cryptography's BestAvailableEncryption: today PBES2 / PBKDF2-HMAC-SHA256 /
AES-256-CBC). The KDF iteration count is modest, so the passphrase must be
long and random; see docs/signing-notes.md.
"""

from __future__ import annotations

from asn1crypto import keys as asn1_keys
from asn1crypto import pem as asn1_pem
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from .errors import ConfigurationError, InvalidKeyMaterial, WrongPassphrase

CURVE = ec.SECP256R1


def generate_key() -> ec.EllipticCurvePrivateKey:
    """Fresh P-256 key: small signatures, fast, accepted by Adobe, pdfsig and pyHanko."""
    return ec.generate_private_key(CURVE())


def _passphrase_bytes(passphrase: str) -> bytes:
    if not isinstance(passphrase, str) or not passphrase:
        raise ConfigurationError("A non-empty passphrase is required to protect private keys.")
    return passphrase.encode("utf-8")


def encrypt_private_key(key: ec.EllipticCurvePrivateKey, *, passphrase: str) -> bytes:
    """Serialise a key for storage; never write an unencrypted key anywhere."""
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.BestAvailableEncryption(_passphrase_bytes(passphrase)),
    )


def load_private_key(encrypted_key_pem: bytes, *, passphrase: str) -> ec.EllipticCurvePrivateKey:
    """Decrypt a stored key, mapping cryptography's ValueError/TypeError to typed errors."""
    secret = _passphrase_bytes(passphrase)
    if b"ENCRYPTED PRIVATE KEY" not in encrypted_key_pem:
        # Refuse plaintext keys: they would load with any passphrase and hide a leak.
        raise InvalidKeyMaterial("Expected an encrypted PKCS#8 PEM private key.")
    if not _envelope_is_sound(encrypted_key_pem):
        raise InvalidKeyMaterial("Unreadable encrypted private key envelope.")
    try:
        key = serialization.load_pem_private_key(encrypted_key_pem, password=secret)
    except ValueError:
        # The envelope is sound, so what fails is the decryption. A wrong passphrase
        # usually fails the CBC padding ("Incorrect password"), but about one in 256
        # yields valid padding around garbage, which then fails as unparseable key
        # data: that is a wrong passphrase too, not a damaged key.
        raise WrongPassphrase("Wrong passphrase for the private key.") from None
    except Exception as exc:  # noqa: BLE001 - TypeError, UnsupportedAlgorithm, ...
        raise InvalidKeyMaterial(f"Unreadable private key: {exc}") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise InvalidKeyMaterial("Expected an ECDSA private key.")
    return key


def _envelope_is_sound(encrypted_key_pem: bytes) -> bool:
    """Whether the PEM holds a well-formed EncryptedPrivateKeyInfo (read without decrypting)."""
    try:
        _kind, _headers, der = asn1_pem.unarmor(encrypted_key_pem)
        info = asn1_keys.EncryptedPrivateKeyInfo.load(der, strict=True)
        info.native  # noqa: B018 - parses every field, so damage shows here
    except Exception:  # noqa: BLE001 - asn1crypto raises ValueError, TypeError, ...
        return False
    return True


def key_matches_certificate(key: ec.EllipticCurvePrivateKey, cert: x509.Certificate) -> bool:
    """Whether ``key`` is the private half of the key ``cert`` certifies."""
    der = serialization.Encoding.DER
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    return key.public_key().public_bytes(der, spki) == cert.public_key().public_bytes(der, spki)


def load_certificate(cert_pem: bytes | str) -> x509.Certificate:
    """Parse one PEM certificate (the first one, if a bundle is given)."""
    certs = load_certificates(cert_pem)
    return certs[0]


def load_certificates(pem_bundle: bytes | str) -> list[x509.Certificate]:
    """Parse a PEM bundle; several roots in one blob is how rotated CAs stay trusted."""
    data = pem_bundle.encode("ascii") if isinstance(pem_bundle, str) else pem_bundle
    try:
        certs = x509.load_pem_x509_certificates(data)
    except (ValueError, TypeError) as exc:
        raise InvalidKeyMaterial(f"Unreadable PEM certificate: {exc}") from None
    if not certs:
        raise InvalidKeyMaterial("No PEM certificate found.")
    return certs


def certificate_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def fingerprint_sha256(cert_pem: bytes | str) -> str:
    """SHA-256 over the DER certificate as 'AB:CD:...', the form people compare by eye."""
    digest = load_certificate(cert_pem).fingerprint(hashes.SHA256())
    return ":".join(f"{b:02X}" for b in digest)


def passphrase_from_settings() -> str:
    """Installation passphrase from settings.KLUBBA['SIGNING_KEY_PASSPHRASE'] (env-backed).

    Optional convenience: the library itself always takes the passphrase as an argument.
    """
    from django.conf import settings  # local import: the library works without Django

    value = getattr(settings, "KLUBBA", {}).get("SIGNING_KEY_PASSPHRASE", "")
    if not value:
        raise ConfigurationError(
            "KLUBBA_SIGNING_KEY_PASSPHRASE is not set; signing keys cannot be protected."
        )
    return str(value)
