"""The open vote (öppen omröstning): ja/nej/avstar by name, the chair's casting vote on a
tie, the roll-call order, and which proposal "ja" means."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Choice = Literal["ja", "nej", "avstar"]
Outcome = Literal["ja", "nej"]

JA: Outcome = "ja"
NEJ: Outcome = "nej"
AVSTAR: Choice = "avstar"
CHOICES: tuple[Choice, ...] = (JA, NEJ, AVSTAR)


def _check_weight(weight: object) -> int:
    # bool is an int subclass; True as a weight is almost certainly a bug upstream.
    if not isinstance(weight, int) or isinstance(weight, bool) or weight < 1:
        raise ValueError(f"ballot weight must be a positive int, got {weight!r}")
    return weight



@dataclass(frozen=True, slots=True)
class OpenBallot:
    """One member's recorded vote; the minutes list these by name (öppen omröstning)."""

    voter_id: str
    choice: Choice
    weight: int = 1

    def __post_init__(self) -> None:
        if self.choice not in CHOICES:
            raise ValueError(f"choice must be one of {CHOICES}, got {self.choice!r}")
        _check_weight(self.weight)


@dataclass(frozen=True, slots=True)
class OpenResult:
    """Counts (weights included) and the outcome of a ja/nej vote.

    ``decided_by_casting_vote`` is true when Ja and Nej were equal and the chair's
    utslagsröst decided; the minutes must say so. Abstentions are counted in
    ``avstar`` and ``total`` but never decide anything.
    """

    ja: int
    nej: int
    avstar: int
    total: int
    outcome: Outcome
    decided_by_casting_vote: bool


class ChairDecisionRequired(Exception):
    """Ja and Nej are equal and the chair has no ja/nej vote on record.

    The chair must give a deciding vote (utslagsröst); the caller records it and
    calls ``tally_open`` again with ``casting_vote``. Raised rather than guessed
    because the tally cannot know the chair's mind.
    """

    def __init__(self, *, ja: int, nej: int, avstar: int, chair_voter_id: str | None) -> None:
        self.ja = ja
        self.nej = nej
        self.avstar = avstar
        self.chair_voter_id = chair_voter_id
        super().__init__(f"tie {ja}-{nej} (avstar {avstar}): the chair must give a casting vote")


def tally_open(
    *,
    ballots: Sequence[OpenBallot],
    chair_voter_id: str | None,
    casting_vote: Outcome | None = None,
) -> OpenResult:
    """Count an open ja/nej/avstar vote; on a tie the chair's side wins (utslagsröst).

    Tie rule: if the chair voted "ja" or "nej", that side wins. If the chair voted
    "avstar" or did not vote, ``casting_vote`` decides; without it
    ``ChairDecisionRequired`` is raised. A ``casting_vote`` that contradicts the
    chair's recorded ja/nej is a ``ValueError`` (the casting vote *is* the chair's
    vote). ``casting_vote`` is ignored when there is no tie. It never changes the
    counts: totals always equal the weighted ballots.

    A voter may appear only once (``ValueError`` otherwise): a double vote is an
    upstream bug the minutes must not paper over.
    """
    if casting_vote is not None and casting_vote not in (JA, NEJ):
        raise ValueError(f"casting_vote must be 'ja' or 'nej', got {casting_vote!r}")
    counts = {JA: 0, NEJ: 0, AVSTAR: 0}
    seen: set[str] = set()
    chair_choice: Choice | None = None
    for ballot in ballots:
        if ballot.voter_id in seen:
            raise ValueError(f"voter {ballot.voter_id!r} voted twice")
        seen.add(ballot.voter_id)
        counts[ballot.choice] += _check_weight(ballot.weight)
        if chair_voter_id is not None and ballot.voter_id == chair_voter_id:
            chair_choice = ballot.choice
    ja, nej, avstar = counts[JA], counts[NEJ], counts[AVSTAR]
    total = ja + nej + avstar
    if ja != nej:
        return OpenResult(ja, nej, avstar, total, JA if ja > nej else NEJ, False)
    if chair_choice in (JA, NEJ):
        if casting_vote is not None and casting_vote != chair_choice:
            raise ValueError(
                f"casting vote {casting_vote!r} contradicts the chair's vote {chair_choice!r}"
            )
        return OpenResult(ja, nej, avstar, total, chair_choice, True)  # type: ignore[arg-type]
    if casting_vote is None:
        raise ChairDecisionRequired(ja=ja, nej=nej, avstar=avstar, chair_voter_id=chair_voter_id)
    return OpenResult(ja, nej, avstar, total, casting_vote, True)


def roll_call_order(*, attendance: Sequence[str], chair_id: str | None) -> tuple[str, ...]:
    """Roll-call order: the attendance list's order, the chair last (domain rule)."""
    if len(set(attendance)) != len(attendance):
        raise ValueError("attendance list has duplicates")
    rest = tuple(a for a in attendance if a != chair_id)
    return rest + ((chair_id,) if chair_id is not None and chair_id in attendance else ())


@dataclass(frozen=True, slots=True)
class ProposalPair:
    """Maps a vote between two proposals onto ja/nej: ja = ``main``, nej = ``counter``.

    Exists so no caller has to remember which side "ja" means in a huvudvotering
    or an elimination step.
    """

    main: str
    counter: str

    def __post_init__(self) -> None:
        if self.main == self.counter:
            raise ValueError("a proposal cannot be put against itself")

    def choice_for(self, proposal: str) -> Outcome:
        """The choice a voter makes to support ``proposal``."""
        if proposal == self.main:
            return JA
        if proposal == self.counter:
            return NEJ
        raise ValueError(f"{proposal!r} is not in this vote")

    def proposal_for(self, outcome: Outcome) -> str:
        """The proposal that won, given the ja/nej outcome."""
        if outcome == JA:
            return self.main
        if outcome == NEJ:
            return self.counter
        raise ValueError(f"outcome must be 'ja' or 'nej', got {outcome!r}")
