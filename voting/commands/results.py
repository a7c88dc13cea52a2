"""Counting a vote at its close: the stored ballots in, the logged result out.

The rules live in ``voting.tally``; this module feeds them the rows and shapes what they
return into the payload pieces of ``voting.events``. A secret vote's result has counts only.
"""

from __future__ import annotations

import secrets

from meetings.errors import CommandError
from meetings.refs import person_ref
from voting.commands.proportional import proportional_result
from voting.errors import VotingError
from voting.events import (
    CandidateVotes,
    ElectionVoteResult,
    EligibleVoter,
    LotDrawn,
    OpenVoteResult,
    ProportionalVoteResult,
    RollCallEntry,
    SecretVoteResult,
    VoteResult,
)
from voting.models import Eligibility, OpenBallot, SecretBallot, Vote
from voting.sealing import unseal
from voting.tally import (
    ChairDecisionRequired,
    Lot,
    Outcome,
    tally_election,
    tally_open,
    tally_secret,
)
from voting.tally import OpenBallot as TallyBallot


def eligible_voter(e: Eligibility) -> EligibleVoter:
    return EligibleVoter(user_id=e.user_id, name=e.name, seat=e.seat_number, weight=e.weight,
                         substitute=e.is_substitute)


def _lot(lot: Lot | None) -> LotDrawn | None:
    if lot is None:
        return None
    return LotDrawn(tied=list(lot.tied), seats=lot.seats, drawn=list(lot.drawn))


def open_result(vote: Vote, casting_vote: Outcome | None) -> OpenVoteResult:
    """Count an open vote and name every ballot (the roll call), or refuse a tie the chair
    has not decided (``chair_decision_required``)."""
    eligible = {e.user_id: e for e in Eligibility.objects.filter(vote=vote)}
    ballots = list(OpenBallot.objects.filter(vote=vote).select_related("recorded_by"))
    by_voter = {b.voter_id: b for b in ballots}
    chair = str(vote.chair_id) if vote.chair_id else None
    try:
        result = tally_open(
            ballots=[TallyBallot(str(b.voter_id), b.choice,  # type: ignore[arg-type]
                                 eligible[b.voter_id].weight) for b in ballots],
            chair_voter_id=chair, casting_vote=casting_vote,
        )
    except ChairDecisionRequired as tie:
        raise CommandError(
            VotingError.CHAIR_DECISION_REQUIRED, ja=tie.ja, nej=tie.nej, avstar=tie.avstar,
            chair_user_id=vote.chair_id,
        ) from None
    except ValueError:
        raise CommandError(VotingError.INVALID_CHOICE, field="casting_vote",
                           reason="contradicts_the_chairs_vote") from None
    # Roll-call order: seat order (the attendance list), the chair last.
    order = sorted(eligible.values(), key=lambda e: (e.user_id == vote.chair_id, e.seat_number))
    named: list[RollCallEntry] = []
    not_voted: list[EligibleVoter] = []
    for e in order:
        b = by_voter.get(e.user_id)
        if b is None:
            not_voted.append(eligible_voter(e))
            continue
        named.append(RollCallEntry(
            user_id=e.user_id, name=e.name, seat=e.seat_number, weight=e.weight,
            substitute=e.is_substitute, choice=b.choice,
            recorded_by=person_ref(b.recorded_by) if b.recorded_by_id else None,
        ))
    return OpenVoteResult(
        ja=result.ja, nej=result.nej, avstar=result.avstar, total=result.total,
        outcome=result.outcome, decided_by_casting_vote=result.decided_by_casting_vote,
        casting_vote=casting_vote if result.decided_by_casting_vote else None,
        chair_user_id=vote.chair_id, ballots=named, not_voted=not_voted,
        cast=vote.cast_count, eligible_count=vote.eligible_count,
    )


def secret_result(vote: Vote) -> SecretVoteResult | ElectionVoteResult | ProportionalVoteResult:
    """Count a secret vote or election from the ballots alone (read in a random order)."""
    choices = [unseal(vote.pk, sealed)[0] if sealed else choice for choice, sealed in
               SecretBallot.objects.filter(vote=vote).values_list("choice", "sealed")]
    secrets.SystemRandom().shuffle(choices)
    if vote.kind == Vote.Kind.PROPORTIONAL:
        return proportional_result(vote, choices)
    if vote.kind == Vote.Kind.ELECTION:
        e = tally_election(candidates=vote.candidates, posts=vote.posts or 1,
                           ballots=[c or [] for c in choices])
        return ElectionVoteResult(
            votes=[CandidateVotes(candidate=c, votes=n) for c, n in e.votes],
            blank=e.blank, invalid=e.invalid, valid=e.valid, elected=list(e.elected),
            lot=_lot(e.lot), cast=vote.cast_count, eligible_count=vote.eligible_count,
        )
    r = tally_secret(ballots=choices)
    return SecretVoteResult(
        ja=r.ja, nej=r.nej, avstar=r.avstar, blank=r.blank, invalid=r.invalid,
        total=r.total, outcome=r.outcome, lot=_lot(r.lot),
        cast=vote.cast_count, eligible_count=vote.eligible_count,
    )


def count(vote: Vote, casting_vote: Outcome | None) -> VoteResult:
    return open_result(vote, casting_vote) if vote.kind == Vote.Kind.OPEN else secret_result(vote)
