"""Proportional elections (lag 2022:629 om proportionella val i kommuner och regioner).

Closed ballots, each a group label (gruppbeteckning, 7 §) with an ordered list of names.
Identical ballots form one group (valsedelsgrupp). Seats go to groups by d'Hondt: each
group's comparison number (jämförelsetal) is votes ÷ (seats won + 1), the highest takes the
next seat; within a group the names are taken in list order, and a group whose names have
run out takes no more seats. Equal comparison numbers that decide who gets the last seats are
settled by lot (``draw``: the OS CSPRNG by default), and the lot is part of the result.

Substitutes (ersättare) are a separate election with the same method (3 §: it may be
proportional only if the members' election was), so this one function serves both.

Pure: no Django, no database. Exact arithmetic (``Fraction``), so a tie is a tie.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from voting.tally.lots import Draw, system_draw

MAX_NAMES = 50


@dataclass(frozen=True, slots=True)
class ListBallot:
    """One closed ballot: a group label and the names in the order the voter put them."""

    label: str
    names: tuple[str, ...]

    @property
    def valid(self) -> bool:
        names = [n.strip() for n in self.names]
        return (bool(self.label.strip()) and 0 < len(names) <= MAX_NAMES and all(names)
                and len(set(names)) == len(names))


@dataclass(frozen=True, slots=True)
class GroupResult:
    key: str  # "label: name, name, …" — one valsedelsgrupp
    label: str
    names: tuple[str, ...]
    votes: int
    seats: int
    elected: tuple[str, ...]  # the first ``seats`` names, in list order


@dataclass(frozen=True, slots=True)
class SeatAward:
    seat: int
    group: str  # GroupResult.key
    name: str
    comparison: Fraction
    by_lot: bool


@dataclass(frozen=True, slots=True)
class ProportionalLot:
    """Equal comparison numbers for fewer seats than groups: the lot chose."""

    seat: int  # the first seat the lot decided
    comparison: Fraction
    tied: tuple[str, ...]  # group keys, in first-ballot order
    drawn: tuple[str, ...]  # group keys, in the order they took the seats


@dataclass(frozen=True, slots=True)
class ProportionalResult:
    seats: int
    groups: tuple[GroupResult, ...]  # in order of first appearance (then key)
    awards: tuple[SeatAward, ...]  # seat by seat
    lots: tuple[ProportionalLot, ...]
    blank: int
    invalid: int

    @property
    def elected(self) -> tuple[str, ...]:
        """Everyone elected, seat by seat (the order the comparison numbers gave)."""
        return tuple(a.name for a in self.awards)


def group_key(ballot: ListBallot) -> str:
    return f"{ballot.label.strip()}: {', '.join(n.strip() for n in ballot.names)}"


def tally_proportional(
    ballots: Sequence[ListBallot | None], seats: int, *, draw: Draw = system_draw,
) -> ProportionalResult:
    """Count the ballots (``None`` is a blank ballot) and give ``seats`` seats by d'Hondt."""
    if seats < 1:
        raise ValueError("an election needs at least one seat")
    votes: dict[str, int] = {}
    lists: dict[str, ListBallot] = {}
    blank = invalid = 0
    for ballot in ballots:
        if ballot is None:
            blank += 1
            continue
        if not ballot.valid:
            invalid += 1
            continue
        key = group_key(ballot)
        lists.setdefault(key, ListBallot(ballot.label.strip(),
                                         tuple(n.strip() for n in ballot.names)))
        votes[key] = votes.get(key, 0) + 1
    order = list(lists)  # first appearance; callers shuffle secret ballots before counting
    won = dict.fromkeys(order, 0)  # seats each group has won
    pos = dict.fromkeys(order, 0)  # where each group's list has been read to
    awards: list[SeatAward] = []
    lots: list[ProportionalLot] = []
    elected_names: set[str] = set()

    def next_name(key: str) -> str | None:
        # A name already elected from another group's list is passed over.
        for name in lists[key].names[pos[key]:]:
            if name not in elected_names:
                return name
        return None

    while len(awards) < seats:
        open_groups = [k for k in order if next_name(k) is not None]
        if not open_groups:
            break  # fewer names than seats: the rest stay vacant
        best = max(Fraction(votes[k], won[k] + 1) for k in open_groups)
        tied = [k for k in open_groups if Fraction(votes[k], won[k] + 1) == best]
        left = seats - len(awards)
        if len(tied) > left:
            drawn = tuple(draw(tied, left))
            if len(drawn) != left or len(set(drawn)) != left or not set(drawn) <= set(tied):
                raise ValueError(f"draw returned {drawn!r}; need {left} of {tied!r}")
            lots.append(ProportionalLot(len(awards) + 1, best, tuple(tied), drawn))
            winners, by_lot = list(drawn), True
        else:
            winners, by_lot = tied, False
        for key in winners:
            name = next_name(key)
            if name is None:  # pragma: no cover - open_groups guarantees a name
                continue
            # Names elected from another list are passed over; read on in list order.
            pos[key] = lists[key].names.index(name, pos[key]) + 1
            won[key] += 1
            elected_names.add(name)
            awards.append(SeatAward(len(awards) + 1, key, name, best, by_lot))
    groups = tuple(
        GroupResult(key=k, label=lists[k].label, names=lists[k].names, votes=votes[k],
                    seats=sum(1 for a in awards if a.group == k),
                    elected=tuple(a.name for a in awards if a.group == k))
        for k in order
    )
    return ProportionalResult(seats=seats, groups=groups, awards=tuple(awards),
                              lots=tuple(lots), blank=blank, invalid=invalid)


def required_requests(present_members: int, seats: int) -> int:
    """How many must ask for a proportional election (2 §): present ÷ (seats + 1), rounded up."""
    if seats < 1:
        raise ValueError("an election needs at least one seat")
    return -(-present_members // (seats + 1))
