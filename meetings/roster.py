"""Who serves which seat right now, and who of them may decide on the active item."""

from __future__ import annotations

from dataclasses import dataclass

from meetings.models import Meeting, Participant, Recusal, SeatService
from meetings.roles import display_name


@dataclass(frozen=True)
class ServingSeat:
    seat_number: int
    weight: int
    party: str
    user_id: int | None
    name: str
    is_substitute: bool
    present: bool
    recused: bool

    @property
    def may_decide(self) -> bool:
        """Counts for quorum and may vote: served, present (confirmed) and not recused."""
        return self.user_id is not None and self.present and not self.recused


def serving_seats(meeting: Meeting) -> list[ServingSeat]:
    """The roster of the meeting's seats as it stands, for the active item."""
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
    rows = []
    services = SeatService.objects.filter(meeting=meeting).select_related("seat", "user")
    for service in sorted(services, key=lambda s: s.seat.number):
        user = service.user
        rows.append(
            ServingSeat(
                seat_number=service.seat.number,
                weight=service.seat.weight,
                party=service.seat.party,
                user_id=user.pk if user else None,
                name=display_name(user) if user else "",
                is_substitute=user is not None and user.pk != service.seat.member_id,
                present=user is not None and user.pk in present,
                recused=user is not None and user.pk in recused,
            )
        )
    return rows


def serving_seat_of(meeting: Meeting, user_id: int) -> ServingSeat | None:
    return next((s for s in serving_seats(meeting) if s.user_id == user_id), None)
