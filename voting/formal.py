"""Formal motions first, always (domain.md "Proposals and decisions").

While an återremiss or bordläggning on the item is undecided, no material proposal can be
put for acclamation, voted on or recorded as decided, whether or not a proposition order was
approved; once one was adopted, the item is referred back or tabled and nothing else on it
is decided. One check, called by ``acclamation_put``, ``vote_open`` and ``decision_record``.
"""

from __future__ import annotations

from django.db.models import Q

from meetings.errors import CommandError
from meetings.models import AgendaItem, Proposal
from meetings.refs import proposal_ref
from voting.errors import VotingError
from voting.models import Acclamation, Vote


def formal_motion_outcome(item: AgendaItem, motion: Proposal) -> bool | None:
    """True if the motion was adopted, False if rejected, None while undecided.

    Decided by a gavel that fell on it (alone or against another proposal) or by a closed
    vote in which it was one side; the latest decision counts."""
    vote = Vote.objects.filter(item=item, state=Vote.State.CLOSED).filter(
        Q(main_proposal=motion) | Q(counter_proposal=motion)).order_by("-number").first()
    if vote is not None and vote.result and "outcome" in vote.result:
        winner = vote.main_proposal_id if vote.result["outcome"] == "ja" \
            else vote.counter_proposal_id
        return winner == motion.pk
    acclamation = Acclamation.objects.filter(
        item=item, state=Acclamation.State.DECIDED).filter(
        Q(proposal=motion) | Q(counter_proposal=motion)).order_by("-number").first()
    if acclamation is not None:
        return acclamation.winner_id == motion.pk
    return None


def require_formal_motions_decided(item: AgendaItem, proposal: Proposal | None) -> None:
    """Refuse to put, vote on or record ``proposal`` while a formal motion on the item is
    undecided (``formal_motion_pending``) or after one was adopted
    (``formal_motion_adopted``); the details name the motion. Formal motions themselves and
    elections (``proposal=None``) pass."""
    if proposal is None or proposal.is_formal:
        return
    motions = Proposal.objects.filter(
        item=item, withdrawn=False, kind__in=Proposal.FORMAL_KINDS,
    ).select_related("author", "entered_by").order_by("number")
    for motion in motions:
        outcome = formal_motion_outcome(item, motion)
        if outcome is None:
            raise CommandError(VotingError.FORMAL_MOTION_PENDING, item_id=item.pk,
                               motion=proposal_ref(motion))
        if outcome:
            raise CommandError(VotingError.FORMAL_MOTION_ADOPTED, item_id=item.pk,
                               motion=proposal_ref(motion))
