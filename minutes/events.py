"""Event types of the minutes app and the shape of each payload.

The log keeps payloads for ever: a type or key that is not declared here is refused by
``meetings.log.append_events`` (see ``meetings.event_registry``). Change a shape only by
adding optional keys, and keep every reader (minutes fold, stream) able to read old events.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypedDict

from meetings.event_registry import register_event_types


class MinutesEventType(StrEnum):
    MINUTES_JUSTERING_SET = "minutes.justering_set"
    MINUTES_LOCKED = "minutes.locked"
    MINUTES_PARAGRAPH_APPROVED = "minutes.paragraph_approved"
    MINUTES_PARAGRAPH_SIGNED = "minutes.paragraph_signed"
    MINUTES_PARAGRAPH_TEXT_SET = "minutes.paragraph_text_set"
    MINUTES_POSTED = "minutes.posted"
    MINUTES_REMARK_ADDED = "minutes.remark_added"
    MINUTES_SIGNED = "minutes.signed"
    MINUTES_RECIPIENTS_SET = "minutes.recipients_set"
    MINUTES_EXTRACT_CERTIFIED = "minutes.extract_certified"
    MINUTES_EXTRACT_DISPATCHED = "minutes.extract_dispatched"


class MinutesJusteringSet(TypedDict):
    text: str


class Signer(TypedDict):
    """One who signs the locked minutes or an extract, in signing order (chair first)."""

    user_id: int
    name: str
    role: str  # "chair" (certifies) or "adjuster" (approves)
    field: str  # the PDF signature field: "Ordforande", "Justerare1", ...


class _MinutesLockedRequired(TypedDict):
    document_id: int
    log_seq: int  # the frozen head: the minutes are built from the log up to this seq
    log_hash: str
    paragraph_base: int
    full_sha256: str
    public_sha256: str
    paragraphs: list[int]  # [first §, last §], or [] when no item was handled
    numbers: dict[str, int]  # str(item_id) -> § number
    signers: list[Signer]
    by: str


class DocumentVersion(TypedDict, total=False):
    """Which version of the locked minutes an event is about (the justering loop: a version
    with remarks is followed by a revised one). Not in events logged before versions; those
    are version 1."""

    version: int


class MinutesLocked(_MinutesLockedRequired, DocumentVersion, total=False):
    supersedes: int  # the document id of the version this one replaces


class _MinutesParagraphSignedRequired(TypedDict):
    document_id: int
    item_id: int
    title: str
    confidential: bool
    user_id: int
    name: str
    role: str
    position: int
    full_sha256: str
    public_sha256: str
    complete: bool


class SignerIdentityCheck(TypedDict, total=False):
    """How the signer's identity was checked just before signing (step-up). Not in events
    logged before it was added."""

    identity_method: str  # "password", "password+totp", "password+recovery_code", ...
    identity_checked_at: str  # ISO time of the check of the freshest factor
    signing_service: str  # who made the signature: "local_ca", or an external service


class MinutesParagraphSigned(_MinutesParagraphSignedRequired, SignerIdentityCheck,
                             total=False):
    pass


class MinutesParagraphTextSet(TypedDict):
    item_id: int
    position: int
    title: str
    confidential: bool
    text: str
    by: str


class MinutesPosted(TypedDict):
    document_id: int
    publication_id: int
    posted_on: str
    appeal_last_day: str
    taken_down_on: str
    kept_at: str
    full_sha256: str
    public_sha256: str
    by: str


class _MinutesSignedRequired(TypedDict):
    document_id: int
    user_id: int
    name: str
    role: str
    field: str
    position: int
    signed_at: str
    full_sha256: str
    public_sha256: str
    complete: bool


class MinutesSigned(_MinutesSignedRequired, SignerIdentityCheck, DocumentVersion, total=False):
    pass


class ParagraphReview(TypedDict):
    """A reviewer's act on one § of a locked version: a remark, or its approval."""

    document_id: int
    version: int
    item_id: int
    paragraph: int  # the § number
    title: str
    confidential: bool
    user_id: int
    name: str
    role: str  # "chair" or "adjuster"


class MinutesRemarkAdded(ParagraphReview):
    text: str


class MinutesParagraphApproved(ParagraphReview):
    pass


class RecipientRow(TypedDict):
    """One recipient of a decision ("Beslutet skickas till"); ``email`` may be empty (sent
    by post or handed over)."""

    name: str
    organisation: str
    email: str


class MinutesRecipientsSet(TypedDict):
    """The secretary's list of who the decision of an item is sent to (replaces the last)."""

    item_id: int
    title: str
    confidential: bool
    recipients: list[RecipientRow]
    by: str


class _MinutesExtractCertifiedRequired(TypedDict):
    extract_id: int
    number: int  # the meeting's extracts in order: 1, 2, ...
    document_id: int  # the signed minutes the paragraphs are taken from
    minutes_sha256: str  # ... as signed (the full version's current bytes)
    item_ids: list[int]
    paragraphs: list[int]
    public: bool  # the public version of the paragraphs (no confidential §)
    confidential: bool  # holds a confidential § (internal extracts only)
    sha256: str  # the certified extract PDF
    user_id: int
    name: str
    signed_at: str


class MinutesExtractCertified(_MinutesExtractCertifiedRequired, SignerIdentityCheck,
                              total=False):
    """Protokollsutdrag: the secretary certifies ("Rätt utdraget intygar") with a PAdES
    signature an extract of one or more § of the signed minutes."""


class DispatchResult(TypedDict):
    name: str
    organisation: str
    email: str
    result: str  # "sent", "failed" or "no_email" (send by post or hand over)
    error: str


class MinutesExtractDispatched(TypedDict):
    """Expediering: the extract was e-mailed to the recipients of its paragraphs."""

    dispatch_id: int
    extract_id: int
    item_ids: list[int]
    paragraphs: list[int]
    recipients: list[DispatchResult]
    sent_at: str
    by: str


PAYLOADS: dict[MinutesEventType, Any] = {
    MinutesEventType.MINUTES_JUSTERING_SET: MinutesJusteringSet,
    MinutesEventType.MINUTES_LOCKED: MinutesLocked,
    MinutesEventType.MINUTES_PARAGRAPH_APPROVED: MinutesParagraphApproved,
    MinutesEventType.MINUTES_PARAGRAPH_SIGNED: MinutesParagraphSigned,
    MinutesEventType.MINUTES_PARAGRAPH_TEXT_SET: MinutesParagraphTextSet,
    MinutesEventType.MINUTES_POSTED: MinutesPosted,
    MinutesEventType.MINUTES_REMARK_ADDED: MinutesRemarkAdded,
    MinutesEventType.MINUTES_SIGNED: MinutesSigned,
    MinutesEventType.MINUTES_RECIPIENTS_SET: MinutesRecipientsSet,
    MinutesEventType.MINUTES_EXTRACT_CERTIFIED: MinutesExtractCertified,
    MinutesEventType.MINUTES_EXTRACT_DISPATCHED: MinutesExtractDispatched,
}


def register() -> None:
    register_event_types(PAYLOADS)
