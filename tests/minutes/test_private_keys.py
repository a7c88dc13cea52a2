"""A stored private key refuses a wrong passphrase the same way every time.

AES-CBC decrypted under a wrong key ends in valid padding about once in 256 tries;
cryptography then reports unparseable key data instead of a wrong password. The
signer must still be told "wrong passphrase", never "your key is damaged".
"""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization

from minutes.signing import InvalidKeyMaterial, WrongPassphrase, load_private_key
from minutes.signing.keys import encrypt_private_key, generate_key

PASSPHRASE = "the right passphrase, long enough"


def _passphrase_that_decrypts_to_garbage(pem: bytes) -> str:
    """A wrong passphrase whose decryption passes the padding check (about 1 in 256)."""
    for attempt in range(5_000):
        candidate = f"wrong {attempt}"
        try:
            serialization.load_pem_private_key(pem, password=candidate.encode())
        except ValueError as exc:
            if "password" not in str(exc).lower():
                return candidate
    pytest.fail("no wrong passphrase with valid padding among 5,000 (odds about 1e-9)")


def test_a_wrong_passphrase_with_valid_padding_is_still_a_wrong_passphrase() -> None:
    pem = encrypt_private_key(generate_key(), passphrase=PASSPHRASE)
    unlucky = _passphrase_that_decrypts_to_garbage(pem)
    with pytest.raises(WrongPassphrase):
        load_private_key(pem, passphrase=unlucky)
    assert load_private_key(pem, passphrase=PASSPHRASE) is not None


def test_a_damaged_envelope_is_invalid_key_material() -> None:
    pem = encrypt_private_key(generate_key(), passphrase=PASSPHRASE)
    lines = pem.splitlines()
    damaged = b"\n".join([lines[0], b"AAAA" + lines[1][4:], *lines[2:]])
    with pytest.raises(InvalidKeyMaterial):
        load_private_key(damaged, passphrase=PASSPHRASE)
    truncated = b"\n".join([lines[0], lines[1], lines[-1]])
    with pytest.raises(InvalidKeyMaterial):
        load_private_key(truncated, passphrase=PASSPHRASE)
