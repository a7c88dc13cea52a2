"""Sealing a secret ballot while its vote is open, so the database alone cannot read it.

A cast writes the voter mark, the ballot and the ``ballot.cast`` event in one transaction,
so on PostgreSQL the three rows share an ``xmin`` (and are neighbours in ``ctid`` order):
anyone who can SELECT the tables could pair a voter with a ballot while the vote is open.
So the ballot row holds no readable choice or receipt then: both are sealed with AES-256-GCM
under a key derived (HKDF-SHA256) from Django's ``SECRET_KEY``, which lives in the
environment, not in the database, and the vote's id (bound as associated data too, so a
sealed ballot cannot be moved to another vote). At close the server unseals, counts, and
rewrites the ballots in plaintext in a fresh random order (``voting.commands.votes``).
"""

from __future__ import annotations

import base64
import json
import os
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

SALT = b"klubba-ballot-seal-v1"


class UnsealError(Exception):
    """A sealed ballot that no configured key opens (SECRET_KEY changed mid-vote?)."""


@lru_cache(maxsize=64)
def _aead(secret: str, vote_id: int) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=SALT,
               info=f"vote:{vote_id}".encode()).derive(secret.encode("utf-8"))
    return AESGCM(key)


def _secrets() -> list[str]:
    """The current key first, then SECRET_KEY_FALLBACKS (a rotation during a vote)."""
    return [str(settings.SECRET_KEY), *map(str, getattr(settings, "SECRET_KEY_FALLBACKS", []))]


def seal(vote_id: int, choice: Any, receipt: str) -> str:
    """The choice and receipt as one opaque string (nonce + ciphertext, base64)."""
    nonce = os.urandom(12)
    plain = json.dumps({"c": choice, "r": receipt}, separators=(",", ":")).encode()
    sealed = _aead(_secrets()[0], vote_id).encrypt(nonce, plain, f"vote:{vote_id}".encode())
    return base64.b64encode(nonce + sealed).decode("ascii")


def unseal(vote_id: int, sealed: str) -> tuple[Any, str]:
    """(choice, receipt) of a sealed ballot; UnsealError if no configured key opens it."""
    raw = base64.b64decode(sealed)
    for secret in _secrets():
        try:
            plain = _aead(secret, vote_id).decrypt(raw[:12], raw[12:], f"vote:{vote_id}".encode())
        except InvalidTag:
            continue
        data = json.loads(plain)
        return data["c"], str(data["r"])
    raise UnsealError(f"a sealed ballot of vote {vote_id} does not open with SECRET_KEY")
