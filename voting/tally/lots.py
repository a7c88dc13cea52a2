"""Lots (lottning): how a tie in a secret vote or an election is broken."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Draw = Callable[[Sequence[str], int], list[str]]
"""A lot: ``draw(population, k)`` returns ``k`` distinct members of ``population``."""


def system_draw(population: Sequence[str], k: int) -> list[str]:
    """Default lot: the OS CSPRNG, so nobody can predict or replay who wins a lot."""
    return secrets.SystemRandom().sample(list(population), k)


@dataclass(frozen=True, slots=True)
class Lot:
    """A lot drawn to break a tie (lottning); recorded in the minutes as is.

    ``tied`` are the candidates (or "ja"/"nej") in the tie, in list order;
    ``seats`` how many of them the lot had to pick; ``drawn`` who won it.
    """

    tied: tuple[str, ...]
    seats: int
    drawn: tuple[str, ...]


def draw_lot(draw: Draw, tied: tuple[str, ...], seats: int) -> Lot:
    drawn = tuple(draw(tied, seats))
    if len(drawn) != seats or len(set(drawn)) != seats or not set(drawn) <= set(tied):
        raise ValueError(f"draw returned {drawn!r}; need {seats} distinct of {tied!r}")
    return Lot(tied=tied, seats=seats, drawn=drawn)
