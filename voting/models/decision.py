"""Decisions (beslut) with their § number, reservations and protocol notes."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from meetings.models import AgendaItem, Body, Proposal
from voting.models.acclamation import Acclamation
from voting.models.vote import Vote


class Decision(models.Model):
    class Kind(models.TextChoices):
        ADOPTED = "adopted", "adopted"            # a proposal was adopted (bifall)
        REJECTED = "rejected", "rejected"         # the only proposal was rejected (avslag)
        REFERRED_BACK = "aterremiss", "aterremiss"
        TABLED = "bordlaggning", "bordlaggning"
        NOTED = "noted", "noted"                  # no proposal: the chair's stated decision
        PROCEDURAL = "procedural", "procedural"   # agenda, adjusters, information items
        ELECTION = "election", "election"         # linked to its election vote

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="+")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    paragraph = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()
    vote = models.ForeignKey(
        Vote, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acclamation = models.ForeignKey(
        Acclamation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["body", "year", "paragraph"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "paragraph"], name="decision_paragraph_unique"
            ),
        ]


class Reservation(models.Model):
    """A member's dissent (reservation, KL 4:27), with written reasons handed in later."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="reservations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "user"], name="reservation_unique"),
        ]


class ProtocolNoteAllowance(models.Model):
    """The chair allowed this person a protocol note (protokollsanteckning) on the item."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="protocol_note_allow_unique"),
        ]


class ProtocolNote(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
