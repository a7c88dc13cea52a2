"""Requests for a proportional election (lag 2022:629, 2 §).

An election is proportional when at least (present members ÷ (seats + 1)), rounded up, ask for
it. Each request is a row that keeps the count it brought the requests to and the threshold at
that moment (the members present then), so "the threshold was reached" is a fact recorded when
it happened, not recomputed later from a roster that has since changed. The members' and the
substitutes' elections are requested separately (3 §: the substitutes' election may be
proportional only if the members' was).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from meetings.models import AgendaItem


class ProportionalRequest(models.Model):
    """A member asked for a proportional election on an item (a public act, said aloud)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    substitutes = models.BooleanField(default=False)  # the substitutes' (ersättare) election
    seats = models.PositiveSmallIntegerField()
    present = models.PositiveSmallIntegerField()  # present members at the moment of the request
    required = models.PositiveSmallIntegerField()  # required_requests(present, seats) then
    count = models.PositiveSmallIntegerField()  # requests so far, this one included

    class Meta:
        ordering = ["item", "substitutes", "count"]
        constraints = [
            models.UniqueConstraint(fields=["item", "user", "substitutes"],
                                    name="proportional_request_unique"),
        ]

    @property
    def reached(self) -> bool:
        return self.count >= self.required
