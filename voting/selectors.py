"""Read-only queries for the voting tables (no events, no locks).

Two kinds of reader use them: commands on the socket that answer one person
(``vote_status``, ``secret_receipts``), and the pages, which show the latest vote of the
active item with its result, the pending acclamation and every decision (``voting_panel``)
plus whether the viewer may vote and has (``ballot_of``).
"""

from __future__ import annotations

from typing import Any

from meetings.access import may_follow
from meetings.errors import CommandError, ErrorCode
from meetings.models import Meeting
from meetings.refs import optional_proposal_ref
from meetings.roles import Actor, query_id
from meetings.visibility import PUBLIC
from voting.errors import VotingError
from voting.models import (
    Acclamation,
    CountedReceipt,
    Decision,
    Eligibility,
    OpenBallot,
    PropositionOrder,
    Vote,
    VoterMark,
)

#: Proposal columns a proposal reference reads (author and entered_by are names in it).
_PROPOSAL_PEOPLE = ("author", "entered_by")


def _vote(meeting_id: int, vote_id: Any) -> Vote:
    try:
        return Vote.objects.select_related("meeting").get(meeting_id=meeting_id, pk=vote_id)
    except (Vote.DoesNotExist, ValueError, TypeError):
        raise CommandError(VotingError.VOTE_NOT_FOUND, vote_id=vote_id) from None


def _require_participant(vote: Vote, actor: Actor) -> None:
    if not may_follow(vote.meeting, actor):
        raise CommandError(ErrorCode.NOT_A_PARTICIPANT)


def ballot_of(*, vote_id: int, kind: str, user_id: int) -> dict[str, bool]:
    """Whether this person may vote in the vote, and has (the only per-person part of a vote)."""
    ballots = OpenBallot if kind == Vote.Kind.OPEN else VoterMark
    return {
        "eligible": Eligibility.objects.filter(vote_id=vote_id, user_id=user_id).exists(),
        "voted": ballots.objects.filter(vote_id=vote_id, voter_id=user_id).exists(),
    }


def secret_receipts(*, meeting_id: int, actor: Actor, vote_id: int) -> list[dict[str, Any]]:
    """After a secret vote closes: every counted receipt code, sorted, WITHOUT the choices.

    A voter finds their code and knows their ballot was counted; a list of codes with choices
    would let them prove to a vote buyer how they voted. Nothing links a code to a person."""
    vote = _vote(meeting_id, vote_id)
    _require_participant(vote, actor)
    if not vote.is_secret:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, reason="not a secret vote")
    if vote.state != Vote.State.CLOSED:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, reason="the vote is not closed",
                           state=vote.state)
    return [{"receipt": receipt} for receipt in sorted(
        CountedReceipt.objects.filter(vote=vote).values_list("receipt", flat=True))]


def vote_status(*, meeting_id: int, actor: Actor, vote_id: int) -> dict[str, Any]:
    """The live state of a vote for one person: counts for all, "have I voted" for them."""
    vote = _vote(meeting_id, vote_id)
    _require_participant(vote, actor)
    mine = ballot_of(vote_id=vote.pk, kind=vote.kind, user_id=query_id(actor))
    return {
        "vote_id": vote.pk, "item_id": vote.item_id, "kind": vote.kind, "state": vote.state,
        "cast": vote.cast_count, "eligible_count": vote.eligible_count,
        "eligible": mine["eligible"],
        "voted": mine["voted"], "result": vote.result if vote.state == Vote.State.CLOSED else None,
    }


# --- What the pages show -----------------------------------------------------------------------


def _acclamation_panel(item_id: int) -> dict[str, Any] | None:
    """The item's latest acclamation, unless it turned into a vote (the vote shows then)."""
    acclamation = (Acclamation.objects.filter(item_id=item_id).select_related(
        *(f"{p}__{who}" for p in ("proposal", "counter_proposal") for who in _PROPOSAL_PEOPLE)
    ).order_by("-number").first())
    if acclamation is None or acclamation.state == Acclamation.State.TO_VOTE:
        return None
    return {
        "acclamation_id": acclamation.pk, "state": acclamation.state,
        "outcome": acclamation.outcome,
        "proposal": optional_proposal_ref(acclamation.proposal),
        "counter_proposal": optional_proposal_ref(acclamation.counter_proposal),
    }


def _vote_panel(item_id: int) -> dict[str, Any] | None:
    """The item's latest vote that was not voided, with its result once it has closed."""
    vote = (Vote.objects.filter(item_id=item_id).exclude(state=Vote.State.VOID).select_related(
        *(f"{p}__{who}" for p in ("main_proposal", "counter_proposal")
          for who in _PROPOSAL_PEOPLE)
    ).order_by("-number").first())
    if vote is None:
        return None
    return {
        "vote_id": vote.pk, "number": vote.number, "kind": vote.kind,
        "state": vote.state, "cast": vote.cast_count,
        "eligible_count": vote.eligible_count,
        "main_proposal": optional_proposal_ref(vote.main_proposal),
        "counter_proposal": optional_proposal_ref(vote.counter_proposal),
        "candidates": vote.candidates, "posts": vote.posts,
        "substitutes": vote.substitutes, "lists": vote.lists,
        "result": vote.result if vote.state == Vote.State.CLOSED else None,
    }


def meeting_decisions(meeting: Meeting, audience: str) -> list[dict[str, Any]]:
    """Every decision of the meeting by §; the public does not see confidential items'."""
    decisions = Decision.objects.filter(item__meeting=meeting)
    if audience == PUBLIC:
        decisions = decisions.filter(item__confidential=False)
    return [
        {"item_id": d.item_id, "paragraph": d.paragraph, "year": d.year, "kind": d.kind,
         "text": d.text}
        for d in decisions.order_by("paragraph")
    ]


def voting_panel(meeting: Meeting, audience: str) -> dict[str, Any]:
    """The active item's acclamation, proposition order and latest vote (even after it closed,
    which the snapshot's ``voting`` section drops), and all decisions, for the audience.

    The same for everyone in the audience: per-person facts come from ``ballot_of``."""
    item = meeting.active_item
    panel: dict[str, Any] = {"vote": None, "acclamation": None, "order": None}
    if item is not None and not (audience == PUBLIC and item.confidential):
        panel["acclamation"] = _acclamation_panel(item.pk)
        order = PropositionOrder.objects.filter(item=item).first()
        if order is not None:
            panel["order"] = {"proposal_ids": order.proposal_ids, "approved": order.approved}
        panel["vote"] = _vote_panel(item.pk)
    panel["decisions"] = meeting_decisions(meeting, audience)
    return panel
