"""The voting state of the active item in the meeting snapshot (``meetings.snapshot``).

A client that connects or reconnects in the middle of a vote learns from this section which
vote is open and how many have voted; whether *it* has voted it asks with ``vote.status``
(per-user state is not in the snapshot, which is rendered once per audience). Proposals
appear in the one reference shape of ``meetings.refs``, as in the events.
"""

from __future__ import annotations

from typing import Any

from meetings.models import Meeting
from meetings.refs import optional_proposal_ref, proposal_ref
from meetings.snapshot import register_section
from meetings.visibility import PUBLIC
from voting.commands.kontra import optional_step_ref, plan_of
from voting.models import (
    Acclamation,
    Decision,
    KontraVoting,
    ProportionalRequest,
    PropositionOrder,
    Vote,
)


def _with_people(*proposals: str) -> list[str]:
    """The joins that let ``proposal_ref`` name author and enterer without more queries."""
    return [f"{p}__{person}" for p in proposals for person in ("author", "entered_by")]


def voting_section(meeting: Meeting, audience: str) -> dict[str, Any] | None:
    item = meeting.active_item
    if item is None or (audience == PUBLIC and item.confidential):
        return None
    order = PropositionOrder.objects.filter(item=item).first()
    acclamation = (
        Acclamation.objects.filter(item=item, state=Acclamation.State.PUT)
        .select_related(*_with_people("proposal", "counter_proposal")).first()
    )
    vote = (
        Vote.objects.filter(item=item, state=Vote.State.OPEN)
        .select_related(*_with_people("main_proposal", "counter_proposal")).first()
    )
    kontra = KontraVoting.objects.filter(item=item, state=KontraVoting.State.RUNNING).first()
    decision = Decision.objects.filter(item=item).first()
    return {
        "item_id": item.pk,
        "proposition_order": {"proposal_ids": order.proposal_ids, "approved": order.approved}
        if order else None,
        "acclamation": {
            "acclamation_id": acclamation.pk, "proposal": proposal_ref(acclamation.proposal),
            "counter_proposal": optional_proposal_ref(acclamation.counter_proposal),
            "vote_requested": acclamation.requests.exists(),
        } if acclamation else None,
        "open_vote": {
            "vote_id": vote.pk, "number": vote.number, "kind": vote.kind,
            "main_proposal": optional_proposal_ref(vote.main_proposal),
            "counter_proposal": optional_proposal_ref(vote.counter_proposal),
            "candidates": vote.candidates, "posts": vote.posts,
            "substitutes": vote.substitutes, "lists": vote.lists,
            "cast": vote.cast_count, "eligible_count": vote.eligible_count,
            "eligible_user_ids": list(vote.eligible.values_list("user_id", flat=True)),
        } if vote else None,
        "kontra": {"kontra_id": kontra.pk,
                   "next_step": optional_step_ref(plan_of(kontra).next_step())}
        if kontra else None,
        "proportional_requests": _proportional_requests(item),
        "decision": {"decision_id": decision.pk, "paragraph": decision.paragraph,
                     "kind": decision.kind, "text": decision.text} if decision else None,
    }


def register() -> None:
    register_section("voting", voting_section)


def _proportional_requests(item: Any) -> list[dict[str, Any]]:
    """Where the requests for a proportional election stand (the latest count per election)."""
    latest: dict[bool, ProportionalRequest] = {}
    reached: set[bool] = set()
    for request in ProportionalRequest.objects.filter(item=item):
        latest[request.substitutes] = request
        if request.reached:
            reached.add(request.substitutes)
    return [{"substitutes": r.substitutes, "seats": r.seats, "requests": r.count,
             "required": r.required, "reached": r.substitutes in reached}
            for _, r in sorted(latest.items())]
