"""Pure tally rules for votes and elections in a Swedish committee meeting.

No database and no Django here on purpose: the rules (chair's casting vote,
kontrapropositionsvotering, elections decided by lot) are the part of the voting
app that must be right, so they are plain functions over immutable values that
property tests can hammer. The database layer feeds ballots in and stores the
results (and any lot drawn) in the minutes.

Vocabulary: "ja" / "nej" / "avstar" are the choices of an open vote (öppen
omröstning). In a vote between two proposals, "ja" is for the main proposal
(huvudförslag) and "nej" for the counter-proposal (motförslag), see ProposalPair.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "AVSTAR",
    "CHOICES",
    "ELIMINATION",
    "JA",
    "MAIN_VOTE",
    "NEJ",
    "ChairDecisionRequired",
    "Choice",
    "Draw",
    "ElectionResult",
    "KontraPlan",
    "Lot",
    "OpenBallot",
    "OpenResult",
    "Outcome",
    "ProposalPair",
    "SecretResult",
    "Step",
    "StepKind",
    "StepRecord",
    "classify_election_ballot",
    "pairwise_final",
    "roll_call_order",
    "system_draw",
    "tally_election",
    "tally_open",
    "tally_secret",
]

Choice = Literal["ja", "nej", "avstar"]
Outcome = Literal["ja", "nej"]
StepKind = Literal["elimination", "main"]
Draw = Callable[[Sequence[str], int], list[str]]
"""A lot: ``draw(population, k)`` returns ``k`` distinct members of ``population``."""

JA: Outcome = "ja"
NEJ: Outcome = "nej"
AVSTAR: Choice = "avstar"
CHOICES: tuple[Choice, ...] = (JA, NEJ, AVSTAR)
ELIMINATION: StepKind = "elimination"
MAIN_VOTE: StepKind = "main"


def system_draw(population: Sequence[str], k: int) -> list[str]:
    """Default lot: the OS CSPRNG, so nobody can predict or replay who wins a lot."""
    return secrets.SystemRandom().sample(list(population), k)


def _check_weight(weight: object) -> int:
    # bool is an int subclass; True as a weight is almost certainly a bug upstream.
    if not isinstance(weight, int) or isinstance(weight, bool) or weight < 1:
        raise ValueError(f"ballot weight must be a positive int, got {weight!r}")
    return weight


# --------------------------------------------------------------------------- open vote


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


# ------------------------------------------------------------ kontrapropositionsvotering


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


# ----------------------------------------------------------------------------- lots


@dataclass(frozen=True, slots=True)
class Lot:
    """A lot drawn to break a tie (lottning); recorded in the minutes as is.

    ``tied`` are the candidates (or "ja"/"nej") in the tie, in list order;
    ``seats`` how many of them the lot had to pick; ``drawn`` who won it.
    """

    tied: tuple[str, ...]
    seats: int
    drawn: tuple[str, ...]


def _draw_lot(draw: Draw, tied: tuple[str, ...], seats: int) -> Lot:
    drawn = tuple(draw(tied, seats))
    if len(drawn) != seats or len(set(drawn)) != seats or not set(drawn) <= set(tied):
        raise ValueError(f"draw returned {drawn!r}; need {seats} distinct of {tied!r}")
    return Lot(tied=tied, seats=seats, drawn=drawn)


# --------------------------------------------------------------------- secret decision


@dataclass(frozen=True, slots=True)
class SecretResult:
    """Outcome of a secret ja/nej vote (only where the body's rules allow one).

    ``blank`` are empty ballots, ``invalid`` unreadable ones; neither decides.
    On a tie the lot decides (``lot`` set): the chair has no casting vote in a
    secret vote, because their vote is not known (Swedish practice, cf. KL 5:57).
    """

    ja: int
    nej: int
    avstar: int
    blank: int
    invalid: int
    total: int
    outcome: Outcome
    lot: Lot | None


def tally_secret(*, ballots: Sequence[str | None], draw: Draw | None = None) -> SecretResult:
    """Count a secret ja/nej/avstar vote; None or "" is blank, anything else invalid.

    Reuses ``tally_open`` with anonymous ballots, so the counting rule is shared;
    a tie goes to ``draw(("ja", "nej"), 1)``.
    """
    open_ballots: list[OpenBallot] = []
    blank = invalid = 0
    for i, b in enumerate(ballots):
        if b is None or b == "":
            blank += 1
        elif b in CHOICES:
            open_ballots.append(OpenBallot(voter_id=str(i), choice=b))  # type: ignore[arg-type]
        else:
            invalid += 1
    try:
        r = tally_open(ballots=open_ballots, chair_voter_id=None)
        return SecretResult(r.ja, r.nej, r.avstar, blank, invalid, len(ballots), r.outcome, None)
    except ChairDecisionRequired as tie:
        lot = _draw_lot(draw or system_draw, (JA, NEJ), 1)
        outcome: Outcome = JA if lot.drawn[0] == JA else NEJ
        return SecretResult(tie.ja, tie.nej, tie.avstar, blank, invalid, len(ballots), outcome, lot)


# ---------------------------------------------------------------------------- election


@dataclass(frozen=True, slots=True)
class ElectionResult:
    """Result of a secret majority election (val) to ``posts`` seats.

    ``votes`` has every candidate, in candidate order. ``elected`` is ordered by
    votes (desc), ties above the cut-off in candidate order and those decided by
    lot in draw order. Fewer than ``posts`` are elected when fewer candidates got
    any vote: a candidate with no votes is not elected, the seat stays open.
    """

    votes: tuple[tuple[str, int], ...]
    blank: int
    invalid: int
    valid: int
    elected: tuple[str, ...]
    lot: Lot | None

    def votes_for(self, candidate: str) -> int:
        """Votes for one candidate (KeyError if unknown)."""
        return dict(self.votes)[candidate]


def classify_election_ballot(
    ballot: Sequence[str], *, candidates: Sequence[str], posts: int
) -> Literal["blank", "invalid", "valid"]:
    """Blank = no names; invalid = unknown name, a name twice, or more than ``posts``.

    An invalid ballot counts for nobody: the voter's intent is unclear.
    """
    if len(ballot) == 0:
        return "blank"
    known = set(candidates)
    if len(ballot) > posts or len(set(ballot)) != len(ballot) or not set(ballot) <= known:
        return "invalid"
    return "valid"


def tally_election(
    *,
    candidates: Sequence[str],
    posts: int,
    ballots: Sequence[Sequence[str]],
    draw: Draw | None = None,
) -> ElectionResult:
    """Count a secret election; a tie at the cut-off is decided by lot.

    Each valid ballot gives one vote to each candidate it names. Only candidates
    tied exactly at the last seat are put in the lot, and ``draw`` picks just the
    seats left over; the default is the OS CSPRNG. Deterministic given ``draw``.
    """
    cands = tuple(candidates)
    if len(set(cands)) != len(cands):
        raise ValueError("candidates must be distinct")
    if not isinstance(posts, int) or isinstance(posts, bool) or posts < 1:
        raise ValueError(f"posts must be a positive int, got {posts!r}")
    counts = dict.fromkeys(cands, 0)
    blank = invalid = valid = 0
    for ballot in ballots:
        if isinstance(ballot, str):
            raise TypeError("a ballot is a sequence of candidate names, not a str")
        kind = classify_election_ballot(ballot, candidates=cands, posts=posts)
        if kind == "blank":
            blank += 1
        elif kind == "invalid":
            invalid += 1
        else:
            valid += 1
            for name in ballot:
                counts[name] += 1

    order = {c: i for i, c in enumerate(cands)}
    ranked = sorted((c for c in cands if counts[c] > 0), key=lambda c: (-counts[c], order[c]))
    lot: Lot | None = None
    if len(ranked) <= posts:
        elected = tuple(ranked)
    else:
        cutoff = counts[ranked[posts - 1]]
        above = tuple(c for c in ranked if counts[c] > cutoff)
        tied = tuple(c for c in ranked if counts[c] == cutoff)
        seats = posts - len(above)
        if len(tied) == seats:
            elected = above + tied
        else:
            lot = _draw_lot(draw or system_draw, tied, seats)
            elected = above + lot.drawn
    return ElectionResult(
        votes=tuple((c, counts[c]) for c in cands),
        blank=blank,
        invalid=invalid,
        valid=valid,
        elected=elected,
        lot=lot,
    )
