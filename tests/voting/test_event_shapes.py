"""Every event the voting commands append is declared, with exactly its keys, all the way down.

The log refuses undeclared types and appends outside the command contract for every command.
After each flow every voting event in the log is checked against its ``TypedDict`` in
``voting.events``, nested pieces included (a result, a kontra step, a roll-call row, a lot):
each dict has exactly the declared keys and each value the declared type.
"""

from __future__ import annotations

import types
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest

from meetings.models import Body, MeetingEvent
from tests.support.committee import make_committee
from tests.support.voting import Live, refused, start_item
from voting.commands import (
    CastRequest,
    abstention_announce,
    acclamation_decide,
    acclamation_put,
    ballot_cast,
    ballot_record,
    ballots_cast,
    decision_record,
    decision_record_election,
    election_request_proportional,
    kontra_start,
    proposition_order_approve,
    proposition_order_set,
    protocol_note_add,
    protocol_note_allow,
    reservation_reasons_submit,
    reservation_register,
    vote_close,
    vote_open,
    vote_request,
    vote_void,
)
from voting.events import PAYLOADS, EligibleRow, LotDrawn, VoteClosed
from voting.events import VotingEventType as E


def mismatches(value: Any, hint: Any, path: str) -> list[str]:
    """Where ``value`` (a JSON document) does not fit the type ``hint``; empty if it fits."""
    origin = get_origin(hint)
    if hint is type(None):
        return [] if value is None else [f"{path}: {value!r} is not None"]
    if origin in (Union, types.UnionType):
        tries = [mismatches(value, option, path) for option in get_args(hint)]
        if any(not t for t in tries):
            return []
        return [f"{path}: {value!r} fits no part of {hint}"] + [m for t in tries for m in t]
    if origin is Literal:
        return [] if value in get_args(hint) else [f"{path}: {value!r} not in {hint}"]
    if origin is list:
        if not isinstance(value, list):
            return [f"{path}: {value!r} is not a list"]
        (item,) = get_args(hint)
        return [m for i, v in enumerate(value) for m in mismatches(v, item, f"{path}[{i}]")]
    if origin is tuple:  # a fixed-length row, a JSON array in the log
        items = get_args(hint)
        if not isinstance(value, list) or len(value) != len(items):
            return [f"{path}: {value!r} is not a row of {len(items)}"]
        return [m for i, (v, h) in enumerate(zip(value, items, strict=True))
                for m in mismatches(v, h, f"{path}[{i}]")]
    if is_typeddict(hint):
        if not isinstance(value, dict):
            return [f"{path}: {value!r} is not a {hint.__name__}"]
        declared = hint.__required_keys__ | hint.__optional_keys__
        found = []
        if extra := value.keys() - declared:
            found.append(f"{path}: keys {sorted(extra)} not declared in {hint.__name__}")
        if missing := hint.__required_keys__ - value.keys():
            found.append(f"{path}: keys {sorted(missing)} of {hint.__name__} missing")
        fields = get_type_hints(hint)
        for key in value.keys() & declared:
            found += mismatches(value[key], fields[key], f"{path}.{key}")
        return found
    if hint is bool:
        return [] if isinstance(value, bool) else [f"{path}: {value!r} is not a bool"]
    if hint is int:
        return [] if isinstance(value, int) and not isinstance(value, bool) else [
            f"{path}: {value!r} is not an int"]
    if hint is str:
        return [] if isinstance(value, str) else [f"{path}: {value!r} is not a str"]
    raise TypeError(f"{path}: a payload shape should not use {hint!r}")


def assert_declared(meeting_id: int, *, covers: set[E]) -> None:
    """Every voting event of the meeting fits its shape; the flow made each type in ``covers``."""
    voting_types = {str(t) for t in E}
    events = MeetingEvent.objects.filter(meeting_id=meeting_id, type__in=voting_types)
    seen = set()
    for event in events.order_by("seq"):
        seen.add(event.type)
        shape = PAYLOADS[E(event.type)]
        assert mismatches(event.payload, shape, event.type) == [], event.payload
    assert {str(t) for t in covers} <= seen


def test_the_shape_checker_sees_nested_keys_and_types():
    lot = {"tied": ["ja", "nej"], "seats": 1, "drawn": ["ja"]}
    assert mismatches(lot, LotDrawn, "lot") == []
    assert mismatches({**lot, "who": 1}, LotDrawn, "lot") == [
        "lot: keys ['who'] not declared in LotDrawn"]
    row = [7, 3, 1, False, "Anna A"]
    assert mismatches(row, EligibleRow, "row") == []
    assert mismatches(row[:4], EligibleRow, "row") == [f"row: {row[:4]!r} is not a row of 5"]
    assert mismatches([7, 3, 1, 0, "Anna A"], EligibleRow, "row") == [
        "row[3]: 0 is not a bool"]
    assert mismatches({**lot, "seats": True}, LotDrawn, "lot") == [
        "lot.seats: True is not an int"]
    assert mismatches({"lot": lot}, VoteClosed, "vote.closed") != []


def test_an_open_vote_tied_and_decided_by_the_chair(live: Live):
    c, m, mid = live.c, live.c.members, live.meeting_id
    kw = live.kw(item_id=live.item.pk)
    p1, p2 = live.prepared(), live.propose(m[1], "avslag")
    abstention_announce(**kw, actor=m[4])
    opened = vote_open(**kw, actor=live.sec, main_proposal_id=p1.pk,
                      counter_proposal_id=p2.pk)
    vote_id = opened.payload["vote_id"]
    for voter, choice in [(m[1], "ja"), (m[2], "nej"), (m[3], "ja")]:
        ballot_cast(meeting_id=mid, actor=voter, vote_id=vote_id, choice=choice)
    ballot_record(meeting_id=mid, actor=live.sec, vote_id=vote_id, user_id=m[4].pk,
             choice="nej")  # an oral answer, entered by the secretary
    refused("chair_decision_required", vote_close, meeting_id=mid,
            actor=live.sec, vote_id=vote_id)
    closed = vote_close(meeting_id=mid, actor=c.chair, vote_id=vote_id,
                      casting_vote="nej")
    result = closed.payload["result"]
    assert result["decided_by_casting_vote"] and result["outcome"] == "nej"
    assert [b["recorded_by"] for b in result["ballots"]] == [
        None, None, None, {"user_id": live.sec.pk, "name": "Sekre Terare"}]
    assert closed.payload["main_proposal"]["author"] is None  # the prepared proposal
    assert closed.payload["counter_proposal"]["author"]["user_id"] == m[1].pk
    again = vote_close(meeting_id=mid, actor=live.sec, vote_id=vote_id)
    assert again.pk == closed.pk
    reopened = vote_open(**kw, actor=live.sec, main_proposal_id=p1.pk)
    vote_void(meeting_id=mid, actor=live.sec, vote_id=reopened.payload["vote_id"],
             reason="Tekniskt fel")
    assert_declared(mid, covers={E.ABSTENTION_ANNOUNCED, E.VOTE_OPENED, E.BALLOT_CAST,
                                 E.VOTE_CLOSED, E.VOTE_VOIDED})


@pytest.fixture
def appointments(db) -> Live:
    c = make_committee(name="Personalnämnden")
    Body.objects.filter(pk=c.body.pk).update(
        secret_ballot_policy=Body.SecretBallotPolicy.ELECTIONS_AND_APPOINTMENTS)
    return start_item(c)


def test_a_secret_election_and_a_secret_appointment_decided_by_lot(
    appointments: Live,
):
    live = appointments
    m, mid = live.c.members, live.meeting_id
    kw = live.kw(item_id=live.item.pk, actor=live.sec)
    election = vote_open(**kw, kind="election", candidates=["Anna", "Bertil", "Cissi"],
                        posts=1).payload["vote_id"]
    for voter, names in zip(m, [["Anna"], ["Bertil"], [], ["Anna"], ["Bertil"]], strict=True):
        cast = ballot_cast(meeting_id=mid, actor=voter, vote_id=election,
                        choice=names)
        assert cast.receipt and cast.event.actor_id is None
    result = vote_close(meeting_id=mid, actor=live.sec,
                      vote_id=election).payload["result"]
    assert result["lot"]["tied"] == ["Anna", "Bertil"] and result["blank"] == 1

    appointment = vote_open(**kw, kind="secret", appointment=True,
                           main_proposal_id=live.prepared().pk).payload["vote_id"]
    outcomes = ballots_cast(meeting_id=mid, requests=[
        CastRequest(voter=voter, vote_id=appointment, choice=choice)
        for voter, choice in zip(m, ["ja", "nej", None, "nej", "ja"], strict=True)])
    assert all(o.receipt for o in outcomes)
    result = vote_close(meeting_id=mid, actor=live.sec,
                      vote_id=appointment).payload["result"]
    assert result["lot"]["tied"] == ["ja", "nej"] and result["blank"] == 1
    assert_declared(mid, covers={E.VOTE_OPENED, E.BALLOT_CAST, E.VOTE_CLOSED})


def test_acclamation_vote_request_kontra_and_the_decision(live: Live):
    c, m, mid, item = live.c, live.c.members, live.meeting_id, live.item
    kw = live.kw(item_id=item.pk)
    p1 = live.prepared()
    p2 = live.propose(m[1], "andring", "Med villkor om bullerskydd")
    p3 = live.propose(m[2], "avslag")
    proposition_order_set(**kw, actor=live.sec, proposal_ids=[p1.pk, p2.pk, p3.pk])
    proposition_order_approve(**kw, actor=live.sec)
    acclamation_put(**kw, actor=c.chair, proposal_id=p1.pk)
    acclamation_decide(**kw, actor=c.chair, outcome="bifall")
    started = kontra_start(**kw, actor=live.sec, main_proposal_id=p1.pk)
    assert started.payload["next_step"]["kind"] == "elimination"

    # Step 1 (p2 against p3): a vote is asked for, and p2 wins it.
    acclamation_put(**kw, actor=c.chair, proposal_id=p2.pk,
             counter_proposal_id=p3.pk)
    vote_request(**kw, actor=m[2])
    step1 = vote_open(**kw, actor=live.sec, main_proposal_id=p2.pk,
                     counter_proposal_id=p3.pk).payload["vote_id"]
    ballots_cast(meeting_id=mid, requests=[
        CastRequest(voter=voter, vote_id=step1, choice=choice)
        for voter, choice in zip(m, ["ja", "ja", "nej", "ja", "avstar"], strict=True)])
    closed = vote_close(meeting_id=mid, actor=live.sec, vote_id=step1)
    assert closed.payload["kontra"]["next_step"]["kind"] == "main"

    # Step 2, the main vote (p1 against p2), by acclamation.
    acclamation_put(**kw, actor=c.chair, proposal_id=p1.pk,
             counter_proposal_id=p2.pk)
    decided = acclamation_decide(**kw, actor=c.chair, outcome="bifall")
    assert decided.payload["kontra"]["done"] is True
    assert decided.payload["kontra"]["next_step"] is None

    # The decision, a reservation with reasons, protocol notes.
    decision = decision_record(**kw, actor=live.sec, proposal_id=p1.pk)
    assert decision.payload["proposal"]["proposal_id"] == p1.pk
    reservation_register(**kw, actor=m[2])
    reservation_reasons_submit(**kw, actor=m[2], reason_text="Avslag var bättre.")
    protocol_note_allow(**kw, actor=c.chair, user_id=m[3].pk)
    protocol_note_add(**kw, actor=m[3], text="Jag vill se en uppföljning.")
    added = protocol_note_add(**kw, actor=live.sec, user_id=m[4].pk,
                     text="Antecknat på begäran.")
    assert added.payload["entered_by"] == {"user_id": live.sec.pk, "name": "Sekre Terare"}
    assert_declared(mid, covers=set(E) - {E.ABSTENTION_ANNOUNCED, E.VOTE_VOIDED,
                                          E.PROPORTIONAL_REQUESTED})


def test_a_ballot_batch_with_refusals(live: Live):
    m, mid = live.c.members, live.meeting_id
    vote_id = vote_open(**live.kw(actor=live.sec, item_id=live.item.pk,
                                             main_proposal_id=live.prepared().pk)
                       ).payload["vote_id"]
    outcomes = ballots_cast(meeting_id=mid, requests=[
        CastRequest(voter=m[0], vote_id=vote_id, choice="ja", command_id="a"),
        CastRequest(voter=m[1], vote_id=vote_id, choice="kanske", command_id="b"),
        CastRequest(voter=m[2], vote_id=vote_id, choice="nej", command_id="c"),
        CastRequest(voter=m[2], vote_id=vote_id, choice="ja", command_id="d"),
        CastRequest(voter=live.c.outsider, vote_id=vote_id, choice="ja", command_id="e"),
    ])
    assert [getattr(o, "code", "ok") for o in outcomes] == [
        "ok", "invalid_choice", "ok", "already_voted", "not_a_participant"]
    vote_close(meeting_id=mid, actor=live.sec, vote_id=vote_id)
    assert_declared(mid, covers={E.VOTE_OPENED, E.BALLOT_CAST, E.VOTE_CLOSED})


def test_a_proportional_election_with_a_lot(live: Live):
    """5 present, 2 seats: 2 requests; S, M and V one ballot each: the lot gives both seats."""
    m, mid = live.c.members, live.meeting_id
    kw = live.kw(item_id=live.item.pk)
    for member in m[1:3]:
        election_request_proportional(**kw, actor=member, seats=2)
    s, mo = {"label": "S", "names": ["A", "B"]}, {"label": "M", "names": ["C"]}
    v = {"label": "V", "names": ["D"]}
    vote_id = vote_open(**kw, actor=live.sec, kind="proportional", seats=2,
                        lists=[s, mo]).payload["vote_id"]
    for voter, choice in zip(m, [s, mo, v, None, None], strict=True):
        ballot_cast(meeting_id=mid, actor=voter, vote_id=vote_id, choice=choice)
    result = vote_close(meeting_id=mid, actor=live.sec, vote_id=vote_id).payload["result"]
    assert [(lot["seat"], lot["comparison"], len(lot["tied"])) for lot in result["lots"]] == [
        (1, "1", 3)]
    drawn = result["lots"][0]["drawn"]
    assert len(drawn) == 2 and [a["group"] for a in result["seats"]] == drawn
    assert all(a["by_lot"] for a in result["seats"]) and len(result["elected"]) == 2
    decision_record_election(**kw, actor=live.sec, vote_id=vote_id, office="ledamöter")
    assert_declared(mid, covers={E.PROPORTIONAL_REQUESTED, E.VOTE_OPENED, E.BALLOT_CAST,
                                 E.VOTE_CLOSED, E.DECISION_RECORDED})
