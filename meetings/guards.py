"""Checks other apps add to meeting commands without meetings importing them.

``voting`` registers a guard so an item cannot be closed while a vote on it is open; the
dependency still points one way (voting -> meetings).
"""

from __future__ import annotations

from collections.abc import Callable

from meetings.models import AgendaItem

ItemGuard = Callable[[AgendaItem], None]

_item_close_guards: list[ItemGuard] = []
_decided_checks: list[Callable[[AgendaItem], bool]] = []


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
