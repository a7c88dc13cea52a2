"""Protokollsutdrag: an extract of one or more § of the signed minutes, certified by the
secretary ("Rätt utdraget intygar") with their own PAdES signature.

Why the secretary certifies (bestyrkande) instead of re-using the adjusters' signatures: a
signature covers a whole PDF, so the chair's and the adjusters' signatures cannot be carried
over to a document with fewer pages; asking them to sign every extract would make them sign
documents they did not adjust. Swedish practice for an utdrag is that the secretary (or the
registrar) certifies that the extract is a correct copy, and states that the minutes are
justerade. The extract therefore names the justering signatures and the signed minutes'
SHA-256, and carries one signature: the secretary's, from the same organisation CA.

Like the signing commands, the slow part (building, rendering, signing) happens before the
meeting lock; the commit re-checks that the signed minutes are the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from django.utils import timezone

from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError, ErrorCode
from meetings.models import Meeting, MeetingEvent
from meetings.roles import Actor, display_name, query_id, roles_in
from minutes import signing
from minutes.commands.documents import (
    Stale,
    already_done,
    meeting_of,
    minutes_document,
    prepare_and_commit,
    sha256,
)
from minutes.commands.justering import SignerCheck, _reason_with, _reauthenticate
from minutes.errors import MinutesError
from minutes.events import MinutesEventType as M
from minutes.events import MinutesExtractCertified, SignerIdentityCheck
from minutes.extract_pdf import CERTIFIER_FIELD, ExtractFacts, JusteringFact, render_extract_pdf
from minutes.inputs import minutes_of
from minutes.model import STOCKHOLM, Minutes
from minutes.models import MinutesDocument, ProtocolExtract, Publication
from minutes.redaction import public_minutes
from minutes.serialise import minutes_from_dict
from minutes.signing.service import SignatureRequest, signing_service

MAX_EXTRACT_PARAGRAPHS = 50


def require_secretary(meeting: Meeting, actor: Actor) -> None:
    """Extracts, recipients and dispatch are the body's secretary's acts."""
    if not roles_in(meeting, actor).is_secretary:
        raise CommandError(ErrorCode.PERMISSION_DENIED)


def signed_minutes(meeting: Meeting) -> MinutesDocument:
    """The meeting's minutes, signed by everyone, or ``minutes_not_signed``."""
    document = minutes_document(meeting)
    if document is None or not document.fully_signed:
        raise CommandError(MinutesError.MINUTES_NOT_SIGNED)
    return document


def locked_minutes(meeting: Meeting, document: MinutesDocument) -> Minutes:
    """The full minutes exactly as locked and signed: the frozen copy, or for minutes locked
    before it was kept, rebuilt from the log up to the frozen head."""
    if document.full_minutes:
        return minutes_from_dict(document.full_minutes)
    return minutes_of(meeting, upto_seq=document.log_seq, base=document.paragraph_base)


def _item_ids(item_ids: object) -> list[int]:
    if isinstance(item_ids, (list, tuple)) and not item_ids:
        raise CommandError(MinutesError.NO_PARAGRAPHS_CHOSEN, field="item_ids")
    if not isinstance(item_ids, (list, tuple)) or not item_ids or len(item_ids) > (
        MAX_EXTRACT_PARAGRAPHS
    ) or not all(isinstance(i, int) and not isinstance(i, bool) for i in item_ids):
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="item_ids",
                           max=MAX_EXTRACT_PARAGRAPHS)
    return list(dict.fromkeys(item_ids))


def chosen_paragraphs(locked: Minutes, item_ids: list[int], *, public: bool) -> Minutes:
    """The signed minutes cut down to the chosen §, in § order; refused if one is not in
    them or (public) is confidential."""
    by_item = {p.item_id: p for p in locked.paragraphs}
    missing = [i for i in item_ids if i not in by_item]
    if missing:
        raise CommandError(MinutesError.PARAGRAPH_NOT_IN_MINUTES, item_id=missing[0])
    if public and (secret := [i for i in item_ids if by_item[i].confidential]):
        raise CommandError(MinutesError.PARAGRAPH_CONFIDENTIAL, item_id=secret[0])
    chosen = tuple(sorted((by_item[i] for i in item_ids), key=lambda p: p.number))
    extract = replace(locked, paragraphs=chosen)
    return public_minutes(extract) if public else extract


def _facts(document: MinutesDocument, actor: Actor, now: datetime, *,
           confidential: bool) -> ExtractFacts:
    justering = tuple(
        JusteringFact(role="Ordförande" if s.role == "chair" else "Justerare", name=s.name,
                      signed_on=f"{s.signed_at.astimezone(STOCKHOLM):%Y-%m-%d}")
        for s in document.signatures.order_by("position")
    )
    publication = Publication.objects.filter(document=document).first()
    return ExtractFacts(
        certifier=display_name(actor), certified_on=f"{now.astimezone(STOCKHOLM):%Y-%m-%d}",
        certified_at=now, justering=justering, minutes_sha256=document.full_sha256,
        posted_on=publication.posted_on.isoformat() if publication else "",
        appeal_last_day=publication.appeal_last_day.isoformat() if publication else "",
        confidential=confidential,
    )


@dataclass(frozen=True)
class CertifiedExtract:
    """The signed extract PDF and what it was made from (checked again under the lock)."""

    minutes_sha256: str
    extract: Minutes
    item_ids: list[int]
    public: bool
    confidential: bool
    pdf: bytes
    signed_at: datetime
    check: SignerCheck | None
    service: str


def _prepare(meeting: Meeting, *, actor: Actor, item_ids: list[int], public: bool,
             password: str, check: SignerCheck | None) -> CertifiedExtract:
    require_secretary(meeting, actor)
    document = signed_minutes(meeting)
    locked = locked_minutes(meeting, document)
    extract = chosen_paragraphs(locked, item_ids, public=public)
    if check is None or not check.replaces_password:
        _reauthenticate(actor, password)
    confidential = any(p.confidential for p in extract.paragraphs)
    now = timezone.now()
    pdf = render_extract_pdf(extract, _facts(document, actor, now, confidential=confidential))
    service = signing_service()
    numbers = ", ".join(str(p.number) for p in extract.paragraphs)
    try:
        signed = service.sign(actor, SignatureRequest(
            pdf=pdf, field_name=CERTIFIER_FIELD, signer_name=display_name(actor),
            reason=_reason_with(f"Rätt utdraget intygar (§ {numbers})", check),
            location=meeting.body.organisation or None, certify=True, signing_time=now,
        ))
    except signing.WrongPassphrase:
        raise CommandError(MinutesError.SIGNING_UNAVAILABLE, reason="key_passphrase") from None
    except signing.SigningError as exc:
        raise CommandError(MinutesError.SIGNING_UNAVAILABLE, reason=str(exc)[:200]) from None
    return CertifiedExtract(
        minutes_sha256=document.full_sha256, extract=extract, item_ids=item_ids,
        public=public, confidential=confidential, pdf=signed, signed_at=now, check=check,
        service=service.name,
    )


@meeting_command
def _store_extract(cmd: CommandContext, *, prepared: CertifiedExtract) -> Emit:
    require_secretary(cmd.meeting, cmd.actor)
    document = signed_minutes(cmd.meeting)
    if document.full_sha256 != prepared.minutes_sha256:
        raise Stale
    number = ProtocolExtract.objects.filter(meeting=cmd.meeting).count() + 1
    paragraphs = [p.number for p in prepared.extract.paragraphs]
    extract = ProtocolExtract.objects.create(
        meeting=cmd.meeting, document=document, number=number, item_ids=prepared.item_ids,
        paragraphs=paragraphs, public=prepared.public, confidential=prepared.confidential,
        pdf=prepared.pdf, sha256=sha256(prepared.pdf), created_at=prepared.signed_at,
        created_by_id=query_id(cmd.actor),
    )
    payload = MinutesExtractCertified(
        extract_id=extract.pk, number=number, document_id=document.pk,
        minutes_sha256=document.full_sha256, item_ids=prepared.item_ids,
        paragraphs=paragraphs, public=prepared.public, confidential=prepared.confidential,
        sha256=extract.sha256, user_id=query_id(cmd.actor), name=display_name(cmd.actor),
        signed_at=prepared.signed_at.isoformat(),
    )
    check = prepared.check
    payload.update(SignerIdentityCheck(
        identity_method=check.method if check else "password",
        identity_checked_at=(check.checked_at if check else prepared.signed_at).isoformat(),
        signing_service=prepared.service,
    ))
    return Emit(M.MINUTES_EXTRACT_CERTIFIED, payload)


def extract_certify(
    *, meeting_id: int, actor: Actor, item_ids: list[int], password: str,
    public: bool = False, command_id: str | None = None, check: SignerCheck | None = None,
) -> MeetingEvent:
    """Protokollsutdrag: the chosen § (agenda item ids) of the signed minutes, certified and
    signed by the secretary. ``public``: the public version (no confidential §, identity
    numbers masked); otherwise the internal text, marked SEKRETESS if a § is confidential."""
    if done := already_done(meeting_of(meeting_id), actor=actor, command_id=command_id):
        return done
    chosen = _item_ids(item_ids)

    def attempt() -> MeetingEvent:
        prepared = _prepare(meeting_of(meeting_id), actor=actor, item_ids=chosen,
                            public=bool(public), password=password, check=check)
        event = _store_extract(meeting_id=meeting_id, actor=actor, command_id=command_id,
                               prepared=prepared)
        assert event is not None  # noqa: S101 - the commit always emits
        return event

    return prepare_and_commit(attempt)
