"""A meeting (sammanträde) and its agenda (föredragningslista)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.models.body import Body


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open")
        ADJOURNED = "adjourned", _("Adjourned")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("planned end"), null=True, blank=True)
    place = models.CharField(
        _("place"), max_length=200, blank=True,
        help_text=_("Leave empty for a fully digital meeting (digitalt sammanträde)."),
    )
    video_link = models.URLField(_("video conference link"), blank=True)
    is_public = models.BooleanField(_("open to the public"), default=False)
    # Read-table state, changed only by commands (meetings.commands).
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    paused = models.BooleanField(_("paused"), default=False)
    agenda_approved = models.BooleanField(_("agenda approved"), default=False)
    active_item = models.ForeignKey(
        "AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who presides when it is not the body's chair (None: the chair), and why
    # (``presiding.changed``; meetings.presiding).
    presiding = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    presiding_reason = models.CharField(max_length=20, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    adjourned_at = models.DateTimeField(null=True, blank=True)
    # Head of the event log; the row lock on the meeting serialises appends.
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.body}: {self.title} ({self.starts_at:%Y-%m-%d})"

    @property
    def is_digital(self) -> bool:
        return not self.place


class AgendaItem(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Not yet handled")
        ACTIVE = "active", _("Being handled")
        CLOSED = "closed", _("Handled")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=300)
    # The case number in the registry (diarienummer, "KS 2026/123") and the official who
    # prepared the case (föredragande): both printed in the notice, the minutes and extracts.
    case_number = models.CharField(_("case number (Dnr)"), max_length=60, blank=True)
    presenter = models.CharField(
        _("presenting official (föredragande)"), max_length=200, blank=True,
        help_text=_("Name and title, for example “Anna Berg, förvaltningschef”."),
    )
    description = models.TextField(_("description"), blank=True)
    prepared_proposal = models.TextField(_("prepared proposal (beslutsförslag)"), blank=True)
    confidential = models.BooleanField(
        _("confidential"), default=False,
        help_text=_("Closed item (sekretess): never shown to the public."),
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    # Paragraph number (§), numbered per body and calendar year when the item is decided.
    paragraph = models.PositiveIntegerField(_("paragraph (§)"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="item_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Attachment(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="attachments/%Y/")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title
