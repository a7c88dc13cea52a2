"""Read tables of the time before a meeting, and the record of every mail Klubba sent.

``AbsenceReport``, ``SubstituteRequest`` and ``RemoteRequest`` are projections of the
meeting log (``notices/events.py``), kept in the same transaction as their events.
``SentMail`` is not meeting state: it is the secretary's record of what left (or, in the
demo, would have left) the house, one row per recipient and message.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting, Seat, Substitute


class SentMail(models.Model):
    class Kind(models.TextChoices):
        NOTICE = "notice", _("Notice of meeting (kallelse)")
        AMENDED_NOTICE = "amended_notice", _("Amended notice (ändrad kallelse)")
        SUBSTITUTE_REQUEST = "substitute_request", _("Request to serve as substitute")
        SUBSTITUTE_RELEASED = "substitute_released", _("Substitute no longer needed")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        KEPT = "kept", _("Kept in Klubba (demo, no mail server)")
        FAILED = "failed", _("Failed")

    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="sent_mail"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    to = models.CharField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    attachments = models.JSONField(_("attachments"), default=list)  # file names only
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    error = models.TextField(_("error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("sent mail")
        verbose_name_plural = _("sent mail")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class AbsenceReport(models.Model):
    """A member's förhinder for one meeting. A withdrawn one is kept (``withdrawn_at``) so
    the substitutes it released still see why; a member may report again after withdrawing."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="absences")
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    reported_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "seat__number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seat"], name="absence_once_per_seat",
                                    condition=models.Q(withdrawn_at=None)),
        ]


class SubstituteRequest(models.Model):
    """A substitute asked to serve an absent member's seat, and the answer."""

    class State(models.TextChoices):
        ASKED = "asked", _("Asked, no answer yet")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        # The member withdrew the förhinder before the meeting: the substitute is not needed.
        RELEASED = "released", _("Not needed: the member withdrew the förhinder")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE,
                                related_name="substitute_requests")
    absence = models.ForeignKey(AbsenceReport, on_delete=models.CASCADE,
                                related_name="requests")
    substitute = models.ForeignKey(Substitute, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.ASKED)
    asked_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    # When the request was mailed (not meeting state: the mail is sent after the commit).
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "asked_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["absence", "substitute"],
                                    name="substitute_asked_once_per_absence"),
        ]


class RemoteRequest(models.Model):
    """A request to take part remotely (distansdeltagande), made before the meeting."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Awaiting decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE,
                                related_name="remote_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.REQUESTED)
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["meeting", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="remote_request_once"),
        ]
