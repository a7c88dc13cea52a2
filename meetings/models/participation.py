"""Read tables for who takes part: attendance, who serves which seat, jäv, adjusters.

They are projections of the event log, updated by commands in the same transaction as the
event; nothing here is the source of truth on its own.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.models.body import Seat
from meetings.models.meeting import AgendaItem, Meeting


class Participant(models.Model):
    """A person's attendance at one meeting."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member (ledamot)")
        SUBSTITUTE = "substitute", _("Substitute (ersättare)")
        SECRETARY = "secretary", _("Secretary")
        OFFICIAL = "official", _("Official (tjänsteperson)")
        GUEST = "guest", _("Guest")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    role = models.CharField(max_length=20, choices=Role.choices)
    present = models.BooleanField(default=False)
    remote = models.BooleanField(default=False)
    confirmed = models.BooleanField(default=False)
    connected = models.BooleanField(default=False)
    # Checked out while serving a seat after the first item began: no växeltjänstgöring, so
    # this person does not get back in (take a seat back, be called in) during this meeting.
    stepped_out = models.BooleanField(default=False)
    # A remote link that dropped past the grace period (``presence.expired``) and has not been
    # restored by a check-in since: the console shows them as "back" once connected again.
    link_lost = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="participant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.meeting_id}"


class SeatService(models.Model):
    """Who serves a seat right now (the member, a substitute, or nobody)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="services")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    # Set when a substitute serves only for one item because the server is recused on it:
    # after that item the seat goes back to ``returns_to``.
    only_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returns_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seat"], name="service_seat_unique"),
            models.UniqueConstraint(
                fields=["meeting", "user"], name="service_user_unique",
                condition=models.Q(user__isnull=False),
            ),
        ]


class Recusal(models.Model):
    """A declared or decided conflict of interest (jäv) on one item."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="recusals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    reason = models.CharField(max_length=500, blank=True)
    # Who recorded it when it was not the person themselves (the secretary); None = declared.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="recusal_unique"),
        ]


class Adjuster(models.Model):
    """A person chosen to check and sign the minutes (justerare)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="adjusters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="adjuster_unique"),
            models.UniqueConstraint(fields=["meeting", "position"], name="adjuster_position"),
        ]
