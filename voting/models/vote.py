"""Votes (omröstningar), their frozen eligibility, open ballots, and kontraproposition rounds."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from meetings.models import AgendaItem, Meeting, MeetingEvent, Proposal


class KontraVoting(models.Model):
    """A kontrapropositionsvotering on an item: the steps decided so far, in order.

    ``history`` mirrors ``voting.tally.KontraPlan.history`` plus where each step was
    decided, so the plan can be rebuilt from this row (and from the log) at any time.
    """

    class State(models.TextChoices):
        RUNNING = "running", "running"
        DONE = "done", "done"

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="+")
    proposal_ids = models.JSONField()  # in proposition order
    main_proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="+")
    # [{"number", "kind", "first", "second", "winner", "vote_id"|None, "acclamation_id"|None}]
    history = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    winner = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item"], name="one_running_kontra_per_item",
                condition=models.Q(state="running"),
            ),
        ]


class Vote(models.Model):
    class Kind(models.TextChoices):
        OPEN = "open", "open"            # öppen omröstning, by name
        SECRET = "secret", "secret"      # sluten omröstning on a proposal
        ELECTION = "election", "election"  # val with candidates, always secret
        # proportionellt val (lag 2022:629): closed list ballots, always secret
        PROPORTIONAL = "proportional", "proportional"

    class State(models.TextChoices):
        OPEN = "open", "open"
        CLOSED = "closed", "closed"
        VOID = "void", "void"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()  # votering 1, 2, ... on this item
    kind = models.CharField(max_length=20, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    # ja = main proposal, nej = counter proposal (or avslag of main when there is none).
    main_proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    counter_proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    candidates = models.JSONField(default=list)  # elections: names in ballot order
    posts = models.PositiveSmallIntegerField(null=True, blank=True)  # seats, proportional too
    # Proportional elections: the substitutes' (ersättare) election, and the lists registered
    # before the vote ([{"label", "names"}]); a voter may also write a ballot of their own.
    substitutes = models.BooleanField(default=False)
    lists = models.JSONField(default=list, blank=True)
    acclamation = models.ForeignKey(
        "voting.Acclamation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kontra = models.ForeignKey(
        KontraVoting, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kontra_step = models.PositiveSmallIntegerField(null=True, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    eligible_count = models.PositiveIntegerField(default=0)
    cast_count = models.PositiveIntegerField(default=0)
    # The vote.closed event: a second close returns it unchanged (idempotent close).
    close_event = models.ForeignKey(
        MeetingEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result = models.JSONField(null=True, blank=True)
    void_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="vote_number_unique"),
            models.UniqueConstraint(
                fields=["item"], name="one_open_vote_per_item", condition=models.Q(state="open"),
            ),
        ]

    def __str__(self) -> str:
        return f"vote {self.pk} ({self.kind}, {self.state})"

    @property
    def is_secret(self) -> bool:
        return self.kind != self.Kind.OPEN


class Eligibility(models.Model):
    """Who may vote, frozen when the vote opened: serving, present, non-recused seats."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="eligible")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    seat_number = models.PositiveSmallIntegerField()
    weight = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=300)
    is_substitute = models.BooleanField(default=False)
    # Announced an abstention in time (only matters under Body.abstain_policy=announce_before).
    may_abstain = models.BooleanField(default=True)

    class Meta:
        ordering = ["vote", "seat_number"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "user"], name="eligibility_unique"),
        ]


class OpenBallot(models.Model):
    """A named ballot in an open vote. The unique (vote, voter) stops a second ballot."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="open_ballots")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=10)
    # Set when the secretary recorded an oral answer on the member's behalf.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vote", "voter"], name="open_ballot_unique"),
        ]
