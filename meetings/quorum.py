"""Quorum (beslutförhet): more than half of the seats served by someone present."""

from __future__ import annotations

import math
from dataclasses import dataclass

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
    """Count seats whose serving person is present and not recused on the active item."""
    present = set(
        Participant.objects.filter(meeting=meeting, present=True, confirmed=True).values_list(
            "user_id", flat=True
        )
    )
    recused: set[int] = set()
    if meeting.active_item_id:
        recused = set(
            Recusal.objects.filter(item_id=meeting.active_item_id).values_list(
                "user_id", flat=True
            )
        )
    serving = SeatService.objects.filter(meeting=meeting, user__isnull=False).values_list(
        "user_id", flat=True
    )
    count = sum(1 for user_id in serving if user_id in present and user_id not in recused)
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
