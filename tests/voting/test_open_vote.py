"""Open votes (öppen omröstning): frozen eligibility, counts while open, names at close,
the chair's casting vote, idempotent close, void, abstain policies, oral answers."""

from __future__ import annotations

from meetings.commands import attendance_check_out, item_close
from meetings.models import Body, MeetingEvent
from tests.support.committee import UNDECIDED
from tests.support.voting import refused, start_item
from voting.commands import (
    abstention_announce,
    acclamation_put,
    ballot_cast,
    ballot_record,
    vote_close,
    vote_open,
    vote_void,
)
from voting.models import Eligibility, OpenBallot, Vote
from voting.selectors import vote_status


def open_vote(live, **kw):
    event = vote_open(**live.kw(actor=live.sec, item_id=live.item.pk,
                                main_proposal_id=live.prepared().pk, **kw))
    return Vote.objects.get(pk=event.payload["vote_id"]), event


def test_eligibility_is_frozen_at_open_and_events_carry_only_counts(live):
    c = live.c
    vote, opened = open_vote(live)
    assert opened.payload["eligible_count"] == 5
    assert sorted(e[0] for e in opened.payload["eligible"]) == sorted(
        m.pk for m in c.members)
    # A member leaving after the vote opened stays on the frozen list (and may still vote).
    attendance_check_out(meeting_id=live.meeting_id, actor=c.secretary, user_id=c.members[4].pk)
    assert Eligibility.objects.filter(vote=vote).count() == 5
    result = ballot_cast(**live.kw(actor=c.members[1], vote_id=vote.pk, choice="ja"))
    assert result.receipt is None
    event = result.event
    assert event.type == "ballot.cast"
    assert event.payload == {"item_id": live.item.pk, "vote_id": vote.pk, "kind": "open",
                             "cast": 1, "eligible_count": 5}
    assert event.actor_id is None and event.command_id is None
    status = vote_status(meeting_id=live.meeting_id, actor=c.members[1], vote_id=vote.pk)
    assert status["voted"] and status["cast"] == 1 and status["result"] is None


def test_close_reveals_names_in_roll_call_order_chair_last(live):
    c = live.c
    vote, _ = open_vote(live)
    choices = {c.members[0]: "ja", c.members[1]: "nej", c.members[2]: "ja",
               c.members[3]: "avstar"}
    for member, choice in choices.items():
        ballot_cast(**live.kw(actor=member, vote_id=vote.pk, choice=choice))
    closed = vote_close(**live.kw(actor=live.sec, vote_id=vote.pk))
    r = closed.payload["result"]
    assert (r["ja"], r["nej"], r["avstar"], r["outcome"]) == (2, 1, 1, "ja")
    assert [b["user_id"] for b in r["ballots"]] == [m.pk for m in c.members[1:4]] + [c.chair.pk]
    assert {b["user_id"]: b["choice"] for b in r["ballots"]} == {
        m.pk: ch for m, ch in choices.items()}
    assert [n["user_id"] for n in r["not_voted"]] == [c.members[4].pk]
    assert closed.payload["winner_proposal_id"] == live.prepared().pk
    assert closed.payload["main_proposal"]["text"] == live.prepared().text


def test_closing_twice_returns_the_same_event(live):
    vote, _ = open_vote(live)
    ballot_cast(**live.kw(actor=live.c.members[1], vote_id=vote.pk, choice="ja"))
    first = vote_close(**live.kw(actor=live.sec, vote_id=vote.pk))
    again = vote_close(**live.kw(actor=live.sec, vote_id=vote.pk, command_id="other"))
    assert again.pk == first.pk
    assert MeetingEvent.objects.filter(type="vote.closed").count() == 1
    refused("vote_closed", ballot_cast, **live.kw(actor=live.c.members[2], vote_id=vote.pk,
                                                  choice="ja"))


def test_tie_without_the_chairs_vote_needs_the_chairs_decision(live):
    c = live.c
    vote, _ = open_vote(live)
    ballot_cast(**live.kw(actor=c.members[1], vote_id=vote.pk, choice="ja"))
    ballot_cast(**live.kw(actor=c.members[2], vote_id=vote.pk, choice="nej"))
    err = refused("chair_decision_required", vote_close,
                  **live.kw(actor=live.sec, vote_id=vote.pk))
    assert err.details["chair_user_id"] == c.chair.pk and err.details["ja"] == 1
    # The chair answers orally; the secretary records it; now the chair's side wins.
    ballot_record(**live.kw(actor=live.sec, vote_id=vote.pk, user_id=c.chair.pk, choice="nej"))
    ballot_cast(**live.kw(actor=c.members[3], vote_id=vote.pk, choice="ja"))
    closed = vote_close(**live.kw(actor=live.sec, vote_id=vote.pk))
    r = closed.payload["result"]
    assert (r["ja"], r["nej"], r["outcome"], r["decided_by_casting_vote"]) == (2, 2, "nej", True)
    chair_row = next(b for b in r["ballots"] if b["user_id"] == c.chair.pk)
    assert chair_row["recorded_by"]["user_id"] == live.sec.pk
    assert closed.payload["winner_proposal_id"] is None  # a lone proposal was rejected


def test_a_chair_who_abstained_gives_a_casting_vote_at_close(live):
    c = live.c
    vote, _ = open_vote(live)
    for member, choice in [(c.chair, "avstar"), (c.members[1], "ja"), (c.members[2], "nej")]:
        ballot_cast(**live.kw(actor=member, vote_id=vote.pk, choice=choice))
    refused("chair_decision_required", vote_close, **live.kw(actor=live.sec, vote_id=vote.pk))
    refused("permission_denied", vote_close,
            **live.kw(actor=live.sec, vote_id=vote.pk, casting_vote="ja"))
    closed = vote_close(**live.kw(actor=c.chair, vote_id=vote.pk, casting_vote="ja"))
    assert closed.payload["result"]["outcome"] == "ja"
    assert closed.payload["result"]["casting_vote"] == "ja"


def test_a_void_vote_counts_nothing_and_a_new_vote_can_open(live):
    vote, _ = open_vote(live)
    ballot_cast(**live.kw(actor=live.c.members[1], vote_id=vote.pk, choice="ja"))
    refused("invalid_argument", vote_void, **live.kw(actor=live.sec, vote_id=vote.pk, reason=""))
    voided = vote_void(**live.kw(actor=live.sec, vote_id=vote.pk, reason="Tekniskt fel"))
    assert voided.payload["reason"] == "Tekniskt fel"
    refused("vote_closed", vote_close, **live.kw(actor=live.sec, vote_id=vote.pk))
    refused("vote_closed", ballot_cast, **live.kw(actor=live.c.members[2], vote_id=vote.pk,
                                                  choice="ja"))
    second, _ = open_vote(live)
    assert second.number == 2


def test_only_one_vote_open_per_item_and_only_the_secretary_opens(live):
    open_vote(live)
    refused("vote_open_already", vote_open, **live.kw(
        actor=live.sec, item_id=live.item.pk, main_proposal_id=live.prepared().pk))
    refused("permission_denied", vote_open, **live.kw(
        actor=live.c.members[1], item_id=live.item.pk, main_proposal_id=live.prepared().pk))


def test_invalid_choice_and_oral_answers_only_by_the_secretary(live):
    vote, _ = open_vote(live)
    refused("invalid_choice", ballot_cast,
            **live.kw(actor=live.c.members[1], vote_id=vote.pk, choice="kanske"))
    refused("permission_denied", ballot_record, **live.kw(
        actor=live.c.members[1], vote_id=vote.pk, user_id=live.c.members[2].pk, choice="ja"))
    ballot_record(**live.kw(actor=live.sec, vote_id=vote.pk, user_id=live.c.members[2].pk,
                            choice="ja"))
    assert OpenBallot.objects.get(vote=vote, voter=live.c.members[2]).recorded_by == live.sec


def test_abstaining_forbidden(db):
    from tests.support.committee import make_committee

    c = make_committee()
    Body.objects.filter(pk=c.body.pk).update(abstain_policy=Body.AbstainPolicy.FORBIDDEN)
    live = start_item(c)
    refused("abstain_not_allowed", abstention_announce,
            **live.kw(actor=c.members[1], item_id=live.item.pk))
    vote, _ = open_vote(live)
    refused("abstain_not_allowed", ballot_cast,
            **live.kw(actor=c.members[1], vote_id=vote.pk, choice="avstar"))


def test_abstaining_must_be_announced_before_the_proposals_are_put(db):
    from tests.support.committee import make_committee

    c = make_committee()
    Body.objects.filter(pk=c.body.pk).update(abstain_policy=Body.AbstainPolicy.ANNOUNCE_BEFORE)
    live = start_item(c)
    announced = abstention_announce(**live.kw(actor=c.members[1], item_id=live.item.pk))
    assert announced.payload["user_id"] == c.members[1].pk
    acclamation_put(**live.kw(actor=live.sec, item_id=live.item.pk,
                              proposal_id=live.prepared().pk))
    refused("abstention_too_late", abstention_announce,
            **live.kw(actor=c.members[2], item_id=live.item.pk))
    vote, _ = open_vote(live)
    refused("abstention_not_announced", ballot_cast,
            **live.kw(actor=c.members[2], vote_id=vote.pk, choice="avstar"))
    ballot_cast(**live.kw(actor=c.members[1], vote_id=vote.pk, choice="avstar"))


def test_quorum_is_checked_at_open_and_at_close(live):
    c = live.c
    vote, _ = open_vote(live)
    for member in c.members[2:5]:
        attendance_check_out(meeting_id=live.meeting_id, actor=c.secretary, user_id=member.pk)
    refused("no_quorum", vote_close, **live.kw(actor=live.sec, vote_id=vote.pk))
    vote_void(**live.kw(actor=live.sec, vote_id=vote.pk, reason="Ej beslutför"))
    refused("no_quorum", vote_open, **live.kw(
        actor=live.sec, item_id=live.item.pk, main_proposal_id=live.prepared().pk))


def test_an_item_cannot_be_closed_under_an_open_vote(live):
    vote, _ = open_vote(live)
    ballot_cast(**live.kw(actor=live.c.members[1], vote_id=vote.pk, choice="ja"))
    refused("vote_in_progress", item_close,
            meeting_id=live.meeting_id, actor=live.sec, item_id=live.item.pk)
    # The vote still runs and takes ballots; once voided, the item can be closed.
    ballot_cast(**live.kw(actor=live.c.members[2], vote_id=vote.pk, choice="ja"))
    vote_void(**live.kw(actor=live.sec, vote_id=vote.pk, reason="Fel förslag ställdes"))
    event = item_close(meeting_id=live.meeting_id, actor=live.sec, item_id=live.item.pk,
                       **UNDECIDED)
    assert event.payload["paragraph"] >= 1
