"""Checks other apps add to meeting commands without meetings importing them.

``voting`` registers a guard so an item cannot be closed while a vote on it is open; the
dependency still points one way (voting -> meetings).
"""

from __future__ import annotations

from collections.abc import Callable

from meetings.models import AgendaItem

ItemGuard = Callable[[AgendaItem], None]

_item_close_guards: list[ItemGuard] = []


def add_item_close_guard(guard: ItemGuard) -> None:
    """``guard(item)`` raises a CommandError when the item may not be closed yet."""
    if guard not in _item_close_guards:
        _item_close_guards.append(guard)


def check_item_close(item: AgendaItem) -> None:
    for guard in _item_close_guards:
        guard(item)
