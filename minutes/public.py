"""What the public sees: the notice board, the archive, published minutes and verification.

Only posted minutes are public, and only their public version (confidential items withheld,
identity numbers masked). Views call these functions and render; no rule lives in a view.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minutes import ca_store
from minutes.inputs import minutes_of
from minutes.model import STOCKHOLM, Minutes
from minutes.models import MinutesDocument, Publication
from minutes.redaction import public_minutes
from minutes.serialise import minutes_from_dict
from minutes.signing import (
    Coverage,
    InvalidKeyMaterial,
    PdfUnreadable,
    SignatureReport,
    pdfsig_available,
    pdfsig_report,
    verify_pdf_or_raise,
)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def today() -> date:
    return timezone.now().astimezone(STOCKHOLM).date()


def _published() -> QuerySet[Publication]:
    return Publication.objects.select_related("document", "document__meeting", "body").filter(
        document__item__isnull=True
    )


def notice_board(*, on: date | None = None) -> list[Publication]:
    """Notices that are up today: posted, and the three weeks not yet over."""
    day = on or today()
    return list(_published().filter(posted_on__lte=day, taken_down_on__gte=day)
                .order_by("-posted_on", "-pk"))


def archive(
    *, body_id: int | None = None, year: int | None = None, query: str = "",
) -> list[Publication]:
    """All posted minutes, newest first, filtered by body, year of meeting and free text."""
    qs = _published()
    if body_id:
        qs = qs.filter(body_id=body_id)
    if year:
        qs = qs.filter(meeting_date__year=year)
    for word in query.split()[:8]:
        qs = qs.filter(Q(document__public_text__icontains=word) | Q(body__name__icontains=word))
    return list(qs.order_by("-meeting_date", "-pk"))


def archive_facets() -> tuple[list[tuple[int, str]], list[int]]:
    """(bodies, years) that have posted minutes, for the archive's filters."""
    rows = _published().values_list("body_id", "body__name", "meeting_date")
    bodies = sorted({(b, n) for b, n, _ in rows}, key=lambda x: x[1])
    years = sorted({d.year for _, _, d in rows}, reverse=True)
    return bodies, years


def publication(publication_id: object) -> Publication | None:
    try:
        return _published().get(pk=int(str(publication_id)))
    except (Publication.DoesNotExist, ValueError, TypeError):
        return None


def published_minutes(pub: Publication) -> Minutes:
    """The public minutes exactly as locked: rebuilt from the log up to the locked head."""
    document = pub.document
    if document.public_minutes:
        # Re-applied: a snapshot frozen before a public rule existed follows it too.
        return public_minutes(minutes_from_dict(document.public_minutes))
    return public_minutes(
        minutes_of(document.meeting, upto_seq=document.log_seq, base=document.paragraph_base)
    )


def attendance_sections(m: Minutes) -> list[tuple[str, tuple]]:
    """The attendance groups in the order the minutes print them (Swedish legal headings)."""
    return [("Beslutande", m.deciding), ("Ersättare", m.substitutes), ("Övriga", m.others),
            ("Frånvarande", m.absent)]


def is_on_notice_board(pub: Publication, *, on: date | None = None) -> bool:
    day = on or today()
    return pub.posted_on <= day <= pub.taken_down_on


# --- Verification ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Match:
    publication: Publication | None
    document: MinutesDocument
    version: str  # "public" (published) or "full" (internal, not published)


@dataclass(frozen=True)
class Verification:
    sha256: str
    size: int
    signatures: tuple[SignatureReport, ...]
    all_valid: bool
    last_covers_whole_file: bool
    matches: tuple[Match, ...]
    pdfsig_valid: bool | None  # None when poppler's pdfsig is not installed
    error: str = ""  # a readable message when the file could not be checked

    @property
    def published(self) -> bool:
        return any(m.version == "public" and m.publication is not None for m in self.matches)


class VerificationRefused(Exception):
    """The upload could not be checked at all (too large, empty, not a PDF)."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


def _matches(digest: str) -> tuple[Match, ...]:
    out: list[Match] = []
    for doc in MinutesDocument.objects.filter(
        Q(public_sha256=digest) | Q(full_sha256=digest)
    ).select_related("meeting"):
        pub = Publication.objects.filter(document=doc).first()
        version = "public" if doc.public_sha256 == digest else "full"
        if version == "public" and pub is None:
            continue  # not posted yet: not a published version
        out.append(Match(publication=pub, document=doc, version=version))
    return tuple(out)


def verify_upload(data: bytes, *, now: datetime | None = None) -> Verification:
    """Check every signature against the organisation root, and look the file up by SHA-256."""
    if not data:
        raise VerificationRefused(_("The file is empty."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise VerificationRefused(_("The file is too large (at most 10 MB)."))
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise VerificationRefused(_("The file is not a PDF."))
    digest = hashlib.sha256(data).hexdigest()
    try:
        roots = ca_store.trust_roots_pem()
    except InvalidKeyMaterial:
        raise VerificationRefused(
            _("Verification is not available: this installation has no signing root yet.")
        ) from None
    matches = _matches(digest)
    if now is None and matches:
        # No timestamp authority: for a file we issued, judge the certificates at the time our
        # own records say it was signed, so minutes stay valid after a certificate expires.
        last = matches[0].document.signatures.order_by("-position").first()
        now = last.signed_at if last is not None else None
    try:
        reports = tuple(verify_pdf_or_raise(data, trust_root_pem=roots, validation_time=now))
    except PdfUnreadable:
        raise VerificationRefused(_("The file could not be read as a PDF.")) from None
    last_whole = bool(reports) and reports[-1].coverage is Coverage.ENTIRE_FILE
    pdfsig_ok: bool | None = None
    if reports and pdfsig_available():
        try:
            second = pdfsig_report(data)
            pdfsig_ok = bool(second) and len(second) == len(reports) and all(
                s["signature_valid"] for s in second
            )
        except Exception:  # noqa: BLE001 - a second opinion must never break the page
            pdfsig_ok = None
    return Verification(
        sha256=digest, size=len(data), signatures=reports,
        all_valid=bool(reports) and all(r.valid for r in reports) and last_whole,
        last_covers_whole_file=last_whole, matches=matches, pdfsig_valid=pdfsig_ok,
    )
