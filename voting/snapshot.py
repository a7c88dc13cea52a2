"""The voting state of the active item in the meeting snapshot (``meetings.snapshot``).

A client that connects or reconnects in the middle of a vote learns from this section which
vote is open and how many have voted; whether *it* has voted it asks with ``vote.status``
(per-user state is not in the snapshot, which is rendered once per audience).
"""

from __future__ import annotations

from typing import Any

from meetings.models import Meeting
from meetings.snapshot import register_section
from meetings.visibility import PUBLIC
from voting.commands.common import proposal_ref
from voting.commands.kontra import plan_of, step_ref
from voting.models import Acclamation, Decision, KontraVoting, PropositionOrder, Vote


def voting_section(meeting: Meeting, audience: str) -> dict[str, Any] | None:
    item = meeting.active_item
    if item is None or (audience == PUBLIC and item.confidential):
        return None
    order = PropositionOrder.objects.filter(item=item).first()
    acclamation = Acclamation.objects.filter(item=item, state=Acclamation.State.PUT).first()
    vote = Vote.objects.filter(item=item, state=Vote.State.OPEN).first()
    kontra = KontraVoting.objects.filter(item=item, state=KontraVoting.State.RUNNING).first()
    decision = Decision.objects.filter(item=item).first()
    return {
        "item_id": item.pk,
        "proposition_order": {"proposal_ids": order.proposal_ids, "approved": order.approved}
        if order else None,
        "acclamation": {
            "acclamation_id": acclamation.pk, "proposal": proposal_ref(acclamation.proposal),
            "counter_proposal": proposal_ref(acclamation.counter_proposal),
            "vote_requested": acclamation.requests.exists(),
        } if acclamation else None,
        "open_vote": {
            "vote_id": vote.pk, "number": vote.number, "kind": vote.kind,
            "main_proposal": proposal_ref(vote.main_proposal),
            "counter_proposal": proposal_ref(vote.counter_proposal),
            "candidates": vote.candidates, "posts": vote.posts,
            "cast": vote.cast_count, "eligible_count": vote.eligible_count,
            "eligible_user_ids": list(vote.eligible.values_list("user_id", flat=True)),
        } if vote else None,
        "kontra": {"kontra_id": kontra.pk, "next_step": step_ref(plan_of(kontra).next_step())}
        if kontra else None,
        "decision": {"decision_id": decision.pk, "paragraph": decision.paragraph,
                     "kind": decision.kind, "text": decision.text} if decision else None,
    }


def register() -> None:
    register_section("voting", voting_section)
