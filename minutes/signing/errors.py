"""Typed errors, so callers can tell a wrong passphrase from a broken PDF from a bug."""


class SigningError(Exception):
    """Base class for every error this package raises on purpose."""


class WrongPassphrase(SigningError):
    """An encrypted private key could not be decrypted with the given passphrase."""


class InvalidKeyMaterial(SigningError):
    """A PEM blob is not a certificate/key of the expected kind (corrupt or wrong type)."""


class CredentialMismatch(SigningError):
    """The signer key does not belong to the certificate, or the CA did not issue it."""


class PdfUnreadable(SigningError):
    """The input is not a PDF we can parse (not a PDF, truncated, corrupted xref, ...)."""


class SigningFailed(SigningError):
    """pyHanko refused to sign, e.g. the field is already signed or DocMDP forbids it."""


class ConfigurationError(SigningError):
    """Required settings (passphrase, organisation name) are missing."""
