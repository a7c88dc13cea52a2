"""Read tables for the debate on an item: proposals (yrkanden) and the speaker list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.models.meeting import AgendaItem


class Proposal(models.Model):
    """A proposal on an item. Formal motions are decided first, additions last."""

    class Kind(models.TextChoices):
        PREPARED = "prepared", _("Prepared proposal (beslutsförslag)")
        APPROVE = "bifall", _("Approve the prepared proposal (bifall)")
        REJECT = "avslag", _("Reject (avslag)")
        AMEND = "andring", _("Amendment (ändringsyrkande)")
        ADDITION = "tillagg", _("Addition (tilläggsyrkande)")
        REFER_BACK = "aterremiss", _("Refer back (återremiss)")
        TABLE = "bordlaggning", _("Table (bordläggning)")

    FORMAL_KINDS = frozenset({Kind.REFER_BACK, Kind.TABLE})

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="proposals")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn = models.BooleanField(default=False)

    class Meta:
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="proposal_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.number} {self.kind}"

    @property
    def is_formal(self) -> bool:
        return self.kind in self.FORMAL_KINDS


class SpeakerRequest(models.Model):
    """A request to speak (or to reply, replik) on an item, and when the floor was held."""

    class Kind(models.TextChoices):
        SPEAK = "speak", _("Speech")
        REPLY = "reply", _("Reply (replik)")

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SPEAKING = "speaking", _("Has the floor")
        DONE = "done", _("Done")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="speakers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SPEAK)
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    # Queue position: the log seq of the request event, so order is the order of requests.
    requested_seq = models.PositiveBigIntegerField()
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Time the presiding person added to the body's speaking-time limit for this speech.
    extra_seconds = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["item", "requested_seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "user", "kind"], name="one_open_request_per_kind",
                condition=models.Q(state__in=["waiting", "speaking"]),
            ),
            models.UniqueConstraint(
                fields=["item"], name="one_speaker_at_a_time",
                condition=models.Q(state="speaking"),
            ),
        ]
