"""Commands for review, locking, justering (signing) and anslag (posting) of the minutes.

Like every meeting command: keyword-only arguments, one transaction, the meeting row locked,
role and state checks, read tables updated and exactly one event appended to the meeting log.
The minutes content is frozen by ``minutes_lock``: it renders the full and the public PDF from
the log as it stands and stores them with the log head they were built from. Signatures are
appended to exactly those bytes, never re-rendered.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from meetings.commands.agenda import item_of
from meetings.errors import CommandError, ErrorCode
from meetings.log import append_event, lock_meeting, replayed_event
from meetings.models import AgendaItem, Meeting, MeetingEvent
from meetings.roles import Actor, display_name, require_control
from minutes import ca_store
from minutes.build import STOCKHOLM, Minutes, minutes_text, minutes_to_dict, public_minutes
from minutes.dates import appeal_last_day, notice_taken_down
from minutes.errors import MinutesError
from minutes.inputs import minutes_of, paragraph_base
from minutes.models import MinutesDocument, MinutesSignature, Publication
from minutes.pdf import render_minutes_pdf
from minutes.signing import SigningError, WrongPassphrase, sign_pdf

MAX_PARAGRAPH_TEXT = 20_000
CHAIR_FIELD = "Ordforande"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _minutes_document(meeting: Meeting) -> MinutesDocument | None:
    return MinutesDocument.objects.filter(meeting=meeting, item__isnull=True).first()


def _require_unlocked(meeting: Meeting) -> None:
    if _minutes_document(meeting) is not None:
        raise CommandError(MinutesError.MINUTES_LOCKED)


@transaction.atomic
def minutes_paragraph_text_set(
    *, meeting_id: int, actor: Actor, item_id: int, text: str, command_id: str | None = None
) -> MeetingEvent:
    """The secretary writes a paragraph's reasoning (Beslutsunderlag) before the lock."""
    meeting = lock_meeting(meeting_id)
    if done := replayed_event(meeting=meeting, command_id=command_id, actor_id=actor.pk):
        return done
    require_control(meeting, actor)
    _require_unlocked(meeting)
    item = item_of(meeting, item_id)
    if not isinstance(text, str) or len(text) > MAX_PARAGRAPH_TEXT:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="text", max=MAX_PARAGRAPH_TEXT)
    return append_event(
        meeting=meeting, type="minutes.paragraph_text_set",
        payload={"item_id": item.pk, "position": item.position, "title": item.title,
                 "confidential": item.confidential, "text": text.strip(),
                 "by": display_name(actor)},
        actor_id=actor.pk, command_id=command_id,
    )


@transaction.atomic
def minutes_justering_set(
    *, meeting_id: int, actor: Actor, text: str, command_id: str | None = None
) -> MeetingEvent:
    """Where and when the minutes will be signed ("Justeringens plats och tid")."""
    meeting = lock_meeting(meeting_id)
    if done := replayed_event(meeting=meeting, command_id=command_id, actor_id=actor.pk):
        return done
    require_control(meeting, actor)
    _require_unlocked(meeting)
    if not isinstance(text, str) or not text.strip() or len(text) > 300:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="text", max=300)
    return append_event(
        meeting=meeting, type="minutes.justering_set", payload={"text": text.strip()},
        actor_id=actor.pk, command_id=command_id,
    )


def _signers(m: Minutes) -> list[dict[str, Any]]:
    """Who signs, from the minutes' signature section: the presiding chair first, then the
    adjusters in the order they were chosen."""
    rows: list[dict[str, Any]] = []
    for line in m.signatures:
        if line.user_id is None or any(r["user_id"] == line.user_id for r in rows):
            continue
        if line.role == "Ordförande" and not rows:
            rows.append({"user_id": line.user_id, "name": line.name, "role": "chair",
                         "field": CHAIR_FIELD})
        elif line.role == "Justerare":
            rows.append({"user_id": line.user_id, "name": line.name, "role": "adjuster",
                         "field": f"Justerare{len(rows)}"})
    return rows


@transaction.atomic
def minutes_lock(
    *, meeting_id: int, actor: Actor, command_id: str | None = None
) -> MeetingEvent:
    """Freeze the minutes: render the full and public PDFs from the log as it stands."""
    meeting = lock_meeting(meeting_id)
    if done := replayed_event(meeting=meeting, command_id=command_id, actor_id=actor.pk):
        return done
    require_control(meeting, actor)
    if meeting.status != Meeting.Status.ADJOURNED:
        raise CommandError(MinutesError.MEETING_NOT_ADJOURNED)
    _require_unlocked(meeting)
    base = paragraph_base(meeting)
    full = minutes_of(meeting, base=base)
    signers = _signers(full)
    if not any(s["role"] == "adjuster" for s in signers):
        raise CommandError(MinutesError.NO_ADJUSTERS)
    public = public_minutes(full)
    full_pdf, public_pdf = render_both(full, public)
    numbers = [p.number for p in full.paragraphs]
    document = MinutesDocument.objects.create(
        meeting=meeting, log_seq=full.log_seq, log_hash=full.log_hash,
        locked_at=timezone.now(), locked_by=actor,
        full_unsigned=full_pdf, public_unsigned=public_pdf,
        full_pdf=full_pdf, public_pdf=public_pdf,
        full_sha256=sha256(full_pdf), public_sha256=sha256(public_pdf),
        public_text=minutes_text(public), public_minutes=minutes_to_dict(public),
        signers=signers, paragraph_base=base,
        first_paragraph=min(numbers, default=0), last_paragraph=max(numbers, default=0),
    )
    # Items handled without a recorded decision got their § here; keep them on the items so
    # the body's later decisions (voting.decision_record) number after them.
    for paragraph in full.paragraphs:
        AgendaItem.objects.filter(pk=paragraph.item_id, paragraph__isnull=True).update(
            paragraph=paragraph.number)
    return append_event(
        meeting=meeting, type="minutes.locked",
        payload={"document_id": document.pk, "log_seq": full.log_seq,
                 "log_hash": full.log_hash, "paragraph_base": base,
                 "full_sha256": document.full_sha256,
                 "public_sha256": document.public_sha256,
                 "paragraphs": [full.paragraphs[0].number, full.paragraphs[-1].number]
                 if full.paragraphs else [],
                 "numbers": {str(p.item_id): p.number for p in full.paragraphs},
                 "signers": signers, "by": display_name(actor)},
        actor_id=actor.pk, command_id=command_id,
    )


def render_both(full: Minutes, public: Minutes) -> tuple[bytes, bytes]:
    """The full and the public PDF. When the public version leaves nothing out (no
    confidential item, no identity number), it is the full version: one document, rendered
    and signed once."""
    full_pdf = render_minutes_pdf(full)
    if dataclasses.replace(public, public=False) == full:
        return full_pdf, full_pdf
    return full_pdf, render_minutes_pdf(public)


def _reauthenticate(actor: Actor, password: str) -> None:
    if not isinstance(password, str) or not actor.check_password(password):
        raise CommandError(MinutesError.WRONG_PASSWORD)


def _sign_document(
    document: MinutesDocument, *, actor: Actor, password: str, reason: str,
) -> tuple[dict[str, Any], MinutesSignature]:
    """Add the actor's signature to both PDFs of ``document``; the checks every signing makes."""
    signers = document.signers
    mine = next((s for s in signers if s["user_id"] == actor.pk), None)
    if mine is None:
        raise CommandError(MinutesError.NOT_A_SIGNER)
    done = {sig.user_id for sig in document.signatures.all()}
    if actor.pk in done:
        raise CommandError(MinutesError.ALREADY_SIGNED)
    _reauthenticate(actor, password)
    if mine["role"] != "chair" and signers[0]["role"] == "chair" and (
        signers[0]["user_id"] not in done
    ):
        raise CommandError(MinutesError.SIGNING_ORDER)
    certify = mine["role"] == "chair"
    try:
        credential = ca_store.credential_for(actor)
        ca_pem = ca_store.organisation_ca().cert_pem
        secret = ca_store.passphrase()
        when = timezone.now()
        out: dict[str, bytes] = {}
        full, public = bytes(document.full_pdf), bytes(document.public_pdf)
        for kind, pdf in (("full", full), ("public", public)):
            if kind == "public" and public == full:
                out["public"] = out["full"]  # one document serves both: sign it once
                continue
            out[kind] = sign_pdf(
                pdf, credential=credential, passphrase=secret, ca_cert_pem=ca_pem,
                field_name=mine["field"], signer_name=mine["name"], reason=reason,
                location=document.meeting.body.organisation or None, certify=certify,
                empty_fields=[s["field"] for s in signers if s["role"] != "chair"]
                if certify else (),
                signing_time=when,
            )
    except WrongPassphrase:
        raise CommandError(MinutesError.SIGNING_UNAVAILABLE, reason="key_passphrase") from None
    except SigningError as exc:
        raise CommandError(MinutesError.SIGNING_UNAVAILABLE, reason=str(exc)[:200]) from None
    document.full_pdf = out["full"]
    document.public_pdf = out["public"]
    document.full_sha256 = sha256(out["full"])
    document.public_sha256 = sha256(out["public"])
    document.save(update_fields=["full_pdf", "public_pdf", "full_sha256", "public_sha256"])
    signature = MinutesSignature.objects.create(
        document=document, user=actor, name=mine["name"], role=mine["role"],
        field_name=mine["field"], position=len(done) + 1, signed_at=when,
        full_sha256=document.full_sha256, public_sha256=document.public_sha256,
    )
    return mine, signature


@transaction.atomic
def minutes_sign(
    *, meeting_id: int, actor: Actor, password: str, command_id: str | None = None
) -> MeetingEvent:
    """Justering: the chair certifies, then each adjuster adds an approval signature."""
    meeting = lock_meeting(meeting_id)
    if done := replayed_event(meeting=meeting, command_id=command_id, actor_id=actor.pk):
        return done
    document = _minutes_document(meeting)
    if document is None:
        raise CommandError(MinutesError.MINUTES_NOT_LOCKED)
    mine, signature = _sign_document(
        document, actor=actor, password=password, reason="Justering av protokoll",
    )
    return append_event(
        meeting=meeting, type="minutes.signed",
        payload={"document_id": document.pk, "user_id": actor.pk, "name": mine["name"],
                 "role": mine["role"], "field": mine["field"],
                 "position": signature.position,
                 "signed_at": signature.signed_at.isoformat(),
                 "full_sha256": document.full_sha256, "public_sha256": document.public_sha256,
                 "complete": signature.position == len(document.signers)},
        actor_id=actor.pk, command_id=command_id,
    )


def appeal_dates(posted_on: date) -> tuple[date, date]:
    """(last day to appeal, day the notice comes down): three weeks from the posting date,
    the last day moved past weekends and holidays (lag 1930:173, see minutes/dates.py)."""
    return appeal_last_day(posted_on), notice_taken_down(posted_on)


@transaction.atomic
def minutes_post(
    *, meeting_id: int, actor: Actor, kept_at: str = "", now: datetime | None = None,
    command_id: str | None = None,
) -> MeetingEvent:
    """Anslag: post the signed minutes on the notice board; the appeal period starts."""
    meeting = lock_meeting(meeting_id)
    if done := replayed_event(meeting=meeting, command_id=command_id, actor_id=actor.pk):
        return done
    require_control(meeting, actor)
    document = _minutes_document(meeting)
    if document is None:
        raise CommandError(MinutesError.MINUTES_NOT_LOCKED)
    if Publication.objects.filter(document=document).exists():
        raise CommandError(MinutesError.ALREADY_POSTED)
    if document.signatures.count() < len(document.signers):
        raise CommandError(MinutesError.NOT_ALL_SIGNED)
    posted_at = now or timezone.now()
    posted_on = posted_at.astimezone(STOCKHOLM).date()
    appeal_last_day, taken_down_on = appeal_dates(posted_on)
    kept = kept_at.strip()[:300] or (
        f"{meeting.body.organisation or meeting.body.name}, digitalt arkiv"
    )
    publication = Publication.objects.create(
        document=document, body=meeting.body,
        meeting_date=meeting.starts_at.astimezone(STOCKHOLM).date(), posted_at=posted_at,
        posted_on=posted_on, appeal_last_day=appeal_last_day, taken_down_on=taken_down_on,
        posted_by=actor, kept_at=kept,
    )
    return append_event(
        meeting=meeting, type="minutes.posted",
        payload={"document_id": document.pk, "publication_id": publication.pk,
                 "posted_on": posted_on.isoformat(),
                 "appeal_last_day": appeal_last_day.isoformat(),
                 "taken_down_on": taken_down_on.isoformat(), "kept_at": kept,
                 "full_sha256": document.full_sha256, "public_sha256": document.public_sha256,
                 "by": display_name(actor)},
        actor_id=actor.pk, command_id=command_id,
    )


def require_item_handled(meeting: Meeting, item_id: int) -> None:
    item = item_of(meeting, item_id)
    if item.state != item.State.CLOSED:
        raise CommandError(MinutesError.ITEM_NOT_DECIDED, item_id=item.pk)


def _extract_document(meeting: Meeting, item_id: int, actor: Actor) -> MinutesDocument:
    """The one-paragraph extract of an item, rendered from the log as it stands now."""
    existing = MinutesDocument.objects.filter(meeting=meeting, item_id=item_id).first()
    if existing is not None:
        return existing
    base = paragraph_base(meeting)
    full = minutes_of(meeting, base=base)
    signers = _signers(full)
    if not signers or signers[0]["user_id"] != actor.pk:
        # Only the chair's first signature creates the extract.
        if not any(s["user_id"] == actor.pk for s in signers):
            raise CommandError(MinutesError.NOT_A_SIGNER)
        raise CommandError(MinutesError.SIGNING_ORDER)
    if not any(s["role"] == "adjuster" for s in signers):
        raise CommandError(MinutesError.NO_ADJUSTERS)
    extract = dataclasses.replace(
        full, paragraphs=tuple(p for p in full.paragraphs if p.item_id == item_id),
        title=f"{full.title} – protokollsutdrag (omedelbar justering)",
    )
    public = public_minutes(extract)
    full_pdf, public_pdf = render_both(extract, public)
    numbers = [p.number for p in extract.paragraphs]
    return MinutesDocument.objects.create(
        meeting=meeting, item_id=item_id, log_seq=full.log_seq, log_hash=full.log_hash,
        locked_at=timezone.now(), locked_by=actor,
        full_unsigned=full_pdf, public_unsigned=public_pdf,
        full_pdf=full_pdf, public_pdf=public_pdf,
        full_sha256=sha256(full_pdf), public_sha256=sha256(public_pdf),
        public_text=minutes_text(public), public_minutes=minutes_to_dict(public),
        signers=signers, paragraph_base=base,
        first_paragraph=min(numbers, default=0), last_paragraph=max(numbers, default=0),
    )


@transaction.atomic
def minutes_sign_paragraph(
    *, meeting_id: int, actor: Actor, item_id: int, password: str,
    command_id: str | None = None,
) -> MeetingEvent:
    """Omedelbar justering: one handled paragraph extracted and signed at the meeting."""
    meeting = lock_meeting(meeting_id)
    if done := replayed_event(meeting=meeting, command_id=command_id, actor_id=actor.pk):
        return done
    _require_unlocked(meeting)
    require_item_handled(meeting, item_id)
    item = item_of(meeting, item_id)
    document = _extract_document(meeting, item.pk, actor)
    mine, signature = _sign_document(
        document, actor=actor, password=password,
        reason="Omedelbar justering av paragraf",
    )
    return append_event(
        meeting=meeting, type="minutes.paragraph_signed",
        payload={"document_id": document.pk, "item_id": item.pk, "title": item.title,
                 "confidential": item.confidential, "user_id": actor.pk,
                 "name": mine["name"], "role": mine["role"], "position": signature.position,
                 "full_sha256": document.full_sha256, "public_sha256": document.public_sha256,
                 "complete": signature.position == len(document.signers)},
        actor_id=actor.pk, command_id=command_id,
    )
