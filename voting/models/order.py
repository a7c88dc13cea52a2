"""The order in which an item's proposals are put, and announced abstentions."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from meetings.models import AgendaItem


class PropositionOrder(models.Model):
    """The chair's propositionsordning for an item and whether the meeting approved it."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="+")
    # Proposal ids in the order they are put.
    proposal_ids = models.JSONField(default=list)
    approved = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"order {self.item_id}: {self.proposal_ids}"


class AbstentionAnnouncement(models.Model):
    """A member announced before the proposals were put that they will abstain (avstår)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="abstention_unique"),
        ]
