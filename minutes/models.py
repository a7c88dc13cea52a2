"""Read tables for minutes: the locked documents, their signatures, signer keys, publication.

The meeting log stays the source of truth: every row here is written by a command in
``minutes.commands`` in the same transaction as the event that records it. The PDF bytes live
here because signed bytes cannot be re-derived (a signature is not deterministic).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.models import AgendaItem, Body, Meeting


class SigningCredential(models.Model):
    """A person's signing certificate and private key (encrypted with the installation key)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signing_credential"
    )
    cert_pem = models.TextField()
    encrypted_key_pem = models.TextField()
    ca_fingerprint = models.CharField(max_length=95)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("signing credential")
        verbose_name_plural = _("signing credentials")


class MinutesDocument(models.Model):
    """The locked minutes (``item`` empty) or one paragraph extract (omedelbar justering).

    ``*_unsigned`` are the bytes rendered at lock time; ``full_pdf``/``public_pdf`` are the
    current bytes, each signature appended incrementally to the previous ones.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes_documents")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    log_seq = models.PositiveBigIntegerField()
    log_hash = models.CharField(max_length=64)
    locked_at = models.DateTimeField()
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    full_unsigned = models.BinaryField()
    public_unsigned = models.BinaryField()
    full_pdf = models.BinaryField()
    public_pdf = models.BinaryField()
    full_sha256 = models.CharField(max_length=64)
    public_sha256 = models.CharField(max_length=64)
    # The public minutes as plain text, for the archive's text search.
    public_text = models.TextField(blank=True)
    # The public minutes as locked (minutes.build.minutes_to_dict), for the HTML page: what the
    # public reads does not change if the body's data is edited after the lock.
    public_minutes = models.JSONField(default=dict)
    # The full minutes as locked (same form): what an extract (protokollsutdrag) copies, so
    # it reads exactly as the signed PDF whatever is edited later. Empty for minutes locked
    # before it existed (extracts then rebuild them from the log at the frozen head).
    full_minutes = models.JSONField(default=dict, blank=True)
    # § numbers used by the body's earlier minutes this year when this one was locked.
    paragraph_base = models.PositiveIntegerField(default=0)
    # § numbers this document uses (numbering runs per body and calendar year).
    first_paragraph = models.PositiveIntegerField(default=0)
    last_paragraph = models.PositiveIntegerField(default=0)
    # Who must sign, in order: [{"user_id", "name", "role", "field"}], chair first.
    signers = models.JSONField(default=list)
    # The justering loop: version 1 is the first lock; a revised version replaces the current
    # one (``superseded_at`` set) as long as nobody has signed it. Old versions are kept.
    version = models.PositiveSmallIntegerField(default=1)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("minutes document")
        verbose_name_plural = _("minutes documents")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"],
                condition=models.Q(item__isnull=True, superseded_at__isnull=True),
                name="one_current_minutes_per_meeting",
            ),
            models.UniqueConstraint(
                fields=["meeting", "version"], condition=models.Q(item__isnull=True),
                name="one_minutes_version_per_meeting",
            ),
            models.UniqueConstraint(fields=["meeting", "item"], name="one_extract_per_item"),
        ]

    def __str__(self) -> str:
        return f"Minutes {self.meeting_id}" + (f" § item {self.item_id}" if self.item_id else "")

    @property
    def fully_signed(self) -> bool:
        return self.signatures.count() >= len(self.signers)


class MinutesSignature(models.Model):
    document = models.ForeignKey(
        MinutesDocument, on_delete=models.PROTECT, related_name="signatures"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=20)
    field_name = models.CharField(max_length=64)
    position = models.PositiveSmallIntegerField()
    signed_at = models.DateTimeField()
    full_sha256 = models.CharField(max_length=64)
    public_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="one_signature_per_signer"),
            models.UniqueConstraint(fields=["document", "position"], name="signature_position"),
        ]


class Publication(models.Model):
    """The notice (anslag) that the signed minutes are posted, and the appeal period."""

    document = models.OneToOneField(
        MinutesDocument, on_delete=models.PROTECT, related_name="publication"
    )
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="publications")
    meeting_date = models.DateField()
    posted_at = models.DateTimeField()
    posted_on = models.DateField()
    appeal_last_day = models.DateField()
    taken_down_on = models.DateField()
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    kept_at = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-posted_on", "-pk"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return f"Anslag {self.body} {self.meeting_date}"


class LogCheckpoint(models.Model):
    """A meeting's log head signed with the anchoring key (``minutes.anchor``).

    The same line is appended to ``log-anchors.jsonl`` in the signing directory: the rows are
    a convenience, the file is what a database-only rewrite cannot touch.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="checkpoints")
    seq = models.PositiveBigIntegerField()
    head_hash = models.CharField(max_length=64)
    at = models.DateTimeField()
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=128)  # Ed25519, hex

    class Meta:
        verbose_name = _("log checkpoint")
        verbose_name_plural = _("log checkpoints")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seq"], name="one_checkpoint_per_seq"),
        ]


class DecisionRecipient(models.Model):
    """Who the decision of an item is sent to ("Beslutet skickas till"), as the secretary
    listed them last (``minutes.recipients_set``)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE,
                             related_name="decision_recipients")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    email = models.EmailField(max_length=254, blank=True)

    class Meta:
        ordering = ["item", "position"]
        verbose_name = _("decision recipient")
        verbose_name_plural = _("decision recipients")


class ProtocolExtract(models.Model):
    """A protokollsutdrag: one or more § of the signed minutes, certified by the secretary
    with a PAdES signature (``minutes.extract_certified``)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="extracts")
    document = models.ForeignKey(MinutesDocument, on_delete=models.PROTECT,
                                 related_name="extracts")
    number = models.PositiveIntegerField()
    item_ids = models.JSONField(default=list)
    paragraphs = models.JSONField(default=list)
    public = models.BooleanField(default=False)
    confidential = models.BooleanField(default=False)
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("minutes extract")
        verbose_name_plural = _("minutes extracts")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="extract_number"),
        ]

    @property
    def filename(self) -> str:
        numbers = "-".join(str(n) for n in self.paragraphs)
        return f"utdrag-{self.meeting_id}-{self.number}-paragraf-{numbers}.pdf"


class ExtractDispatch(models.Model):
    """Expediering: an extract e-mailed to the recipients of its paragraphs, with each
    recipient's result (``minutes.extract_dispatched``)."""

    extract = models.ForeignKey(ProtocolExtract, on_delete=models.PROTECT,
                                related_name="dispatches")
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    # [{"name", "organisation", "email", "result": sent|failed|no_email, "error"}]
    recipients = models.JSONField(default=list)

    class Meta:
        ordering = ["extract", "sent_at"]
        verbose_name = _("extract dispatch")
        verbose_name_plural = _("extract dispatches")
