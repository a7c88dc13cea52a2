"""Justering: signing the locked minutes, and omedelbar justering of one paragraph.

The chair signs first (a certification signature); then each adjuster adds an approval
signature, on the full and the public PDF in the same act. A signature is made without the
meeting lock, on the document's bytes as they were read (see ``minutes.commands.documents``);
the commit, under the lock, stores it only if the document still has exactly those bytes and
the signing order still holds. Two adjusters signing at once: the first commit wins, the
second finds the bytes changed and signs the new bytes once more.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from django.utils import timezone

from meetings.commands.lookup import item_of
from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError
from meetings.models import AgendaItem, Meeting, MeetingEvent
from meetings.roles import Actor, query_id
from minutes import signing
from minutes.commands.documents import (
    Stale,
    already_done,
    meeting_of,
    minutes_document,
    prepare_and_commit,
    render_both,
    require_adjusters,
    require_unlocked,
    require_version,
    sha256,
    signers_of,
)
from minutes.errors import MinutesError
from minutes.events import MinutesEventType as M
from minutes.events import MinutesParagraphSigned, MinutesSigned, Signer, SignerIdentityCheck
from minutes.fold import FoldState, fold_into, fold_log
from minutes.fold.assemble import assemble
from minutes.inputs import log_events, meeting_info, paragraph_base
from minutes.model import Minutes
from minutes.models import MinutesDocument, MinutesSignature
from minutes.redaction import public_minutes
from minutes.serialise import minutes_text, minutes_to_dict
from minutes.signing.service import SignatureRequest, signing_service


@dataclass(frozen=True)
class SignerCheck:
    """How the caller (the signing page) checked the signer just before signing, beyond the
    password this command checks: e.g. ``method="password+totp"`` and when. Recorded in the
    event and named in the signature's reason field."""

    method: str
    checked_at: datetime
    #: The caller checked the signer by a fresh login at the organisation's identity
    #: provider (``oidc:<acr>``), which stands in for the password (SSO users may have none).
    replaces_password: bool = False


def _reason_with(reason: str, check: SignerCheck | None) -> str:
    if check is None:
        return f"{reason}; identitet: lösenord"
    when = check.checked_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{reason}; identitet: {check.method} {when}"


def _check_keys(signed: SignedBytes) -> SignerIdentityCheck:
    check = signed.check
    return SignerIdentityCheck(
        identity_method=check.method if check else "password",
        identity_checked_at=(check.checked_at if check else signed.signed_at).isoformat(),
        signing_service=signed.service,
    )


@dataclass(frozen=True)
class SignedBytes:
    """Both PDFs with one more signature, and the hashes of the bytes it was appended to."""

    signer: Signer
    on_full_sha256: str
    on_public_sha256: str
    full_pdf: bytes
    public_pdf: bytes
    signed_at: datetime
    check: SignerCheck | None = None
    service: str = "local_ca"


def _signed_ids(document: MinutesDocument) -> set[int]:
    return {sig.user_id for sig in document.signatures.all()}


def _may_sign(signers: list[Signer], done: set[int], actor: Actor) -> Signer:
    mine = next((s for s in signers if s["user_id"] == actor.pk), None)
    if mine is None:
        raise CommandError(MinutesError.NOT_A_SIGNER)
    if actor.pk in done:
        raise CommandError(MinutesError.ALREADY_SIGNED)
    return mine


def _require_order(signers: list[Signer], done: set[int], mine: Signer) -> None:
    if mine["role"] != "chair" and signers[0]["role"] == "chair" and (
        signers[0]["user_id"] not in done
    ):
        raise CommandError(MinutesError.SIGNING_ORDER)


def _reauthenticate(actor: Actor, password: str) -> None:
    if not isinstance(password, str) or not actor.check_password(password):
        raise CommandError(MinutesError.WRONG_PASSWORD)


def _sign_bytes(
    full: bytes, public: bytes, *, signers: list[Signer], mine: Signer, actor: Actor,
    reason: str, location: str | None, check: SignerCheck | None = None,
) -> SignedBytes:
    """Append the actor's signature to both PDFs (the slow part: no lock held)."""
    certify = mine["role"] == "chair"
    service = signing_service()
    try:
        when = timezone.now()
        out: dict[str, bytes] = {}
        for kind, pdf in (("full", full), ("public", public)):
            if kind == "public" and public == full:
                out["public"] = out["full"]  # one document serves both: sign it once
                continue
            out[kind] = service.sign(actor, SignatureRequest(
                pdf=pdf, field_name=mine["field"], signer_name=mine["name"],
                reason=_reason_with(reason, check), location=location, certify=certify,
                empty_fields=[s["field"] for s in signers if s["role"] != "chair"]
                if certify else (),
                signing_time=when,
            ))
    except signing.WrongPassphrase:
        raise CommandError(MinutesError.SIGNING_UNAVAILABLE, reason="key_passphrase") from None
    except signing.SigningError as exc:
        raise CommandError(MinutesError.SIGNING_UNAVAILABLE, reason=str(exc)[:200]) from None
    return SignedBytes(signer=mine, on_full_sha256=sha256(full), on_public_sha256=sha256(public),
                       full_pdf=out["full"], public_pdf=out["public"], signed_at=when,
                       check=check, service=service.name)


def _sign_document(
    document: MinutesDocument, *, actor: Actor, password: str, reason: str,
    check: SignerCheck | None = None,
) -> SignedBytes:
    """The checks every signing makes, then the signature on the document's current bytes."""
    signers, done = document.signers, _signed_ids(document)
    mine = _may_sign(signers, done, actor)
    if check is None or not check.replaces_password:
        _reauthenticate(actor, password)
    _require_order(signers, done, mine)
    return _sign_bytes(
        bytes(document.full_pdf), bytes(document.public_pdf), signers=signers, mine=mine,
        actor=actor, reason=reason, location=document.meeting.body.organisation or None,
        check=check,
    )


def _store_signature(
    document: MinutesDocument, signed: SignedBytes, actor: Actor
) -> MinutesSignature:
    """Under the lock: the check that decides (order, one signature each, the same bytes)."""
    done = _signed_ids(document)
    mine = _may_sign(document.signers, done, actor)
    _require_order(document.signers, done, mine)
    if (document.full_sha256, document.public_sha256) != (
        signed.on_full_sha256, signed.on_public_sha256
    ):
        raise Stale  # someone signed meanwhile: sign the new bytes
    document.full_pdf, document.public_pdf = signed.full_pdf, signed.public_pdf
    document.full_sha256 = sha256(signed.full_pdf)
    document.public_sha256 = sha256(signed.public_pdf)
    document.save(update_fields=["full_pdf", "public_pdf", "full_sha256", "public_sha256"])
    return MinutesSignature.objects.create(
        document=document, user_id=query_id(actor), name=mine["name"], role=mine["role"],
        field_name=mine["field"], position=len(done) + 1, signed_at=signed.signed_at,
        full_sha256=document.full_sha256, public_sha256=document.public_sha256,
    )


# --- The locked minutes ------------------------------------------------------------------------

def _locked_document(meeting: Meeting) -> MinutesDocument:
    document = minutes_document(meeting)
    if document is None:
        raise CommandError(MinutesError.MINUTES_NOT_LOCKED)
    return document


@meeting_command
def _store_minutes_signature(cmd: CommandContext, *, signed: SignedBytes) -> Emit:
    document = _locked_document(cmd.meeting)
    signature = _store_signature(document, signed, cmd.actor)
    mine = signed.signer
    payload = MinutesSigned(
        document_id=document.pk, user_id=query_id(cmd.actor), name=mine["name"], role=mine["role"],
        field=mine["field"], position=signature.position,
        signed_at=signature.signed_at.isoformat(), full_sha256=document.full_sha256,
        public_sha256=document.public_sha256,
        complete=signature.position == len(document.signers), version=document.version,
    )
    payload.update(_check_keys(signed))
    return Emit(M.MINUTES_SIGNED, payload)


def minutes_sign(
    *, meeting_id: int, actor: Actor, password: str, command_id: str | None = None,
    check: SignerCheck | None = None, version: int | None = None,
) -> MeetingEvent:
    """Justering: the chair certifies, then each adjuster adds an approval signature.
    ``version``: the version the signer read; a replaced version is refused."""
    if done := already_done(meeting_of(meeting_id), actor=actor, command_id=command_id):
        return done

    def attempt() -> MeetingEvent:
        document = _locked_document(meeting_of(meeting_id))
        require_version(document, version)
        signed = _sign_document(document, actor=actor, password=password,
                                reason="Justering av protokoll", check=check)
        event = _store_minutes_signature(meeting_id=meeting_id, actor=actor,
                                         command_id=command_id, signed=signed)
        assert event is not None  # noqa: S101 - the commit always emits
        return event

    return prepare_and_commit(attempt)


# --- Omedelbar justering: one paragraph, signed at the meeting ---------------------------------

@dataclass(frozen=True)
class RenderedExtract:
    """A new one-paragraph extract, built from the log up to ``full.log_seq`` and rendered."""

    base: int
    state: FoldState  # the fold it was built from, to check newer events against
    full: Minutes
    extract: Minutes
    public: Minutes
    full_pdf: bytes
    public_pdf: bytes
    signers: list[Signer]


def require_item_handled(meeting: Meeting, item_id: int) -> AgendaItem:
    item = item_of(meeting, item_id)
    if item.state != item.State.CLOSED:
        raise CommandError(MinutesError.ITEM_NOT_DECIDED, item_id=item.pk)
    return item


def _extract_of(meeting: Meeting, item: AgendaItem) -> MinutesDocument | None:
    return MinutesDocument.objects.filter(meeting=meeting, item=item).first()


def _one_paragraph(full: Minutes, item_id: int) -> Minutes:
    return replace(
        full, paragraphs=tuple(p for p in full.paragraphs if p.item_id == item_id),
        title=f"{full.title} – protokollsutdrag (omedelbar justering)",
    )


def _render_extract(
    meeting: Meeting, item: AgendaItem, *, actor: Actor, password: str
) -> RenderedExtract:
    """The chair's first signature creates the extract: check, then build and render it."""
    base = paragraph_base(meeting)
    state = fold_log(meeting_info(meeting), log_events(meeting))
    full = assemble(state, paragraph_base=base)
    signers = signers_of(full)
    if not signers or signers[0]["user_id"] != actor.pk:
        if not any(s["user_id"] == actor.pk for s in signers):
            raise CommandError(MinutesError.NOT_A_SIGNER)
        raise CommandError(MinutesError.SIGNING_ORDER)
    require_adjusters(signers)
    _reauthenticate(actor, password)
    extract = _one_paragraph(full, item.pk)
    public = public_minutes(extract)
    full_pdf, public_pdf = render_both(extract, public)
    return RenderedExtract(base=base, state=state, full=full, extract=extract, public=public,
                           full_pdf=full_pdf, public_pdf=public_pdf, signers=signers)


def _require_still_current(meeting: Meeting, rendered: RenderedExtract) -> None:
    """The extract is a snapshot at ``full.log_seq``; the live meeting has gone on since. It
    still holds if the events after it change neither the paragraph nor who signs."""
    if paragraph_base(meeting) != rendered.base:
        raise Stale
    newer = log_events(meeting, after_seq=rendered.full.log_seq)
    if not newer:
        return
    now = assemble(fold_into(copy.deepcopy(rendered.state), newer),
                   paragraph_base=rendered.base)
    item_id = rendered.extract.paragraphs[0].item_id if rendered.extract.paragraphs else None
    if signers_of(now) != rendered.signers or tuple(
        p for p in now.paragraphs if p.item_id == item_id
    ) != rendered.extract.paragraphs:
        raise Stale


def _create_extract(
    meeting: Meeting, item: AgendaItem, rendered: RenderedExtract, actor: Actor
) -> MinutesDocument:
    numbers = [p.number for p in rendered.extract.paragraphs]
    full = rendered.full
    return MinutesDocument.objects.create(
        meeting=meeting, item=item, log_seq=full.log_seq, log_hash=full.log_hash,
        locked_at=timezone.now(), locked_by_id=query_id(actor),
        full_unsigned=rendered.full_pdf, public_unsigned=rendered.public_pdf,
        full_pdf=rendered.full_pdf, public_pdf=rendered.public_pdf,
        full_sha256=sha256(rendered.full_pdf), public_sha256=sha256(rendered.public_pdf),
        public_text=minutes_text(rendered.public),
        public_minutes=minutes_to_dict(rendered.public),
        signers=rendered.signers, paragraph_base=rendered.base,
        first_paragraph=min(numbers, default=0), last_paragraph=max(numbers, default=0),
    )


@meeting_command
def _store_paragraph_signature(
    cmd: CommandContext, *, item_id: int, rendered: RenderedExtract | None, signed: SignedBytes,
) -> Emit:
    meeting = cmd.meeting
    require_unlocked(meeting)
    item = require_item_handled(meeting, item_id)
    document = _extract_of(meeting, item)
    if rendered is not None:
        if document is not None:
            raise Stale  # created meanwhile by another call: sign that one
        _require_still_current(meeting, rendered)
        document = _create_extract(meeting, item, rendered, cmd.actor)
    elif document is None:
        raise Stale
    signature = _store_signature(document, signed, cmd.actor)
    mine = signed.signer
    payload = MinutesParagraphSigned(
        document_id=document.pk, item_id=item.pk, title=item.title,
        confidential=item.confidential, user_id=query_id(cmd.actor), name=mine["name"],
        role=mine["role"], position=signature.position, full_sha256=document.full_sha256,
        public_sha256=document.public_sha256,
        complete=signature.position == len(document.signers),
    )
    payload.update(_check_keys(signed))
    return Emit(M.MINUTES_PARAGRAPH_SIGNED, payload)


def minutes_sign_paragraph(
    *, meeting_id: int, actor: Actor, item_id: int, password: str,
    command_id: str | None = None, check: SignerCheck | None = None,
) -> MeetingEvent:
    """Omedelbar justering: one handled paragraph extracted and signed at the meeting."""
    if done := already_done(meeting_of(meeting_id), actor=actor, command_id=command_id):
        return done
    reason = "Omedelbar justering av paragraf"

    def attempt() -> MeetingEvent:
        meeting = meeting_of(meeting_id)
        require_unlocked(meeting)
        item = require_item_handled(meeting, item_id)
        existing = _extract_of(meeting, item)
        rendered: RenderedExtract | None = None
        if existing is not None:
            signed = _sign_document(existing, actor=actor, password=password, reason=reason,
                                    check=check)
        else:
            rendered = _render_extract(meeting, item, actor=actor, password=password)
            signed = _sign_bytes(
                rendered.full_pdf, rendered.public_pdf, signers=rendered.signers,
                mine=rendered.signers[0], actor=actor, reason=reason,
                location=meeting.body.organisation or None, check=check,
            )
        event = _store_paragraph_signature(
            meeting_id=meeting_id, actor=actor, command_id=command_id, item_id=item.pk,
            rendered=rendered, signed=signed,
        )
        assert event is not None  # noqa: S101 - the commit always emits
        return event

    return prepare_and_commit(attempt)
