"""Checks other apps add to meeting commands without meetings importing them.

``voting`` registers guards so an item cannot be closed while a vote on it is open, and so
jäv cannot be declared, recorded or withdrawn on an item while a vote on it is open; the
dependency still points one way (voting -> meetings).
"""

from __future__ import annotations

from collections.abc import Callable

from meetings.models import AgendaItem

ItemGuard = Callable[[AgendaItem], None]
#: ``guard(item, user_id)``: may this person's jäv on this item change now?
RecusalGuard = Callable[[AgendaItem, int], None]

_item_close_guards: list[ItemGuard] = []
_decided_checks: list[Callable[[AgendaItem], bool]] = []
_recusal_guards: list[RecusalGuard] = []


def add_item_close_guard(guard: ItemGuard) -> None:
    """``guard(item)`` raises a CommandError when the item may not be closed yet."""
    if guard not in _item_close_guards:
        _item_close_guards.append(guard)


def check_item_close(item: AgendaItem) -> None:
    for guard in _item_close_guards:
        guard(item)


def add_item_decided_check(check: Callable[[AgendaItem], bool]) -> None:
    """``check(item)`` is True when a decision on the item is recorded (voting registers
    one); ``item_close`` refuses to close an undecided item unless told it has none."""
    if check not in _decided_checks:
        _decided_checks.append(check)


def item_decided(item: AgendaItem) -> bool:
    return any(check(item) for check in _decided_checks)


def add_recusal_guard(guard: RecusalGuard) -> None:
    """``guard(item, user_id)`` raises a CommandError when a jäv on the item may not be
    declared, recorded or withdrawn for this person now."""
    if guard not in _recusal_guards:
        _recusal_guards.append(guard)


def check_recusal_change(item: AgendaItem, user_id: int) -> None:
    for guard in _recusal_guards:
        guard(item, user_id)
