"""Proposition order rules, acclamation, decisions and § numbers, reservations, notes."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from meetings.commands import (
    agenda_approve,
    attendance_check_in,
    attendance_check_out,
    item_activate,
    item_close,
    meeting_open,
)
from meetings.models import AgendaItem, Meeting
from tests.support.committee import make_committee
from tests.support.voting import refused, start_item
from voting.commands import (
    abstention_announce,
    acclamation_decide,
    acclamation_put,
    ballot_cast,
    decision_record,
    kontra_start,
    proposition_order_approve,
    proposition_order_set,
    protocol_note_add,
    protocol_note_allow,
    reservation_register,
    vote_close,
    vote_open,
)
from voting.models import Decision, ProtocolNote


def test_order_formal_first_additions_last_every_proposal_once(live):
    m = live.c.members
    p1 = live.prepared()
    add = live.propose(m[1], "tillagg", "Och en cykelbana")
    back = live.propose(m[2], "aterremiss")
    kw = live.kw(actor=live.sec, item_id=live.item.pk)
    refused("order_not_set", proposition_order_approve, **kw)
    refused("order_invalid", proposition_order_set, **kw, proposal_ids=[p1.pk, add.pk])
    refused("order_invalid", proposition_order_set, **kw,
            proposal_ids=[p1.pk, back.pk, add.pk])  # formal motion not first
    refused("order_invalid", proposition_order_set, **kw,
            proposal_ids=[back.pk, add.pk, p1.pk])  # addition not last
    refused("order_invalid", proposition_order_set, **kw,
            proposal_ids=[back.pk, p1.pk, p1.pk, add.pk])
    refused("permission_denied", proposition_order_set, **{**kw, "actor": m[1]},
            proposal_ids=[back.pk, p1.pk, add.pk])
    event = proposition_order_set(**kw, proposal_ids=[back.pk, p1.pk, add.pk])
    assert [p["proposal_id"] for p in event.payload["proposals"]] == [back.pk, p1.pk, add.pk]
    # Kontraproposition needs an approved order, and competing proposals only.
    refused("order_not_set", kontra_start, **kw, main_proposal_id=p1.pk)
    proposition_order_approve(**kw)
    refused("order_already_approved", proposition_order_approve, **kw)
    refused("order_invalid", kontra_start, **kw, main_proposal_id=p1.pk)


def test_refer_back_adopted_by_acclamation_is_the_decision(live):
    back = live.propose(live.c.members[1], "aterremiss")
    kw = live.kw(actor=live.c.chair, item_id=live.item.pk)
    refused("no_acclamation_pending", acclamation_decide, **kw, outcome="bifall")
    acclamation_put(**kw, proposal_id=back.pk)
    refused("acclamation_pending", acclamation_put, **kw, proposal_id=live.prepared().pk)
    refused("invalid_argument", acclamation_decide, **kw, outcome="kanske")
    acclamation_decide(**kw, outcome="bifall")
    decided = decision_record(**live.kw(actor=live.sec, item_id=live.item.pk,
                                        proposal_id=back.pk))
    assert decided.payload["kind"] == "aterremiss" and decided.payload["acclamation_id"]
    assert decided.payload["text"] == "Ärendet återremitteras"


def test_a_rejected_formal_motion_is_not_the_decision(live):
    table = live.propose(live.c.members[1], "bordlaggning")
    kw = live.kw(actor=live.c.chair, item_id=live.item.pk)
    acclamation_put(**kw, proposal_id=table.pk)
    acclamation_decide(**kw, outcome="avslag")
    refused("no_decision_yet", decision_record, **live.kw(
        actor=live.sec, item_id=live.item.pk, proposal_id=table.pk))
    refused("no_decision_yet", decision_record, **live.kw(
        actor=live.sec, item_id=live.item.pk, proposal_id=live.prepared().pk))
    acclamation_put(**kw, proposal_id=live.prepared().pk)
    acclamation_decide(**kw, outcome="avslag")
    decided = decision_record(**live.kw(actor=live.sec, item_id=live.item.pk,
                                        proposal_id=live.prepared().pk))
    assert decided.payload["kind"] == "rejected"


def test_acclamation_needs_quorum(live):
    c = live.c
    kw = live.kw(actor=c.chair, item_id=live.item.pk)
    acclamation_put(**kw, proposal_id=live.prepared().pk)
    for member in c.members[2:5]:
        attendance_check_out(meeting_id=live.meeting_id, actor=c.secretary, user_id=member.pk)
    refused("no_quorum", acclamation_decide, **kw, outcome="bifall")


def test_reservations_only_by_those_who_took_part_and_did_not_abstain(live):
    c, m = live.c, live.c.members
    abstention_announce(**live.kw(actor=m[3], item_id=live.item.pk))
    kw = live.kw(actor=c.chair, item_id=live.item.pk)
    acclamation_put(**kw, proposal_id=live.prepared().pk)
    acclamation_decide(**kw, outcome="bifall")
    decision_record(**live.kw(actor=live.sec, item_id=live.item.pk,
                              proposal_id=live.prepared().pk))
    reservation_register(**live.kw(actor=m[1], item_id=live.item.pk, reason_text="Fel beslut"))
    err = refused("reservation_not_allowed", reservation_register,
                  **live.kw(actor=m[3], item_id=live.item.pk))
    assert err.details["reason"] == "abstained"
    refused("reservation_not_allowed", reservation_register,
            **live.kw(actor=c.substitutes[0], item_id=live.item.pk))
    refused("reservation_not_allowed", reservation_register,
            **live.kw(actor=c.outsider, item_id=live.item.pk))


def test_who_voted_avstar_may_not_reserve(live):
    m = live.c.members
    vote_id = vote_open(**live.kw(actor=live.sec, item_id=live.item.pk,
                                  main_proposal_id=live.prepared().pk)).payload["vote_id"]
    for voter, choice in [(m[0], "ja"), (m[1], "nej"), (m[2], "avstar")]:
        ballot_cast(**live.kw(actor=voter, vote_id=vote_id, choice=choice))
    vote_close(**live.kw(actor=live.sec, vote_id=vote_id))
    decision_record(**live.kw(actor=live.sec, item_id=live.item.pk,
                              proposal_id=live.prepared().pk))
    reservation_register(**live.kw(actor=m[1], item_id=live.item.pk))
    assert refused("reservation_not_allowed", reservation_register,
                   **live.kw(actor=m[2], item_id=live.item.pk)).details["reason"] == "abstained"
    assert refused("reservation_not_allowed", reservation_register,
                   **live.kw(actor=m[3], item_id=live.item.pk)).details["reason"] == (
        "did_not_vote")


def test_protocol_notes_when_the_chair_allows(live):
    c, m = live.c, live.c.members
    kw = live.kw(item_id=live.item.pk)
    refused("protocol_note_not_allowed", protocol_note_add, **kw, actor=m[1], text="Notera")
    refused("not_presiding", protocol_note_allow, **kw, actor=m[2], user_id=m[1].pk)
    protocol_note_allow(**kw, actor=c.chair, user_id=m[1].pk)
    added = protocol_note_add(**kw, actor=m[1], text="Jag vill notera bullret.")
    assert added.payload["user_id"] == m[1].pk and added.payload["text"].startswith("Jag")
    # The secretary enters a note on a member's behalf.
    on_behalf = protocol_note_add(**kw, actor=c.secretary, user_id=m[2].pk, text="Notering")
    assert on_behalf.payload["entered_by"]["user_id"] == c.secretary.pk
    refused("permission_denied", protocol_note_add, **kw, actor=m[3], user_id=m[2].pk,
            text="x")
    assert ProtocolNote.objects.filter(item=live.item).count() == 2


def test_paragraphs_are_numbered_per_body_and_year(db):
    c = make_committee()
    live = start_item(c)
    AgendaItem.objects.filter(pk=c.items[2].pk).update(prepared_proposal="")
    kw = live.kw(actor=c.chair, item_id=live.item.pk)
    acclamation_put(**kw, proposal_id=live.prepared().pk)
    acclamation_decide(**kw, outcome="bifall")
    first = decision_record(**live.kw(actor=c.secretary, item_id=live.item.pk,
                                      proposal_id=live.prepared().pk))
    item_close(**live.kw(actor=c.secretary, item_id=live.item.pk))
    item_activate(**live.kw(actor=c.secretary, item_id=c.items[2].pk))
    refused("invalid_argument", decision_record, **live.kw(actor=c.secretary,
                                                         item_id=c.items[2].pk))
    second = decision_record(**live.kw(actor=c.secretary, item_id=c.items[2].pk,
                                       text="Informationen läggs till handlingarna."))
    assert (first.payload["paragraph"], second.payload["paragraph"]) == (1, 2)
    assert second.payload["kind"] == "noted"
    # Another body starts from § 1.
    other = start_item(make_committee(name="Annan nämnd"))
    kw2 = other.kw(actor=other.c.chair, item_id=other.item.pk)
    acclamation_put(**kw2, proposal_id=other.prepared().pk)
    acclamation_decide(**kw2, outcome="bifall")
    assert decision_record(**other.kw(actor=other.c.secretary, item_id=other.item.pk,
                                      proposal_id=other.prepared().pk)
                           ).payload["paragraph"] == 1


@pytest.mark.django_db(transaction=True)
def test_paragraph_numbers_are_race_free_across_meetings_of_one_body():
    c = make_committee(name="Parallellnämnden")
    meetings = []
    for n in range(6):
        meeting = Meeting.objects.create(body=c.body, title=f"Möte {n}",
                                         starts_at=c.meeting.starts_at + timedelta(minutes=n))
        item = AgendaItem.objects.create(meeting=meeting, position=1, title="Information")
        meeting_open(meeting_id=meeting.pk, actor=c.secretary)
        for member in c.members[:3]:
            attendance_check_in(meeting_id=meeting.pk, actor=c.secretary, user_id=member.pk,
                                remote=True)
        agenda_approve(meeting_id=meeting.pk, actor=c.secretary)
        item_activate(meeting_id=meeting.pk, actor=c.secretary, item_id=item.pk)
        meetings.append((meeting, item))
    numbers: list[int] = []
    errors: list[Exception] = []
    barrier = threading.Barrier(len(meetings))

    def decide(meeting, item) -> None:
        try:
            barrier.wait()
            event = decision_record(meeting_id=meeting.pk, actor=c.secretary, item_id=item.pk,
                                    text="Informationen läggs till handlingarna.")
            numbers.append(event.payload["paragraph"])
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=pair) for pair in meetings]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(numbers) == list(range(1, len(meetings) + 1))
    year = timezone.localtime(c.meeting.starts_at).year
    assert sorted(Decision.objects.filter(body=c.body, year=year).values_list(
        "paragraph", flat=True)) == list(range(1, len(meetings) + 1))
