"""Seats and substitutes: proposals by call-in order, call-in and release, seat changes only
between items, late members taking their seat back, no växeltjänstgöring."""

import pytest
from django.contrib.auth import get_user_model

from meetings.commands import (
    attendance_check_out,
    substitute_call_in,
    substitute_release,
)
from meetings.models import Participant
from meetings.quorum import quorum_of
from meetings.roles import display_name, name_of
from meetings.roster import roster_proposals, serving_seats
from tests.meetings.live import activate, change, check_in, close, meeting, refused, server, start
from tests.support.committee import make_committee


@pytest.fixture
def c(db):
    # Seats 1, 3, 5 are party S and 2, 4 party M; substitutes e1 (S), e2 (M), e3 (S).
    return make_committee(substitutes=3)


def call_in(c, seat, sub, **kw):
    return substitute_call_in(meeting_id=c.meeting.pk, actor=c.secretary, seat_number=seat,
                              user_id=sub.pk, **kw)


def proposed(c) -> dict[int, int | None]:
    return {p.seat_number: p.substitute_user_id for p in roster_proposals(meeting(c))}


def test_nothing_is_proposed_when_every_seat_is_served_by_someone_present(c):
    start(c, substitutes=c.substitutes)
    assert roster_proposals(meeting(c)) == []


def test_party_order_proposes_own_party_first_then_call_in_order(c):
    e1, e2, e3 = c.substitutes
    start(c, present=[c.members[0], c.members[2], c.members[4]], substitutes=[e1, e2, e3])
    # Seat 2 (M) gets e2 (M) although e1 ranks higher; seat 4 (M) then gets the best left: e1.
    assert proposed(c) == {2: e2.pk, 4: e1.pk}
    rows = {p.seat_number: p for p in roster_proposals(meeting(c))}
    assert rows[2].reason == "absent" and rows[2].current_user_id == c.members[1].pk
    assert rows[2].change_allowed_now is True


def test_body_order_follows_the_call_in_order_only(c):
    c.body.substitute_policy = "body_order"
    c.body.save()
    e1, e2, e3 = c.substitutes
    start(c, present=[c.members[0], c.members[2], c.members[4]], substitutes=[e1, e2, e3])
    assert proposed(c) == {2: e1.pk, 4: e2.pk}


def test_policy_none_proposes_nobody_and_refuses_call_in(c):
    c.body.substitute_policy = "none"
    c.body.save()
    e1 = c.substitutes[0]
    start(c, present=c.members[:4], substitutes=[e1])
    assert proposed(c) == {5: None}
    refused("no_substitutes", call_in, c, 5, e1)


def test_attendance_events_carry_the_current_roster_proposals(c):
    e1 = c.substitutes[0]
    mid = start(c, present=c.members[1:])
    first = check_in(c, e1)
    assert first.payload["roster_proposals"] == [
        p.as_dict() for p in roster_proposals(meeting(c))]
    assert first.payload["roster_proposals"][0]["substitute_user_id"] == e1.pk
    assert check_in(c, e1) is None  # a repeat changes nothing and logs nothing
    out = attendance_check_out(meeting_id=mid, actor=c.secretary, user_id=e1.pk)
    assert out.payload["roster_proposals"][0]["substitute_user_id"] is None
    check_in(c, e1)
    activate(c, 0)
    closed = close(c, 0)
    assert [(p["seat_number"], p["substitute_user_id"], p["change_allowed_now"])
            for p in closed.payload["roster_proposals"]] == [(1, e1.pk, True)]


def test_absent_and_already_serving_substitutes_are_skipped(c):
    e1, e2, e3 = c.substitutes
    start(c, present=c.members[1:4], substitutes=[e1, e3])  # seats 1 and 5 (S) absent
    assert proposed(c) == {1: e1.pk, 5: e3.pk}
    call_in(c, 1, e1)
    # e1 serves seat 1 now; e2 is absent: seat 5 gets e3.
    assert proposed(c) == {5: e3.pk}


def test_call_in_between_items_changes_the_seat_and_logs_one_change(c):
    e1 = c.substitutes[0]
    start(c, present=c.members[1:4], substitutes=[e1])
    assert quorum_of(meeting(c)).serving_present == 3
    event = call_in(c, 1, e1, command_id="sub-1")
    assert event.type == "substitute.called_in"
    assert event.payload["roster_changes"] == [change(1, c.members[0], e1, "absent")]
    assert event.payload["item_id"] is None and event.payload["only_item_id"] is None
    assert event.payload["quorum"]["serving_present"] == 4
    # Seat 5 is still absent and no substitute is left to propose.
    assert [(p["seat_number"], p["substitute_user_id"])
            for p in event.payload["roster_proposals"]] == [(5, None)]
    assert server(c, 1) == e1.pk
    seat1 = serving_seats(meeting(c))[0]
    assert seat1.is_substitute and seat1.present
    # A retry changes nothing.
    assert call_in(c, 1, e1, command_id="sub-1").pk == event.pk


def test_call_in_refusals(c):
    e1, e2, e3 = c.substitutes
    mid = start(c, present=c.members[1:], substitutes=[e1, e3])
    refused("permission_denied", substitute_call_in, meeting_id=mid, actor=c.members[1],
            seat_number=1, user_id=e1.pk)
    refused("seat_not_found", call_in, c, 9, e1)
    refused("user_not_found", call_in, c, 1, c.outsider)
    refused("not_a_substitute", call_in, c, 1, c.members[1])
    refused("not_present", call_in, c, 1, e2)
    refused("seat_occupied", call_in, c, 2, e1)
    call_in(c, 1, e1)
    refused("already_serving", call_in, c, 1, e1)
    refused("seat_occupied", call_in, c, 1, e3)  # e1 is present and serves seat 1


def test_an_absent_member_is_not_replaced_during_an_item(c):
    e1 = c.substitutes[0]
    start(c, present=c.members[1:], substitutes=[e1])
    activate(c, 0)
    err = refused("seat_change_during_item", call_in, c, 1, e1)
    assert err.details["seat"] == 1
    (row,) = roster_proposals(meeting(c))
    assert row.substitute_user_id == e1.pk and row.change_allowed_now is False
    close(c, 0)
    assert call_in(c, 1, e1).type == "substitute.called_in"


def test_a_late_member_takes_the_seat_back_at_the_next_item(c):
    e1 = c.substitutes[0]
    late = c.members[0]
    start(c, present=c.members[1:], substitutes=[e1])
    call_in(c, 1, e1)
    first = activate(c, 0)
    assert first.payload["roster_changes"] == []
    assert first.payload["roster"][0]["user_id"] == e1.pk
    assert first.payload["roster"][0]["substitute"] is True
    check_in(c, late)  # arrives during item 1: the substitute keeps serving it
    assert server(c, 1) == e1.pk
    closed = close(c, 0)
    assert closed.payload["roster_changes"] == []
    second = activate(c, 1)
    assert second.payload["roster_changes"] == [change(1, e1, late, "member_returned")]
    assert second.payload["roster"][0] == {
        "seat": 1, "party": "S", "weight": 1, "user_id": late.pk,
        "name": late.get_full_name(), "substitute": False, "present": True, "recused": False,
    }
    assert server(c, 1) == late.pk


def test_a_serving_substitute_is_not_displaced_by_a_higher_ranked_late_arrival(c):
    e1, e2, e3 = c.substitutes
    start(c, present=c.members[1:], substitutes=[e3])
    call_in(c, 1, e3)  # e1 (rank 1) is not here yet
    check_in(c, e1)
    assert roster_proposals(meeting(c)) == []
    assert check_in(c, c.substitutes[1]).payload["roster_proposals"] == []
    event = activate(c, 0)
    assert event.payload["roster_changes"] == []
    assert server(c, 1) == e3.pk


def test_release_between_items_returns_the_seat_to_the_member(c):
    e1 = c.substitutes[0]
    mid = start(c, present=c.members[1:], substitutes=[e1])
    refused("seat_not_substituted", substitute_release, meeting_id=mid, actor=c.secretary,
            seat_number=1)
    call_in(c, 1, e1)
    activate(c, 0)
    refused("seat_change_during_item", substitute_release, meeting_id=mid, actor=c.secretary,
            seat_number=1)
    close(c, 0)
    refused("permission_denied", substitute_release, meeting_id=mid, actor=e1, seat_number=1)
    refused("seat_not_found", substitute_release, meeting_id=mid, actor=c.secretary,
            seat_number=0)
    event = substitute_release(meeting_id=mid, actor=c.secretary, seat_number=1)
    assert event.payload["roster_changes"] == [change(1, e1, c.members[0], "released")]
    assert server(c, 1) == c.members[0].pk


def test_no_vaxeltjanstgoring_a_member_who_stepped_out_does_not_get_back_in(c):
    e1, e2, e3 = c.substitutes
    leaver = c.members[0]
    mid = start(c, substitutes=[e1, e3])
    # Checking out before the first item is not stepping out.
    attendance_check_out(meeting_id=mid, actor=c.secretary, user_id=leaver.pk)
    assert not Participant.objects.get(meeting_id=mid, user=leaver).stepped_out
    check_in(c, leaver)
    activate(c, 0)
    close(c, 0)
    event = attendance_check_out(meeting_id=mid, actor=leaver)
    assert event.payload["stepped_out"] is True
    call_in(c, 1, e1)
    check_in(c, leaver)
    nxt = activate(c, 1)
    assert nxt.payload["roster_changes"] == [] and server(c, 1) == e1.pk
    close(c, 1)
    # Releasing the substitute leaves the seat vacant rather than letting the member back in.
    released = substitute_release(meeting_id=mid, actor=c.secretary, seat_number=1)
    assert released.payload["roster_changes"] == [change(1, e1, None, "released")]
    assert server(c, 1) is None
    assert proposed(c) == {1: e1.pk}
    assert roster_proposals(meeting(c))[0].reason == "vacant"
    # A substitute who stepped out is not called in again either.
    call_in(c, 1, e3)
    attendance_check_out(meeting_id=mid, actor=c.secretary, user_id=e3.pk)
    check_in(c, e3)
    substitute_release(meeting_id=mid, actor=c.secretary, seat_number=1)
    refused("stepped_out", call_in, c, 1, e3)


def test_a_dropped_member_who_was_not_replaced_just_serves_on(c):
    """Stepping out only matters when someone else took the seat."""
    leaver = c.members[1]
    mid = start(c)
    activate(c, 0)
    attendance_check_out(meeting_id=mid, actor=leaver)
    check_in(c, leaver)
    assert serving_seats(meeting(c))[1].may_decide


def test_names_from_rows_match_display_name():
    """``serving_seats`` reads names as plain columns; they must read as display_name does."""
    User = get_user_model()
    for first, last in [("Anna", "Berg"), ("", "Berg"), ("Anna", ""), ("", "")]:
        user = User(username=f"u-{first}-{last}", first_name=first, last_name=last)
        assert name_of(first, last, user.username) == display_name(user)
