"""Read-only queries for the voting tables (no events, no locks)."""

from __future__ import annotations

from typing import Any

from meetings.errors import CommandError, ErrorCode
from meetings.models import Participant
from meetings.roles import Actor, roles_in
from voting.errors import VotingError
from voting.models import Eligibility, OpenBallot, SecretBallot, Vote, VoterMark


def _vote(meeting_id: int, vote_id: object) -> Vote:
    try:
        return Vote.objects.select_related("meeting").get(meeting_id=meeting_id, pk=vote_id)
    except (Vote.DoesNotExist, ValueError, TypeError):
        raise CommandError(VotingError.VOTE_NOT_FOUND, vote_id=vote_id) from None


def _require_participant(vote: Vote, actor: Actor) -> None:
    takes_part = roles_in(vote.meeting, actor).takes_part or Participant.objects.filter(
        meeting_id=vote.meeting_id, user_id=getattr(actor, "pk", None)
    ).exists()
    if not takes_part:
        raise CommandError(ErrorCode.NOT_A_PARTICIPANT)


def secret_receipts(*, meeting_id: int, actor: Actor, vote_id: int) -> list[dict[str, Any]]:
    """After a secret vote closes: every receipt code with its choice, sorted by code, so a
    voter can find their own ballot; nothing links a code to a person."""
    vote = _vote(meeting_id, vote_id)
    _require_participant(vote, actor)
    if not vote.is_secret:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, reason="not a secret vote")
    if vote.state != Vote.State.CLOSED:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, reason="the vote is not closed",
                           state=vote.state)
    return [
        {"receipt": receipt, "choice": choice}
        for receipt, choice in sorted(
            SecretBallot.objects.filter(vote=vote).values_list("receipt", "choice")
        )
    ]


def vote_status(*, meeting_id: int, actor: Actor, vote_id: int) -> dict[str, Any]:
    """The live state of a vote for one person: counts for all, "have I voted" for them."""
    vote = _vote(meeting_id, vote_id)
    _require_participant(vote, actor)
    user_id = getattr(actor, "pk", None)
    if vote.is_secret:
        voted = VoterMark.objects.filter(vote=vote, voter_id=user_id).exists()
    else:
        voted = OpenBallot.objects.filter(vote=vote, voter_id=user_id).exists()
    return {
        "vote_id": vote.pk, "item_id": vote.item_id, "kind": vote.kind, "state": vote.state,
        "cast": vote.cast_count, "eligible_count": vote.eligible_count,
        "eligible": Eligibility.objects.filter(vote=vote, user_id=user_id).exists(),
        "voted": voted, "result": vote.result if vote.state == Vote.State.CLOSED else None,
    }
