"""Issue 12, defects 6 and 7: the typed decision text is kept; procedural items and
elections are recorded in one action; an item closes with a decision or an explicit
"no decision" and its reason, which the minutes state."""

from __future__ import annotations

from meetings.commands import adjusters_choose, item_close
from minutes.inputs import minutes_of
from tests.support.committee import make_committee
from tests.support.voting import refused, start_item
from voting.commands import (
    acclamation_decide,
    acclamation_put,
    ballot_cast,
    decision_record,
    decision_record_election,
    decision_record_procedural,
    vote_close,
    vote_open,
)
from voting.models import Decision


def test_the_typed_decision_text_is_kept_and_the_proposal_stays_linked(db):
    live = start_item(make_committee())
    kw = live.kw(actor=live.sec, item_id=live.item.pk)
    prepared = live.prepared()
    acclamation_put(**kw, proposal_id=prepared.pk)
    acclamation_decide(**kw, outcome="bifall")
    wording = "Nämnden beviljar bygglov enligt ansökan, med villkor om dagvatten."
    event = decision_record(**kw, proposal_id=prepared.pk, text=wording)
    assert event.payload["text"] == wording
    assert event.payload["proposal"]["proposal_id"] == prepared.pk
    decision = Decision.objects.get(item=live.item)
    assert (decision.text, decision.proposal_id) == (wording, prepared.pk)
    assert decision.acclamation_id is not None


def test_an_empty_text_takes_the_proposals_text(db):
    live = start_item(make_committee())
    kw = live.kw(actor=live.sec, item_id=live.item.pk)
    prepared = live.prepared()
    acclamation_put(**kw, proposal_id=prepared.pk)
    acclamation_decide(**kw, outcome="bifall")
    assert decision_record(**kw, proposal_id=prepared.pk).payload["text"] == prepared.text


def test_procedural_items_are_decided_in_one_action_without_an_acclamation(db):
    c = make_committee()
    live = start_item(c, item_index=0)
    kw = live.kw(actor=live.sec, item_id=live.item.pk)
    refused("no_decision_yet", decision_record_procedural, **kw, procedure="adjusters")
    adjusters_choose(meeting_id=live.meeting_id, actor=live.sec,
                     user_ids=[c.members[1].pk, c.members[2].pk])
    event = decision_record_procedural(**kw, procedure="adjusters")
    names = [m.get_full_name() or m.username for m in c.members[1:3]]
    assert event.payload["text"] == f"Till justerare utses {names[0]} och {names[1]}."
    assert event.payload["kind"] == "procedural" and event.payload["procedure"] == "adjusters"
    assert event.payload["proposal"]["kind"] == "prepared"  # the prepared text stays linked


def test_agenda_and_information_items_get_their_standard_wording(db):
    c = make_committee()
    live = start_item(c, item_index=0)
    kw = live.kw(actor=live.sec, item_id=live.item.pk)
    assert decision_record_procedural(**kw, procedure="agenda").payload["text"] == (
        "Dagordningen godkänns.")
    item_close(meeting_id=live.meeting_id, actor=live.sec, item_id=live.item.pk)
    from meetings.commands import item_activate
    item_activate(meeting_id=live.meeting_id, actor=live.sec, item_id=c.items[1].pk)
    kw = live.kw(actor=live.sec, item_id=c.items[1].pk)
    event = decision_record_procedural(**kw, procedure="information",
                                       text="Informationen läggs till handlingarna.")
    assert event.payload["text"] == "Informationen läggs till handlingarna."


def test_a_procedural_decision_is_refused_when_members_made_proposals(db):
    c = make_committee()
    live = start_item(c)
    live.propose(c.members[1], "avslag")
    refused("no_decision_yet", decision_record_procedural,
            **live.kw(actor=live.sec, item_id=live.item.pk), procedure="information")


def test_an_election_is_recorded_as_an_election_decision_linked_to_its_vote(db):
    c = make_committee()
    live = start_item(c)
    kw = live.kw(actor=live.sec, item_id=live.item.pk)
    vote_id = vote_open(**kw, kind="election", candidates=["Anna A", "Bo B"],
                        posts=1).payload["vote_id"]
    refused("no_decision_yet", decision_record_election, **kw, vote_id=vote_id,
            office="ledamot i valnämnden")
    for member in c.members:
        ballot_cast(meeting_id=live.meeting_id, actor=member, vote_id=vote_id,
                    choice=["Bo B"])
    vote_close(meeting_id=live.meeting_id, actor=live.sec, vote_id=vote_id)
    refused("vote_not_found", decision_record_election, **kw, vote_id=vote_id + 99,
            office="x")
    event = decision_record_election(**kw, vote_id=vote_id, office="ledamot i valnämnden",
                                     term="2027–2030")
    p = event.payload
    assert (p["kind"], p["vote_id"], p["elected"], p["office"], p["term"]) == (
        "election", vote_id, ["Bo B"], "ledamot i valnämnden", "2027–2030")
    assert p["text"] == "Till ledamot i valnämnden för perioden 2027–2030 väljs Bo B."
    assert Decision.objects.get(item=live.item).vote_id == vote_id
    assert minutes_of(c.meeting).paragraphs[0].decision == p["text"]


def test_an_item_closes_only_with_a_decision_or_an_explicit_reason(db):
    c = make_committee()
    live = start_item(c)
    close = {"meeting_id": live.meeting_id, "actor": live.sec, "item_id": live.item.pk}
    refused("item_decision_missing", item_close, **close)
    refused("invalid_argument", item_close, **close, without_decision=True, reason="  ")
    event = item_close(**close, without_decision=True, reason="Ärendet utgår")
    assert event.payload["no_decision_reason"] == "Ärendet utgår"
    (para,) = minutes_of(c.meeting).paragraphs
    assert para.decision == "Ärendet avslutas utan beslut: Ärendet utgår."


def test_a_decided_item_closes_as_before_but_not_as_undecided(db):
    live = start_item(make_committee())
    kw = live.kw(actor=live.sec, item_id=live.item.pk)
    acclamation_put(**kw, proposal_id=live.prepared().pk)
    acclamation_decide(**kw, outcome="bifall")
    decision_record(**kw, proposal_id=live.prepared().pk)
    close = {"meeting_id": live.meeting_id, "actor": live.sec, "item_id": live.item.pk}
    refused("invalid_argument", item_close, **close, without_decision=True, reason="utgår")
    assert "no_decision_reason" not in item_close(**close).payload
