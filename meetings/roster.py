"""Who serves which seat, who may take part in the active item, and how the roster changes.

Rules enforced here (domain.md "People and seats"):
- Seats change hands only between items, except around jäv on the active item.
- A member who arrives late takes the seat back when the next item is activated.
- A substitute who serves only because the server is recused on an item steps down after it.
- A serving substitute is never displaced by a higher-ranked substitute who arrives later:
  substitutes are only proposed for seats whose server is absent or recused.
- No växeltjänstgöring: a person who checks out while serving (after the first item began and
  not because of jäv) is marked ``stepped_out`` and does not serve again at this meeting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth.models import User

from meetings.errors import CommandError, ErrorCode
from meetings.events import RosterChange, RosterProposalRow, RosterRow
from meetings.models import (
    AgendaItem,
    Body,
    Meeting,
    Participant,
    Recusal,
    SeatService,
    Substitute,
)
from meetings.refs import person_ref
from meetings.roles import Actor, display_name, name_of


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
    def occupant_id(self) -> int:
        """Who serves the seat; only asked of a served seat (``may_decide``)."""
        if self.user_id is None:
            raise ValueError(f"seat {self.seat_number} is not served")
        return self.user_id

    @property
    def may_decide(self) -> bool:
        """Counts for quorum and may vote: served, present (confirmed) and not recused."""
        return self.user_id is not None and self.present and not self.recused

    def as_dict(self) -> RosterRow:
        return RosterRow(
            seat=self.seat_number, party=self.party, weight=self.weight,
            user_id=self.user_id, name=self.name, substitute=self.is_substitute,
            present=self.present, recused=self.recused,
        )


def present_user_ids(meeting: Meeting) -> set[int]:
    """People whose attendance counts: present and confirmed by the secretary."""
    return set(
        Participant.objects.filter(meeting=meeting, present=True, confirmed=True).values_list(
            "user_id", flat=True
        )
    )


def recused_user_ids(item_id: int | None) -> set[int]:
    if not item_id:
        return set()
    return set(Recusal.objects.filter(item_id=item_id).values_list("user_id", flat=True))


def stepped_out_user_ids(meeting: Meeting) -> set[int]:
    return set(
        Participant.objects.filter(meeting=meeting, stepped_out=True).values_list(
            "user_id", flat=True
        )
    )


def serving_seats(meeting: Meeting) -> list[ServingSeat]:
    """The roster of the meeting's seats as it stands, for the active item.

    Read as plain rows (no model instances): at a thousand seats this is on the path of every
    vote that opens and every snapshot."""
    present = present_user_ids(meeting)
    recused = recused_user_ids(meeting.active_item_id)
    rows = SeatService.objects.filter(meeting=meeting).order_by("seat__number").values_list(
        "seat__number", "seat__weight", "seat__party", "seat__member_id", "user_id",
        "user__first_name", "user__last_name", "user__username",
    )
    return [
        ServingSeat(
            seat_number=number, weight=weight, party=party, user_id=user_id,
            name=name_of(first, last, username) if user_id is not None else "",
            is_substitute=user_id is not None and user_id != member_id,
            present=user_id is not None and user_id in present,
            recused=user_id is not None and user_id in recused,
        )
        for number, weight, party, member_id, user_id, first, last, username in rows
    ]


def serving_seat_of(meeting: Meeting, user_id: int) -> ServingSeat | None:
    return next((s for s in serving_seats(meeting) if s.user_id == user_id), None)


def roster_change(
    *, seat_number: int, from_user: User | None, to_user: User | None,
    reason: str,
) -> RosterChange:
    """One entry of an event's ``roster_changes``: seat, from, to, reason."""
    return RosterChange({
        "seat": seat_number, "from": person_ref(from_user), "to": person_ref(to_user),
        "reason": reason,
    })


def require_may_take_part(meeting: Meeting, actor: Actor) -> ServingSeat:
    """Refuse anyone who may not speak as a serving member, propose or vote on the active item.

    Order of refusals: not in the meeting at all -> ``not_a_participant``; recused on the
    active item -> ``recused``; not serving a seat -> ``not_serving``; serving but not present
    and confirmed -> ``not_present``.
    """
    user_id = getattr(actor, "pk", None)
    if user_id is None or not Participant.objects.filter(
        meeting=meeting, user_id=user_id
    ).exists():
        raise CommandError(ErrorCode.NOT_A_PARTICIPANT)
    if user_id in recused_user_ids(meeting.active_item_id):
        raise CommandError(ErrorCode.RECUSED, item_id=meeting.active_item_id)
    seat = serving_seat_of(meeting, user_id)
    if seat is None:
        raise CommandError(ErrorCode.NOT_SERVING)
    if not seat.present:
        raise CommandError(ErrorCode.NOT_PRESENT, seat=seat.seat_number)
    return seat


SubstituteLike = TypeVar("SubstituteLike", bound=Substitute)


def call_in_order(
    substitutes: Iterable[SubstituteLike], *, party: str, policy: str
) -> list[SubstituteLike]:
    """The body's substitutes in the order they are called in for a seat of ``party``.

    The one ordering rule, used at the meeting (``roster_proposals``) and before it (a
    förhinder, ``notices``): ``party_order`` takes the seat's own party first, then the
    call-in order (tjänstgöringsordning); ``body_order`` the call-in order alone; ``none``
    calls in nobody."""
    if policy == Body.SubstitutePolicy.NONE:
        return []
    ordered = sorted(substitutes, key=lambda s: s.call_in_order)
    if policy == Body.SubstitutePolicy.PARTY_ORDER:
        ordered.sort(key=lambda s: s.party != party)  # stable: call-in order within each
    return ordered


#: Functions that name, per seat number, the substitute arranged to serve it at a meeting
#: before it began (registered by apps above ``meetings``, from their ``ready()``).
ArrangedSubstitutes = Callable[[Meeting], dict[int, int]]
_arrangers: list[ArrangedSubstitutes] = []


def register_arranged_substitutes(source: ArrangedSubstitutes) -> None:
    """Let an app tell the roll call which substitute agreed in advance to serve a seat."""
    if source not in _arrangers:
        _arrangers.append(source)


def arranged_substitutes(meeting: Meeting) -> dict[int, int]:
    """seat number -> user id of the substitute arranged for it (the first source wins)."""
    arranged: dict[int, int] = {}
    for source in _arrangers:
        for seat, user_id in source(meeting).items():
            arranged.setdefault(seat, user_id)
    return arranged


@dataclass(frozen=True)
class RosterProposal:
    """A seat that needs someone else, and the substitute the body's rules point to."""

    seat_number: int
    party: str
    reason: str  # "absent" | "recused" | "vacant"
    current_user_id: int | None
    current_name: str
    substitute_user_id: int | None
    substitute_name: str
    substitute_party: str
    # False while an item is active and the server is merely absent: wait for the next item.
    change_allowed_now: bool

    def as_dict(self) -> RosterProposalRow:
        return RosterProposalRow(
            seat_number=self.seat_number, party=self.party, reason=self.reason,
            current_user_id=self.current_user_id, current_name=self.current_name,
            substitute_user_id=self.substitute_user_id, substitute_name=self.substitute_name,
            substitute_party=self.substitute_party, change_allowed_now=self.change_allowed_now,
        )


def roster_proposals(meeting: Meeting) -> list[RosterProposal]:
    """For each seat whose server is absent, missing or recused on the active item, the next
    available substitute under the body's ``substitute_policy`` (``call_in_order``); a
    substitute arranged in advance for that seat (``arranged_substitutes``) comes first.

    Available means present and confirmed, not serving a seat already, not recused on the
    active item and not stepped out; each substitute is proposed for one seat at most, seats
    taken in seat order.
    """
    rows = serving_seats(meeting)
    needs = [r for r in rows if r.user_id is None or not r.present or r.recused]
    if not needs:
        return []
    policy = meeting.body.substitute_policy
    present = present_user_ids(meeting)
    recused = recused_user_ids(meeting.active_item_id)
    excluded = {r.user_id for r in rows if r.user_id} | recused | stepped_out_user_ids(meeting)
    candidates = [
        s for s in Substitute.objects.filter(body_id=meeting.body_id)
        .select_related("user").order_by("call_in_order")
        if s.user_id in present and s.user_id not in excluded
    ]
    taken: set[int] = set()
    # Substitutes arranged before the meeting (a förhinder answered; see ``arranged_by``)
    # come first for their seat and are kept for it while that seat needs them.
    arranged = arranged_substitutes(meeting)
    needing = {r.seat_number for r in needs}
    kept = {uid for seat, uid in arranged.items() if seat in needing}
    proposals = []
    for row in needs:
        pick: Substitute | None = None
        if policy != Body.SubstitutePolicy.NONE:
            own = arranged.get(row.seat_number)
            pool = [c for c in candidates if c.user_id not in taken
                    and (c.user_id not in kept or c.user_id == own)]
            ordered = call_in_order(pool, party=row.party, policy=policy)
            ordered.sort(key=lambda c: c.user_id != own)  # stable: the arranged one first
            pick = ordered[0] if ordered else None
        if pick is not None:
            taken.add(pick.user_id)
        reason = "vacant" if row.user_id is None else "recused" if row.recused else "absent"
        proposals.append(
            RosterProposal(
                seat_number=row.seat_number, party=row.party, reason=reason,
                current_user_id=row.user_id, current_name=row.name,
                substitute_user_id=pick.user_id if pick else None,
                substitute_name=display_name(pick.user) if pick else "",
                substitute_party=pick.party if pick else "",
                change_allowed_now=meeting.active_item_id is None or reason == "recused",
            )
        )
    return proposals


def return_seats_to_members(meeting: Meeting, item: AgendaItem) -> list[RosterChange]:
    """At item activation: members present again (late arrivals) take their seats back.

    Not a member who is recused on the new item, nor one who stepped out. Call inside the
    command's transaction, after the meeting row was locked.
    """
    present = present_user_ids(meeting)
    blocked = recused_user_ids(item.pk) | stepped_out_user_ids(meeting)
    changes: list[RosterChange] = []
    services = SeatService.objects.filter(meeting=meeting).select_related(
        "seat__member", "user"
    )
    for service in sorted(services, key=lambda s: s.seat.number):
        member = service.seat.member
        if service.user_id == member.pk or member.pk not in present or member.pk in blocked:
            continue
        changes.append(roster_change(seat_number=service.seat.number, from_user=service.user,
                                     to_user=member, reason="member_returned"))
        service.user = member
        service.only_item = None
        service.returns_to = None
        service.save(update_fields=["user", "only_item", "returns_to"])
    return changes


def end_one_item_services(meeting: Meeting, item: AgendaItem) -> list[RosterChange]:
    """At item close: substitutes who served only for a recused server's item step down."""
    changes: list[RosterChange] = []
    services = SeatService.objects.filter(meeting=meeting, only_item=item).select_related(
        "seat__member", "user", "returns_to"
    )
    for service in sorted(services, key=lambda s: s.seat.number):
        back = service.returns_to or service.seat.member
        changes.append(roster_change(seat_number=service.seat.number, from_user=service.user,
                                     to_user=back, reason="recusal_ended"))
        service.user = back
        service.only_item = None
        service.returns_to = None
        service.save(update_fields=["user", "only_item", "returns_to"])
    return changes


def roster_proposals_data(meeting: Meeting) -> list[RosterProposalRow]:
    """``roster_proposals`` for event payloads: carried by every event after which the
    proposals may have changed, so the secretary's screen stays current without a query."""
    return [p.as_dict() for p in roster_proposals(meeting)]
