"""Acclamation (acklamation): the chair puts a proposal and the gavel falls, unless someone
asks for a vote (votering) first."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from meetings.models import AgendaItem, Proposal


class Acclamation(models.Model):
    class State(models.TextChoices):
        PUT = "put", "put"              # asked, the gavel has not fallen
        DECIDED = "decided", "decided"  # the gavel fell: bifall or avslag
        TO_VOTE = "to_vote", "to_vote"  # a vote was requested and opened instead

    class Outcome(models.TextChoices):
        BIFALL = "bifall", "bifall"
        AVSLAG = "avslag", "avslag"

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="+")
    # With a counter-proposal the question is "proposal against counter": bifall = proposal wins.
    counter_proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PUT)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    kontra = models.ForeignKey(
        "voting.KontraVoting", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kontra_step = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="acclamation_number_unique"),
            models.UniqueConstraint(
                fields=["item"], name="one_pending_acclamation_per_item",
                condition=models.Q(state="put"),
            ),
        ]

    @property
    def winner_id(self) -> int | None:
        """The proposal the gavel adopted (None when a lone proposal was rejected)."""
        if self.state != self.State.DECIDED:
            return None
        if self.outcome == self.Outcome.BIFALL:
            return self.proposal_id
        return self.counter_proposal_id


class VoteRequest(models.Model):
    """A member asked for a vote (begär votering) before the gavel fell."""

    acclamation = models.ForeignKey(Acclamation, on_delete=models.CASCADE, related_name="requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["acclamation", "user"], name="vote_request_unique"),
        ]
