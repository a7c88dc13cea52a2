"""Pure tally rules for votes and elections in a Swedish committee meeting.

No database and no Django here on purpose: the rules (chair's casting vote,
kontrapropositionsvotering, elections decided by lot) are the part of the voting
app that must be right, so they are plain functions over immutable values that
property tests can hammer. The database layer feeds ballots in and stores the
results (and any lot drawn) in the minutes.

Vocabulary: "ja" / "nej" / "avstar" are the choices of an open vote (öppen
omröstning). In a vote between two proposals, "ja" is for the main proposal
(huvudförslag) and "nej" for the counter-proposal (motförslag), see ProposalPair.

The rules are split by job: ``open_vote`` (ja/nej/avstar by name, the casting vote),
``kontra`` (the order of kontrapropositionsvotering), ``secret`` (secret votes and
elections) and ``lots`` (ties decided by lot). Import them from here.
"""

from __future__ import annotations

from voting.tally.kontra import (
    ELIMINATION,
    MAIN_VOTE,
    KontraPlan,
    Step,
    StepKind,
    StepRecord,
    pairwise_final,
)
from voting.tally.lots import Draw, Lot, system_draw
from voting.tally.open_vote import (
    AVSTAR,
    CHOICES,
    JA,
    NEJ,
    ChairDecisionRequired,
    Choice,
    OpenBallot,
    OpenResult,
    Outcome,
    ProposalPair,
    roll_call_order,
    tally_open,
)
from voting.tally.secret import (
    ElectionResult,
    SecretResult,
    classify_election_ballot,
    tally_election,
    tally_secret,
)

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
