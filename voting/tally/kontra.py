"""Kontrapropositionsvotering: the order of the votes that find the counter-proposal, then
the main vote (huvudvotering), as an immutable plan."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from voting.tally.open_vote import ProposalPair

StepKind = Literal["elimination", "main"]

ELIMINATION: StepKind = "elimination"
MAIN_VOTE: StepKind = "main"


@dataclass(frozen=True, slots=True)
class Step:
    """One vote to hold: ``first`` (ja) against ``second`` (nej).

    In the main vote ``first`` is the huvudförslag and ``second`` the motförslag.
    In an elimination step ``first`` is the survivor so far and ``second`` the
    next proposal in proposition order. ``number`` counts from 1 for the minutes.
    """

    kind: StepKind
    first: str
    second: str
    number: int

    @property
    def pair(self) -> ProposalPair:
        """The ja/nej mapping for this step's open vote."""
        return ProposalPair(main=self.first, counter=self.second)


@dataclass(frozen=True, slots=True)
class StepRecord:
    """A step that has been voted on, and the proposal that won it."""

    step: Step
    winner: str


@dataclass(frozen=True, slots=True)
class KontraPlan:
    """Immutable state machine for kontrapropositionsvotering + huvudvotering.

    The caller (which owns the database rows) asks ``next_step()``, holds that vote,
    and calls ``record(step, winner)`` to get the next state. Keeping the order
    rule here means the minutes' voting order cannot drift from the rule:
    the non-main proposals in proposition order, first vs second, the winner vs
    the third, ...; the survivor is the motförslag; then huvudförslag vs motförslag.
    """

    proposals: tuple[str, ...]
    main: str
    history: tuple[StepRecord, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.proposals:
            raise ValueError("no proposals")
        if len(set(self.proposals)) != len(self.proposals):
            raise ValueError("proposals must be distinct")
        if self.main not in self.proposals:
            raise ValueError(f"main proposal {self.main!r} is not among the proposals")

    @classmethod
    def start(cls, *, proposals: Sequence[str], main: str) -> KontraPlan:
        """Begin with the proposals in proposition order and the acclamation winner."""
        return cls(proposals=tuple(proposals), main=main)

    @property
    def others(self) -> tuple[str, ...]:
        """The non-main proposals, in proposition order."""
        return tuple(p for p in self.proposals if p != self.main)

    @property
    def counter(self) -> str | None:
        """The motförslag once elimination is over (None before, or with one proposal)."""
        others = self.others
        if not others:
            return None
        eliminations = [r for r in self.history if r.step.kind == ELIMINATION]
        if len(eliminations) < len(others) - 1:
            return None
        return eliminations[-1].winner if eliminations else others[0]

    @property
    def winner(self) -> str | None:
        """The adopted proposal, once decided (with one proposal: that one, no vote)."""
        if len(self.proposals) == 1:
            return self.main
        for r in self.history:
            if r.step.kind == MAIN_VOTE:
                return r.winner
        return None

    @property
    def done(self) -> bool:
        """True when no more votes are needed."""
        return self.next_step() is None

    def next_step(self) -> Step | None:
        """The next pair to put against each other, or None when finished."""
        others = self.others
        if not others or self.winner is not None:
            return None
        number = len(self.history) + 1
        done_elims = len(self.history)  # the main vote is always last
        if done_elims < len(others) - 1:
            survivor = self.history[-1].winner if self.history else others[0]
            return Step(ELIMINATION, survivor, others[done_elims + 1], number)
        counter = self.counter
        assert counter is not None
        return Step(MAIN_VOTE, self.main, counter, number)

    def record(self, step: Step, winner: str) -> KontraPlan:
        """Return the plan with ``step`` decided for ``winner``.

        ``step`` must equal ``next_step()``: voting out of order is refused, so a
        stale or replayed request cannot corrupt the sequence.
        """
        expected = self.next_step()
        if expected is None:
            raise ValueError("the voting is already finished")
        if step != expected:
            raise ValueError(f"expected step {expected}, got {step}")
        if winner not in (step.first, step.second):
            raise ValueError(f"{winner!r} is not one of {step.first!r} / {step.second!r}")
        return KontraPlan(
            proposals=self.proposals,
            main=self.main,
            history=self.history + (StepRecord(step, winner),),
        )

    @property
    def steps_needed(self) -> int:
        """Total number of votes: n-2 eliminations + 1 main vote for n>=2; 0 for n=1."""
        return max(len(self.proposals) - 1, 0)


def pairwise_final(
    *, proposals: Sequence[str], main: str, prefers: Callable[[str, str], str]
) -> tuple[str, str]:
    """Reference (huvudförslag, motförslag) computed directly, for tests and checks.

    ``prefers(a, b)`` returns whichever of ``a``/``b`` the meeting prefers in a
    vote between the two. Needs at least two proposals (with one there is no vote).
    """
    if main not in proposals:
        raise ValueError(f"main proposal {main!r} is not among the proposals")
    others = [p for p in proposals if p != main]
    if not others:
        raise ValueError("need at least two proposals for a final pair")
    survivor = others[0]
    for challenger in others[1:]:
        pick = prefers(survivor, challenger)
        if pick not in (survivor, challenger):
            raise ValueError(f"prefers returned {pick!r}, not one of the pair")
        survivor = pick
    return (main, survivor)
