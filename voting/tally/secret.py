"""Secret counts: a secret ja/nej vote and a secret election (val), ties decided by lot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from voting.tally.lots import Draw, Lot, draw_lot, system_draw
from voting.tally.open_vote import (
    CHOICES,
    JA,
    NEJ,
    ChairDecisionRequired,
    OpenBallot,
    Outcome,
    tally_open,
)


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
        lot = draw_lot(draw or system_draw, (JA, NEJ), 1)
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
            lot = draw_lot(draw or system_draw, tied, seats)
            elected = above + lot.drawn
    return ElectionResult(
        votes=tuple((c, counts[c]) for c in cands),
        blank=blank,
        invalid=invalid,
        valid=valid,
        elected=elected,
        lot=lot,
    )
