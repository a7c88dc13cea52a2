"""Secret ballots: "who has voted" and "what was chosen" in two tables with no link.

``VoterMark`` knows the voter and not the choice; ``SecretBallot`` knows the choice and not
the voter. They share only the vote's id. Neither has a timestamp or an auto-increment key
(random UUID4 keys instead), and ballots are listed ordered by that random key. The one
residue is the physical row order inside the database pages; see docs/security.md.
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
    """One anonymous ballot: the choice and the voter's random receipt code, nothing else.

    ``choice`` is "ja"/"nej"/"avstar" or null (blank) in a secret vote on a proposal, and a
    list of candidate names (empty = blank) in an election.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="secret_ballots")
    choice = models.JSONField(null=True, blank=True)
    receipt = models.CharField(max_length=16)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "receipt"], name="secret_receipt_unique"),
        ]
