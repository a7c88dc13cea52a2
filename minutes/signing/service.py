"""Who makes the signature: the seam where an external signing service can replace the
organisation CA's local keys.

Today Klubba signs with a key it keeps for each user, issued by the organisation CA
(``LocalCaSigningService``; ``minutes.ca_store``). A Swedish municipality may instead want
a signing service in the DIGG style (underskriftstjänst): the user signs with their own eID
(BankID, Freja eID, SITHS) at the service, which returns the signature. Such a service
implements ``SigningService`` and is named in ``KLUBBA["SIGNING_SERVICE"]`` (a dotted path to
a zero-argument factory or class). The justering commands call only this interface.

Everything else in ``minutes.signing`` is a pure library; this module alone reads settings,
and the local implementation imports the CA store (models) only when it signs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SignatureRequest:
    """One PAdES signature to append to ``pdf`` (see ``minutes.signing.sign_pdf``)."""

    pdf: bytes
    field_name: str
    signer_name: str
    reason: str
    location: str | None
    certify: bool
    signing_time: datetime
    empty_fields: Sequence[str] = field(default_factory=tuple)


class SigningService(Protocol):
    """Makes a user's signature. Raises ``minutes.signing.SigningError`` (or a subclass) when
    it cannot; ``WrongPassphrase`` means the installation's key passphrase is wrong."""

    #: Short name recorded with the signature (``local_ca``, ``external``...).
    name: str

    def key_holder(self, user: Any) -> str:
        """Whose key signs, in words for the signing page (never a personal identity number)."""
        ...

    def sign(self, user: Any, request: SignatureRequest) -> bytes:
        """The PDF with the user's signature appended as an incremental update."""
        ...


class LocalCaSigningService:
    """The default: the user's key and certificate from the organisation CA, kept encrypted
    by Klubba (``minutes.ca_store``); the server signs on the user's behalf after checking
    who they are (password, and a second factor where required)."""

    name = "local_ca"

    def key_holder(self, user: Any) -> str:
        organisation = str(settings.KLUBBA.get("ORGANISATION_NAME", ""))
        full_name = user.get_full_name() or user.get_username()
        return f"{full_name} ({organisation})" if organisation else full_name

    def sign(self, user: Any, request: SignatureRequest) -> bytes:
        from minutes import ca_store
        from minutes.signing.sign import sign_pdf

        return sign_pdf(
            request.pdf, credential=ca_store.credential_for(user),
            passphrase=ca_store.passphrase(), ca_cert_pem=ca_store.organisation_ca().cert_pem,
            field_name=request.field_name, signer_name=request.signer_name,
            reason=request.reason, location=request.location, certify=request.certify,
            empty_fields=request.empty_fields, signing_time=request.signing_time,
        )


def signing_service() -> SigningService:
    """The configured service (``KLUBBA["SIGNING_SERVICE"]``), or the local CA."""
    path = settings.KLUBBA.get("SIGNING_SERVICE")
    if not path:
        return LocalCaSigningService()
    service: SigningService = import_string(str(path))()
    return service
