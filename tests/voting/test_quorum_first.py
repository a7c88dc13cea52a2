"""Quorum (beslutförhet, KL 6:27) is checked first, before who presides: without a quorum no
proposal is put, no gavel falls, no vote closes and no procedural decision is recorded, and
the refusal names the real blocker (``no_quorum``), never a presiding rule."""

from meetings.commands import attendance_check_out
from tests.support.voting import Live, refused, start_item
from voting.commands import (
    acclamation_decide,
    acclamation_put,
    decision_record_procedural,
    vote_close,
    vote_open,
)


def _lose_quorum(live: Live) -> None:
    """The chair and two more members leave: 2 of 5 seats served, 3 required."""
    for member in live.c.members[:3]:
        attendance_check_out(**live.kw(actor=live.sec, user_id=member.pk))


def test_putting_a_proposal_without_quorum_is_refused_as_no_quorum(committee):
    live = start_item(committee, substitutes_present=False)
    prepared = live.prepared()
    _lose_quorum(live)
    # The chair is gone too: before, this was refused for who presides, hiding the blocker.
    for actor in (live.sec, live.c.members[4]):
        error = refused("no_quorum", acclamation_put, **live.kw(
            actor=actor, item_id=live.item.pk, proposal_id=prepared.pk))
        assert (error.details["serving_present"], error.details["required"]) == (2, 3)


def test_the_gavel_and_closing_a_vote_wait_for_quorum_first(committee):
    live = start_item(committee, substitutes_present=False)
    prepared = live.prepared()
    acclamation_put(**live.kw(actor=live.sec, item_id=live.item.pk, proposal_id=prepared.pk))
    vote = vote_open(**live.kw(actor=live.sec, item_id=live.item.pk,
                               main_proposal_id=prepared.pk))
    _lose_quorum(live)
    refused("no_quorum", acclamation_decide, **live.kw(
        actor=live.c.members[4], item_id=live.item.pk, outcome="bifall"))
    # The chair left: the secretary, as clerk, is refused for the quorum, not the handover.
    refused("no_quorum", vote_close, **live.kw(actor=live.sec, vote_id=vote.payload["vote_id"]))


def test_a_procedural_decision_needs_quorum(committee):
    live = start_item(committee, item_index=0, substitutes_present=False)
    _lose_quorum(live)
    refused("no_quorum", decision_record_procedural, **live.kw(
        actor=live.sec, item_id=live.item.pk, procedure="agenda"))
