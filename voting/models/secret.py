"""Secret ballots: "who has voted" and "what was chosen" in tables with no link.

``VoterMark`` knows the voter and not the choice; ``SecretBallot`` knows the choice and not
the voter; ``CountedReceipt`` holds the receipt codes of a closed vote, apart from the
choices. They share only the vote's id. None has a timestamp or an auto-increment key (random
UUID4 keys instead), and rows are listed ordered by that random key. While the vote is open a
ballot is only ``sealed`` (``voting.sealing``): the row written with the voter's mark in the
cast's transaction cannot be read from the database. See docs/security.md.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from voting.models.vote import Vote


class VoterMark(models.Model):
    """This person has cast a ballot in this secret vote (and may not cast another)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="voter_marks")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "voter"], name="voter_mark_unique"),
        ]


class SecretBallot(models.Model):
    """One anonymous ballot.

    While the vote is open: ``sealed`` holds the choice and the receipt, encrypted
    (``choice`` is null). After close (or void) the row is rewritten: ``choice`` in the clear
    and ``sealed`` empty. ``choice`` is "ja"/"nej"/"avstar" or null (blank) in a secret vote
    on a proposal, and a sorted list of candidate names (empty = blank) in an election.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="secret_ballots")
    choice = models.JSONField(null=True, blank=True)
    sealed = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["id"]


class CountedReceipt(models.Model):
    """A receipt code of a counted ballot: published without its choice, so a voter can check
    that their ballot was counted but cannot prove to anyone how they voted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="counted_receipts")
    receipt = models.CharField(max_length=16)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "receipt"], name="counted_receipt_unique"),
        ]
