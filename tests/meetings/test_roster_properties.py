"""Property test: any sequence of attendance, substitute, jäv and item commands keeps the
roster consistent, and the seat table can be rebuilt from the ``roster_changes`` in the log."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.commands import (
    attendance_check_in,
    attendance_check_out,
    item_activate,
    item_close,
    meeting_open,
    recusal_declare,
    recusal_withdraw,
    substitute_call_in,
    substitute_release,
)
from meetings.errors import CommandError
from meetings.log import verify_chain
from meetings.models import AgendaItem, Meeting, MeetingEvent, SeatService
from meetings.quorum import quorum_of
from meetings.roster import roster_proposals, serving_seats
from tests.support.committee import UNDECIDED, make_committee

_names = itertools.count()

PERSON = st.integers(min_value=0, max_value=7)  # 5 members, 3 substitutes
SEAT = st.integers(min_value=1, max_value=5)
ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("check_in"), PERSON),
        st.tuples(st.just("check_out"), PERSON),
        st.tuples(st.just("check_in"), PERSON),
        st.tuples(st.just("call_in"), SEAT, st.integers(min_value=5, max_value=7)),
        st.tuples(st.just("call_in_proposed"), st.integers(min_value=0, max_value=2)),
        st.tuples(st.just("next_item")),
        st.tuples(st.just("release"), SEAT),
        st.tuples(st.just("release_any")),
        st.tuples(st.just("next_item")),
        st.tuples(st.just("jav"), PERSON, st.booleans()),
        st.tuples(st.just("unjav"), PERSON),
    ),
    min_size=20,
    max_size=40,
)


def run(c, people, action) -> None:
    mid, sec = c.meeting.pk, c.secretary
    meeting = Meeting.objects.get(pk=mid)
    kind = action[0]
    if kind == "check_in":
        attendance_check_in(meeting_id=mid, actor=sec, user_id=people[action[1]].pk,
                            remote=False)
    elif kind == "check_out":
        attendance_check_out(meeting_id=mid, actor=sec, user_id=people[action[1]].pk)
    elif kind == "call_in":
        substitute_call_in(meeting_id=mid, actor=sec, seat_number=action[1],
                           user_id=people[action[2]].pk)
    elif kind == "call_in_proposed":
        # What a secretary does: confirm one of the substitutes the rules propose.
        usable = [p for p in roster_proposals(meeting)
                  if p.substitute_user_id and p.change_allowed_now]
        if usable:
            chosen = usable[action[1] % len(usable)]
            substitute_call_in(meeting_id=mid, actor=sec, seat_number=chosen.seat_number,
                               user_id=chosen.substitute_user_id)
    elif kind == "release_any":
        substituted = [r.seat_number for r in serving_seats(meeting) if r.is_substitute]
        if substituted and not meeting.active_item_id:
            substitute_release(meeting_id=mid, actor=sec, seat_number=substituted[0])
    elif kind == "release":
        substitute_release(meeting_id=mid, actor=sec, seat_number=action[1])
    elif kind == "next_item":
        if meeting.active_item_id:
            item_close(meeting_id=mid, actor=sec, item_id=meeting.active_item_id, **UNDECIDED)
        else:
            pending = AgendaItem.objects.filter(meeting_id=mid, state="pending").first()
            if pending is not None:
                item_activate(meeting_id=mid, actor=sec, item_id=pending.pk)
    elif kind in ("jav", "unjav"):
        item = meeting.active_item or AgendaItem.objects.filter(
            meeting_id=mid, state="pending").first()
        if item is None:
            return
        if kind == "jav":
            recusal_declare(meeting_id=mid, actor=people[action[1]], item_id=item.pk)
        else:
            recusal_withdraw(meeting_id=mid, actor=sec, item_id=item.pk,
                             user_id=people[action[1]].pk)


def check_invariants(c) -> None:
    meeting = Meeting.objects.get(pk=c.meeting.pk)
    for service in SeatService.objects.filter(meeting=meeting):
        if service.only_item_id is not None:
            # A jäv-only substitute exists only while that item is being handled.
            assert service.only_item_id == meeting.active_item_id
            assert service.returns_to_id is not None
    rows = serving_seats(meeting)
    assert quorum_of(meeting).serving_present == sum(1 for r in rows if r.may_decide)


def rebuilt_from_log(c) -> dict[int, int | None]:
    """Seats start with their members at meeting.opened; apply every roster change in order."""
    seats = {seat.number: seat.member_id for seat in c.body.seats.all()}
    for event in MeetingEvent.objects.filter(meeting=c.meeting).order_by("seq"):
        for change in event.payload.get("roster_changes", []):
            assert seats[change["seat"]] == (change["from"] or {}).get("user_id"), event
            seats[change["seat"]] = (change["to"] or {}).get("user_id")
    return seats


@pytest.mark.django_db
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(actions=ACTIONS)
def test_any_sequence_keeps_the_roster_consistent_and_logged(actions):
    c = make_committee(substitutes=3, name=f"Egenskapsnämnden {next(_names)}")
    people = [*c.members, *c.substitutes]
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    for action in actions:
        before = MeetingEvent.objects.filter(meeting=c.meeting).count()
        try:
            run(c, people, action)
        except CommandError:
            assert MeetingEvent.objects.filter(meeting=c.meeting).count() == before
        check_invariants(c)
    table = dict(SeatService.objects.filter(meeting=c.meeting).values_list(
        "seat__number", "user_id"))
    assert rebuilt_from_log(c) == table
    assert verify_chain(MeetingEvent.objects.filter(meeting=c.meeting).order_by("seq")) is None
