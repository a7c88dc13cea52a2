"""A body's seats and their elected members (ledamöter), with party and term of office.

Refused while a meeting of the body is open (``body_in_session``): who serves a seat at a
meeting is the meeting's roster, and it must not change under it.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from meetings.errors import CommandError, ErrorCode
from meetings.models import Seat, SeatService
from meetings.roles import Actor
from meetings.setup.access import body_of, require_organisation_admin
from meetings.setup.bodies import require_not_in_session
from meetings.setup.people import person_of
from meetings.setup.validation import apply, check_term, invalid, validated


def seat_of(seat_id: int) -> Seat:
    try:
        return Seat.objects.select_for_update().select_related("body").get(pk=seat_id)
    except (Seat.DoesNotExist, ValueError, TypeError):
        raise CommandError(ErrorCode.SEAT_NOT_FOUND, seat_id=seat_id) from None


def _check_number(seat: Seat) -> None:
    if not 1 <= seat.number <= seat.body.seats_count:
        raise invalid("number", "outside_seats_count")
    if Seat.objects.filter(body_id=seat.body_id, number=seat.number).exclude(pk=seat.pk).exists():
        raise CommandError(ErrorCode.SEAT_NUMBER_TAKEN, number=seat.number)


def _check_member(seat: Seat) -> None:
    if Seat.objects.filter(body_id=seat.body_id, member_id=seat.member_id).exclude(
            pk=seat.pk).exists():
        raise CommandError(ErrorCode.ALREADY_SEATED, user_id=seat.member_id)


@transaction.atomic
def seat_add(
    *, actor: Actor, body_id: int, member_id: int, number: int | None = None, party: str = "",
    weight: int = 1, term_start: date | None = None, term_end: date | None = None,
) -> Seat:
    """A seat with its member; ``number`` defaults to the lowest free one."""
    require_organisation_admin(actor)
    body = body_of(body_id, for_update=True)
    require_not_in_session(body.pk)
    member = person_of(member_id)
    if number is None:
        taken = set(body.seats.values_list("number", flat=True))
        number = next((n for n in range(1, body.seats_count + 1) if n not in taken), 0)
        if not number:
            raise invalid("number", "no_free_seat")
    seat = Seat(body=body, number=number, member=member, party=party.strip(), weight=weight,
                term_start=term_start, term_end=term_end)
    check_term(term_start, term_end)
    _check_number(seat)
    _check_member(seat)
    validated(seat, exclude_unique=True)
    seat.save()
    return seat


@transaction.atomic
def seat_update(
    *, actor: Actor, seat_id: int, member_id: int | None = None, number: int | None = None,
    party: str | None = None, weight: int | None = None, term_start: date | None = None,
    term_end: date | None = None, clear_term: bool = False,
) -> Seat:
    """Change what is given (None leaves it); ``clear_term`` empties both term dates. A new
    member on the seat is the seat's new holder (a by-election, fyllnadsval)."""
    require_organisation_admin(actor)
    seat = seat_of(seat_id)
    require_not_in_session(seat.body_id)
    if clear_term:
        seat.term_start = seat.term_end = None
    apply(seat, {
        "number": number, "party": party.strip() if party is not None else None,
        "weight": weight, "term_start": term_start, "term_end": term_end,
    }, ("number", "party", "weight", "term_start", "term_end"))
    if member_id is not None:
        seat.member = person_of(member_id)
    check_term(seat.term_start, seat.term_end)
    _check_number(seat)
    _check_member(seat)
    validated(seat, exclude_unique=True)
    seat.save()
    return seat


@transaction.atomic
def seat_remove(*, actor: Actor, seat_id: int) -> None:
    """Remove a seat that never served at a meeting (the minutes of past meetings name it)."""
    require_organisation_admin(actor)
    seat = seat_of(seat_id)
    require_not_in_session(seat.body_id)
    if SeatService.objects.filter(seat=seat).exists():
        raise CommandError(ErrorCode.SEAT_IN_USE, seat_id=seat.pk)
    seat.delete()
