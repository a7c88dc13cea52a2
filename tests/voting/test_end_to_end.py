"""A whole item through the domain commands: three proposals, the order, acclamation,
kontrapropositionsvotering (a vote asked for at an elimination step), the main vote tied and
decided by the chair, a reservation, the decision with its § number, reasons after adjourning."""

from __future__ import annotations

from django.utils import timezone

from meetings.commands import item_close, meeting_adjourn
from meetings.log import verify_chain
from meetings.models import AgendaItem, MeetingEvent
from tests.support.voting import refused
from voting.commands import (
    acclamation_decide,
    acclamation_put,
    ballot_cast,
    decision_record,
    kontra_start,
    proposition_order_approve,
    proposition_order_set,
    reservation_reasons_submit,
    reservation_register,
    vote_close,
    vote_open,
    vote_request,
)
from voting.models import Decision, KontraVoting, Reservation, Vote


def test_an_item_from_proposals_to_decision(live):
    c, sec, mid, item = live.c, live.sec, live.meeting_id, live.item
    m = c.members
    kw = {"meeting_id": mid}
    p1 = live.prepared()
    p2 = live.propose(m[1], "andring", "Bygglov beviljas med villkor om bullerskydd")
    p3 = live.propose(m[2], "avslag")

    # Proposition order, approved by the meeting.
    proposition_order_set(**kw, actor=sec, item_id=item.pk, proposal_ids=[p1.pk, p2.pk, p3.pk])
    proposition_order_approve(**kw, actor=sec, item_id=item.pk)

    # Acclamation finds the huvudförslag: p1.
    acclamation_put(**kw, actor=c.chair, item_id=item.pk, proposal_id=p1.pk)
    acclamation_decide(**kw, actor=c.chair, item_id=item.pk, outcome="bifall")

    # Kontrapropositionsvotering: p2 against p3 for the counter-proposal, then p1 against it.
    started = kontra_start(**kw, actor=sec, item_id=item.pk, main_proposal_id=p1.pk)
    assert started.payload["steps_needed"] == 2
    assert started.payload["next_step"] == {"number": 1, "kind": "elimination",
                                            "first_proposal_id": p2.pk,
                                            "second_proposal_id": p3.pk}
    refused("kontra_step_mismatch", acclamation_put, **kw, actor=c.chair, item_id=item.pk,
            proposal_id=p1.pk, counter_proposal_id=p2.pk)
    acclamation_put(**kw, actor=c.chair, item_id=item.pk, proposal_id=p2.pk,
                    counter_proposal_id=p3.pk)
    vote_request(**kw, actor=m[2], item_id=item.pk)
    refused("vote_requested", acclamation_decide, **kw, actor=c.chair, item_id=item.pk,
            outcome="bifall")
    opened = vote_open(**kw, actor=sec, item_id=item.pk, main_proposal_id=p2.pk,
                       counter_proposal_id=p3.pk)
    assert opened.payload["kontra_step"] == 1 and opened.payload["acclamation_id"]
    step1 = opened.payload["vote_id"]
    for voter, choice in [(m[0], "ja"), (m[1], "ja"), (m[2], "nej"), (m[3], "ja"),
                          (m[4], "nej")]:
        ballot_cast(**kw, actor=voter, vote_id=step1, choice=choice)
    closed1 = vote_close(**kw, actor=sec, vote_id=step1)
    assert closed1.payload["winner_proposal_id"] == p2.pk
    assert closed1.payload["kontra"]["counter_proposal_id"] == p2.pk
    assert closed1.payload["kontra"]["next_step"]["kind"] == "main"
    # An elimination step adopts nothing: no decision while the kontra round runs.
    refused("no_decision_yet", decision_record, **kw, actor=sec, item_id=item.pk,
            proposal_id=p2.pk)

    # Huvudvotering p1 (ja) against p2 (nej): a 2-2 tie, the chair has not voted.
    main = vote_open(**kw, actor=sec, item_id=item.pk, main_proposal_id=p1.pk,
                     counter_proposal_id=p2.pk).payload["vote_id"]
    for voter, choice in [(m[1], "nej"), (m[2], "ja"), (m[3], "nej"), (m[4], "ja")]:
        ballot_cast(**kw, actor=voter, vote_id=main, choice=choice)
    tied = refused("chair_decision_required", vote_close, **kw, actor=sec, vote_id=main)
    assert (tied.details["ja"], tied.details["nej"]) == (2, 2)
    closed = vote_close(**kw, actor=c.chair, vote_id=main, casting_vote="ja")
    result = closed.payload["result"]
    assert result["decided_by_casting_vote"] and result["outcome"] == "ja"
    assert closed.payload["kontra"]["done"] is True
    assert closed.payload["kontra"]["adopted_proposal_id"] == p1.pk
    assert KontraVoting.objects.get(item=item).winner_id == p1.pk
    assert [s["number"] for s in KontraVoting.objects.get(item=item).history] == [1, 2]

    # The decision, with the first § of the year for this body, linked to the main vote.
    refused("no_decision_yet", reservation_register,
            **kw, actor=m[1], item_id=item.pk)
    decided = decision_record(**kw, actor=sec, item_id=item.pk, proposal_id=p1.pk)
    year = timezone.localtime(c.meeting.starts_at).year
    assert decided.payload["paragraph"] == 1 and decided.payload["year"] == year
    assert decided.payload["kind"] == "adopted" and decided.payload["text"] == p1.text
    assert decided.payload["vote_id"] == main
    assert AgendaItem.objects.get(pk=item.pk).paragraph == 1
    assert Decision.objects.get(item=item).vote_id == main
    refused("decision_already_recorded", decision_record, **kw, actor=sec, item_id=item.pk,
            proposal_id=p1.pk)

    # A reservation by a member who voted against; not by one who did not vote in it.
    reserved = reservation_register(**kw, actor=m[1], item_id=item.pk)
    assert reserved.payload["paragraph"] == 1 and reserved.payload["user_id"] == m[1].pk
    refused("reservation_not_allowed", reservation_register, **kw, actor=c.chair,
            item_id=item.pk)  # the chair gave a casting vote but cast no ballot
    refused("reservation_not_allowed", reservation_register, **kw, actor=m[1],
            item_id=item.pk)  # once only

    # Written reasons may follow after the meeting is adjourned.
    item_close(**kw, actor=sec, item_id=item.pk)
    meeting_adjourn(**kw, actor=sec)
    refused("meeting_adjourned", reservation_register, **kw, actor=m[3], item_id=item.pk)
    reasons = reservation_reasons_submit(**kw, actor=m[1], item_id=item.pk,
                                         reason_text="Bullerskyddet behövs.")
    assert reasons.payload["reasons"] == "Bullerskyddet behövs."
    assert Reservation.objects.get(user=m[1]).reasons == "Bullerskyddet behövs."
    refused("reservation_not_found", reservation_reasons_submit, **kw, actor=m[3],
            item_id=item.pk, reason_text="x")

    # The log alone tells the story, in order, and its chain is intact.
    types = [e.type for e in MeetingEvent.objects.filter(meeting_id=mid).order_by("seq")]
    story = [t for t in types if t.split(".")[0] in {
        "proposition_order", "acclamation", "kontra", "vote", "decision", "reservation"}]
    assert story == [
        "proposition_order.set", "proposition_order.approved", "acclamation.put",
        "acclamation.decided", "kontra.started", "acclamation.put", "vote.requested",
        "vote.opened", "vote.closed", "vote.opened", "vote.closed", "decision.recorded",
        "reservation.registered", "reservation.reasons_submitted",
    ]
    assert verify_chain(MeetingEvent.objects.filter(meeting_id=mid).order_by("seq")) is None
    assert Vote.objects.filter(item=item).count() == 2
