"""The API's request and response shapes (pydantic, through django-ninja): the same classes
validate the requests and write the OpenAPI schema. Choices and lengths are checked again by
the domain functions (``meetings.setup``), which own the rules; here only the types."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from ninja import Field, Schema
from pydantic import field_validator

#: A NUL (PostgreSQL text refuses it) or a lone UTF-16 surrogate (not encodable as UTF-8):
#: JSON can carry both; refused here as ``validation_failed`` rather than by the database.
BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")


def bad_string(value: Any) -> bool:
    """Whether ``value`` holds, at any depth, a string no database column takes."""
    if isinstance(value, str):
        return BAD_CHARACTER.search(value) is not None
    if isinstance(value, dict):
        return any(bad_string(k) or bad_string(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(bad_string(v) for v in value)
    return False


class In(Schema):
    """A request body: its strings hold no NUL and no lone surrogate."""

    @field_validator("*", mode="after")
    @classmethod
    def _storable_strings(cls, value: Any) -> Any:
        if bad_string(value):
            raise ValueError("contains a NUL character or a lone surrogate")
        return value


class ErrorBody(Schema):
    code: str = Field(description="Stable error code (docs/protocol.md, docs/api.md).")
    message: str = Field(description="For people: Swedish, or English with ?lang=en.")
    details: dict[str, Any]


class ErrorOut(Schema):
    error: ErrorBody


# --- People -------------------------------------------------------------------------------

class PersonIn(In):
    first_name: str = Field(max_length=150)
    last_name: str = Field(max_length=150)
    email: str = Field(max_length=254)


class PersonOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    created: bool = False


# --- Bodies -------------------------------------------------------------------------------

class BodyRules(In):
    remote_ruleset: str | None = None
    quorum_rule: str | None = None
    abstain_policy: str | None = None
    secret_ballot_policy: str | None = None
    substitute_policy: str | None = None
    substitutes_may_speak: bool | None = None
    minutes_keep_recusal_reasons: bool | None = None
    chair_controls_meeting: bool | None = None
    presiding_succession: str | None = None
    presence_grace_seconds: int | None = Field(None, ge=0, le=3600)


class BodyIn(BodyRules):
    name: str = Field(max_length=200)
    kind: str = "namnd"
    organisation: str = Field("", max_length=200)
    seats_count: int = Field(ge=1, le=1000)


class BodyPatch(BodyRules):
    name: str | None = Field(None, max_length=200)
    kind: str | None = None
    organisation: str | None = Field(None, max_length=200)
    seats_count: int | None = Field(None, ge=1, le=1000)


class SeatIn(In):
    member_id: int
    number: int | None = Field(None, ge=1, le=1000)
    party: str = Field("", max_length=80)
    weight: int = Field(1, ge=1, le=1000)
    term_start: date | None = None
    term_end: date | None = None


class SeatPatch(In):
    member_id: int | None = None
    number: int | None = Field(None, ge=1, le=1000)
    party: str | None = Field(None, max_length=80)
    weight: int | None = Field(None, ge=1, le=1000)
    term_start: date | None = None
    term_end: date | None = None
    clear_term: bool = False


class SeatOut(Schema):
    id: int
    number: int
    member_id: int
    member_name: str
    party: str
    weight: int
    term_start: date | None
    term_end: date | None


class SubstituteIn(In):
    user_id: int
    party: str = Field("", max_length=80)
    call_in_order: int | None = Field(None, ge=1, le=1000)
    term_start: date | None = None
    term_end: date | None = None


class SubstitutePatch(In):
    party: str | None = Field(None, max_length=80)
    term_start: date | None = None
    term_end: date | None = None
    clear_term: bool = False


class SubstituteOut(Schema):
    id: int
    user_id: int
    name: str
    party: str
    call_in_order: int
    term_start: date | None
    term_end: date | None


class OrderIn(In):
    ids: list[int] = Field(max_length=1000, description="Every id once, first first.")


class OfficeIn(In):
    user_id: int
    role: str = Field(description="chair, vice_chair or secretary")


class OfficeOut(Schema):
    id: int
    user_id: int
    name: str
    role: str


class BodyOut(Schema):
    id: int
    name: str
    kind: str
    organisation: str
    seats_count: int
    remote_ruleset: str
    quorum_rule: str
    abstain_policy: str
    secret_ballot_policy: str
    substitute_policy: str
    substitutes_may_speak: bool
    minutes_keep_recusal_reasons: bool
    chair_controls_meeting: bool
    presiding_succession: str
    presence_grace_seconds: int


class BodyDetailOut(BodyOut):
    seats: list[SeatOut]
    substitutes: list[SubstituteOut]
    offices: list[OfficeOut]


# --- Meetings and agendas -------------------------------------------------------------------

class MeetingIn(In):
    title: str = Field(max_length=200)
    starts_at: datetime
    ends_at: datetime | None = None
    place: str = Field("", max_length=200)
    video_link: str = Field("", max_length=200)
    is_public: bool | None = Field(None, description="Default: public for fullmäktige only.")


class MeetingPatch(In):
    title: str | None = Field(None, max_length=200)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str | None = Field(None, max_length=200)
    video_link: str | None = Field(None, max_length=200)
    is_public: bool | None = None
    clear_ends_at: bool = False


class AttachmentOut(Schema):
    id: int
    title: str
    file_name: str
    size: int | None
    url: str


class ItemFields(In):
    title: str = Field(max_length=300)
    case_number: str = Field("", max_length=60, description="Dnr (diarienummer)")
    presenter: str = Field("", max_length=200, description="Föredragande")
    description: str = Field("", max_length=100_000)
    prepared_proposal: str = Field("", max_length=100_000, description="Beslutsförslag")
    confidential: bool = Field(False, description="Sekretess: placed last, never public")


class ItemIn(ItemFields):
    position: int | None = Field(None, ge=1, le=1000)


class ItemPatch(In):
    title: str | None = Field(None, max_length=300)
    case_number: str | None = Field(None, max_length=60)
    presenter: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=100_000)
    prepared_proposal: str | None = Field(None, max_length=100_000)
    confidential: bool | None = None


class AgendaImportIn(In):
    items: list[ItemFields] = Field(min_length=1, max_length=300)
    replace: bool = Field(False, description="Remove the items already on the agenda first.")


class AgendaCopyIn(In):
    source_meeting_id: int


class ItemOut(Schema):
    id: int
    position: int
    title: str
    case_number: str
    presenter: str
    description: str
    prepared_proposal: str
    confidential: bool
    state: str
    paragraph: int | None
    attachments: list[AttachmentOut]


class MeetingOut(Schema):
    id: int
    body_id: int
    title: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    video_link: str
    is_public: bool
    remote_allowed: bool
    status: str
    last_seq: int


class MeetingDetailOut(MeetingOut):
    items: list[ItemOut]


class EventRef(Schema):
    seq: int = Field(description="The log entry the change made (for ``since=``).")
    type: str


class ItemChangeOut(Schema):
    event: EventRef
    item: ItemOut | None


class AgendaOut(Schema):
    events: list[EventRef]
    items: list[ItemOut]


# --- The log ----------------------------------------------------------------------------

class LogEntryOut(Schema):
    seq: int
    type: str
    at: str = Field(description="UTC, to the microsecond, exactly as hashed.")
    actor_id: int | None = Field(description="Who acted (participants only).")
    command_id: str | None = Field(description="The command's id (participants only).")
    payload: dict[str, Any]
    prev_hash: str
    hash: str = Field(description="sha256(prev_hash + canonical event): docs/api.md.")


class LogPageOut(Schema):
    meeting_id: int
    audience: str = Field(description="participants, or public for a public meeting")
    last_seq: int
    next_since: int | None = Field(description="Pass as since= for the next page; "
                                               "null when this page reached the end.")
    events: list[LogEntryOut]


# --- Minutes ----------------------------------------------------------------------------

class PostIn(In):
    kept_at: str = Field("", max_length=300, description="Where the minutes are kept.")


class TextIn(In):
    text: str = Field(max_length=20_000)


class SignerOut(Schema):
    user_id: int
    name: str
    role: str
    signed_at: datetime | None


class PublicationOut(Schema):
    posted_on: date
    appeal_last_day: date
    taken_down_on: date
    kept_at: str


class MinutesOut(Schema):
    meeting_id: int
    meeting_status: str
    locked: bool
    version: int | None
    log_seq: int | None
    full_sha256: str | None
    public_sha256: str | None
    signers: list[SignerOut]
    complete: bool
    publication: PublicationOut | None
    sign_url: str


class RecipientIn(In):
    """One recipient of a decision: a name and/or an organisation; an address to e-mail the
    extract to (none: sent by post or handed over, outside Klubba)."""

    name: str | None = ""
    organisation: str | None = ""
    email: str | None = ""


class RecipientsIn(In):
    recipients: list[RecipientIn] = Field(description="Replaces the item's earlier list.")


class RecipientOut(Schema):
    name: str
    organisation: str
    email: str


class RecipientsOut(Schema):
    item_id: int
    recipients: list[RecipientOut]
    event: EventRef | None = Field(None, description="The log entry a change made.")


class DispatchResultOut(RecipientOut):
    result: str = Field(description="``sent``, ``failed`` (see ``error``) or ``no_email``.")
    error: str


class DispatchOut(Schema):
    id: int
    sent_at: datetime
    sent_by: str
    recipients: list[DispatchResultOut]


class DispatchDoneOut(Schema):
    event: EventRef
    dispatch: DispatchOut


class ExtractOut(Schema):
    id: int
    number: int
    paragraphs: list[int] = Field(description="The § numbers, as in the signed minutes.")
    item_ids: list[int]
    public: bool = Field(description="The public version (no confidential §, masked ids).")
    confidential: bool
    certified_by: str
    certified_at: datetime
    minutes_sha256: str = Field(description="The signed minutes the extract is taken from.")
    file_name: str
    sha256: str
    pdf_url: str
    dispatches: list[DispatchOut]
