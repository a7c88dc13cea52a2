"""Quorum (beslutförhet): more than half of the seats served by someone present."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from meetings.errors import CommandError, ErrorCode
from meetings.events import QuorumCounts
from meetings.models import Body, Meeting, Participant, Recusal, SeatService


@dataclass(frozen=True)
class Quorum:
    seats: int
    serving_present: int
    required: int

    @property
    def reached(self) -> bool:
        return self.serving_present >= self.required

    def as_dict(self) -> QuorumCounts:
        return QuorumCounts(seats=self.seats, serving_present=self.serving_present,
                            required=self.required, reached=self.reached)


def required_for(*, seats: int, rule: str) -> int:
    if rule == Body.QuorumRule.AT_LEAST_HALF:
        return math.ceil(seats / 2)
    return seats // 2 + 1


def quorum_of(meeting: Meeting) -> Quorum:
    """Count seats whose serving person is present and not recused on the active item: one
    counting statement (every decision asks this, at a thousand seats too)."""
    serving_present = SeatService.objects.filter(meeting=meeting, user__isnull=False).filter(
        Exists(Participant.objects.filter(meeting_id=meeting.pk, user_id=OuterRef("user_id"),
                                          present=True, confirmed=True)))
    if meeting.active_item_id:
        serving_present = serving_present.exclude(Exists(Recusal.objects.filter(
            item_id=meeting.active_item_id, user_id=OuterRef("user_id"))))
    count = serving_present.count()
    seats = meeting.body.seats_count
    return Quorum(
        seats=seats, serving_present=count,
        required=required_for(seats=seats, rule=meeting.body.quorum_rule),
    )


def require_quorum(meeting: Meeting) -> Quorum:
    """Refuse a decision while the meeting lacks a quorum; called before every decision."""
    quorum = quorum_of(meeting)
    if not quorum.reached:
        raise CommandError(
            ErrorCode.NO_QUORUM, seats=quorum.seats, serving_present=quorum.serving_present,
            required=quorum.required, item_id=meeting.active_item_id,
        )
    return quorum
