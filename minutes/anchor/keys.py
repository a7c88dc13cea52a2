"""The log anchoring key: Ed25519, beside the organisation CA in the signing directory.

``log-anchor-key.pem`` holds the private key as encrypted PKCS#8 (the installation's signing
passphrase); ``log-anchor-public.pem`` is its public part, which is what a verifier needs and
what the organisation publishes. The key id is the first 16 hex digits of the SHA-256 of the
raw public key.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from minutes import ca_store
from minutes.signing import ConfigurationError, InvalidKeyMaterial, WrongPassphrase

KEY_FILENAME = "log-anchor-key.pem"
PUBLIC_FILENAME = "log-anchor-public.pem"


def key_path() -> Path:
    return ca_store.signing_dir() / KEY_FILENAME


def public_path() -> Path:
    return ca_store.signing_dir() / PUBLIC_FILENAME


def key_exists() -> bool:
    return key_path().exists()


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def init_key() -> str:
    """Create the anchoring key (refuses to overwrite one); returns its key id."""
    directory = ca_store.signing_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = Ed25519PrivateKey.generate()
    encrypted = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(ca_store.passphrase().encode("utf-8")),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    fd = os.open(key_path(), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(encrypted)
    public_path().write_bytes(public)
    _private.cache_clear()
    return key_id(key.public_key())


@lru_cache(maxsize=4)
def _private(path: str, mtime_ns: int, secret: str) -> Ed25519PrivateKey:
    """Decrypting costs a KDF run; cache per file version and passphrase."""
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(),
                                                 password=secret.encode("utf-8"))
    except ValueError as exc:
        raise WrongPassphrase(f"cannot decrypt the log anchoring key: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidKeyMaterial("the log anchoring key is not an Ed25519 key")
    return key


def private_key() -> Ed25519PrivateKey:
    path = key_path()
    if not path.exists():
        raise ConfigurationError(f"no log anchoring key in {path.parent}; run "
                                 "`klubba log_anchor init`")
    return _private(str(path), path.stat().st_mtime_ns, ca_store.passphrase())


def public_key() -> Ed25519PublicKey | None:
    """The published public key, or None when the installation has no anchoring key."""
    path = public_path()
    if not path.exists():
        return None
    key = serialization.load_pem_public_key(path.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise InvalidKeyMaterial(f"{path} is not an Ed25519 public key")
    return key


def verifies(public: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    try:
        public.verify(signature, message)
    except InvalidSignature:
        return False
    return True
