"""A body's substitutes (ersättare): party, term of office and the call-in order
(tjänstgöringsordning) that ``meetings.roster`` follows when a seat needs a substitute.

The call-in order is kept contiguous (1, 2, 3, ...): adding appends (or inserts at a given
place), removing closes the gap, ``substitutes_reorder`` sets the whole order at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction

from meetings.errors import CommandError, ErrorCode
from meetings.models import Body, Seat, Substitute
from meetings.roles import Actor
from meetings.setup.access import body_of, require_organisation_admin
from meetings.setup.bodies import require_not_in_session
from meetings.setup.people import person_of
from meetings.setup.validation import apply, check_term, invalid, validated

#: Temporary call-in numbers while renumbering (the order is unique per body at every write).
_SHIFT = 10_000


def substitute_of(substitute_id: int) -> Substitute:
    try:
        return Substitute.objects.select_for_update().get(pk=substitute_id)
    except (Substitute.DoesNotExist, ValueError, TypeError):
        raise CommandError(ErrorCode.SUBSTITUTE_NOT_FOUND, substitute_id=substitute_id) from None


def _renumber(body: Body, ordered: Sequence[Substitute]) -> None:
    """Give ``ordered`` the call-in order 1..n, in two passes (unique at every write)."""
    for n, sub in enumerate(ordered, start=1):
        Substitute.objects.filter(pk=sub.pk).update(call_in_order=_SHIFT + n)
    for n, sub in enumerate(ordered, start=1):
        Substitute.objects.filter(pk=sub.pk).update(call_in_order=n)
        sub.call_in_order = n


def _in_order(body: Body) -> list[Substitute]:
    return list(Substitute.objects.filter(body=body).order_by("call_in_order", "pk"))


@transaction.atomic
def substitute_add(
    *, actor: Actor, body_id: int, user_id: int, party: str = "",
    call_in_order: int | None = None, term_start: date | None = None,
    term_end: date | None = None,
) -> Substitute:
    """A substitute, last in the call-in order or at ``call_in_order`` (the rest move down)."""
    require_organisation_admin(actor)
    body = body_of(body_id, for_update=True)
    require_not_in_session(body.pk)
    user = person_of(user_id)
    if Substitute.objects.filter(body=body, user=user).exists():
        raise CommandError(ErrorCode.ALREADY_A_SUBSTITUTE, user_id=user.pk)
    if Seat.objects.filter(body=body, member=user).exists():
        raise CommandError(ErrorCode.ALREADY_SEATED, user_id=user.pk)
    check_term(term_start, term_end)
    order = _in_order(body)
    place = len(order) + 1 if call_in_order is None else call_in_order
    if not 1 <= place <= len(order) + 1:
        raise invalid("call_in_order", "out_of_range")
    sub = Substitute(body=body, user=user, party=party.strip(), call_in_order=_SHIFT * 2,
                     term_start=term_start, term_end=term_end)
    validated(sub, exclude_unique=True)
    sub.save()
    order.insert(place - 1, sub)
    _renumber(body, order)
    return sub


@transaction.atomic
def substitute_update(
    *, actor: Actor, substitute_id: int, party: str | None = None,
    term_start: date | None = None, term_end: date | None = None, clear_term: bool = False,
) -> Substitute:
    """Change party or term of office (the order: ``substitutes_reorder``)."""
    require_organisation_admin(actor)
    sub = substitute_of(substitute_id)
    require_not_in_session(sub.body_id)
    if clear_term:
        sub.term_start = sub.term_end = None
    apply(sub, {"party": party.strip() if party is not None else None,
                "term_start": term_start, "term_end": term_end},
          ("party", "term_start", "term_end"))
    check_term(sub.term_start, sub.term_end)
    validated(sub, exclude_unique=True)
    sub.save()
    return sub


@transaction.atomic
def substitute_remove(*, actor: Actor, substitute_id: int) -> None:
    """Remove a substitute; those after them move up one place."""
    require_organisation_admin(actor)
    sub = substitute_of(substitute_id)
    require_not_in_session(sub.body_id)
    body = body_of(sub.body_id, for_update=True)
    sub.delete()
    _renumber(body, _in_order(body))


@transaction.atomic
def substitutes_reorder(
    *, actor: Actor, body_id: int, substitute_ids: Sequence[int]
) -> list[Substitute]:
    """Set the whole call-in order: ``substitute_ids`` lists every substitute once, first
    to be called in first."""
    require_organisation_admin(actor)
    body = body_of(body_id, for_update=True)
    require_not_in_session(body.pk)
    current = {sub.pk: sub for sub in _in_order(body)}
    ids = list(substitute_ids)
    if len(ids) != len(set(ids)) or set(ids) != set(current):
        raise invalid("substitute_ids", "not_a_permutation")
    ordered = [current[pk] for pk in ids]
    _renumber(body, ordered)
    return ordered
