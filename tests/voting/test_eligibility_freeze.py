"""``vote.open`` freezes eligibility with one INSERT … SELECT (voting/freeze.py): the rows
it writes are exactly the roster's ``may_decide`` seats, field by field, and the same as the
``eligible`` list of the ``vote.opened`` event."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.commands import recusal_declare, substitute_call_in
from meetings.models import Body, Meeting, Participant
from meetings.roster import serving_seats
from tests.support.committee import make_committee
from tests.support.voting import start_item
from voting.commands import abstention_announce, vote_open
from voting.models import Eligibility


def rows(vote_id: int) -> list[tuple]:
    return list(Eligibility.objects.filter(vote_id=vote_id).order_by("seat_number").values_list(
        "user_id", "seat_number", "weight", "name", "is_substitute", "may_abstain"))


@pytest.mark.parametrize("policy", [p.value for p in Body.AbstainPolicy])
def test_frozen_rows_are_the_may_decide_seats(db, policy):
    c = make_committee(seats=7)
    Body.objects.filter(pk=c.body.pk).update(abstain_policy=policy)
    c.members[5].first_name = c.members[5].last_name = ""  # name falls back to the username
    c.members[5].save()
    c.members[2].seats.update(weight=3)
    live = start_item(c, absent=(c.members[4],))
    recusal_declare(meeting_id=live.meeting_id, actor=c.members[3], item_id=live.item.pk)
    substitute_call_in(meeting_id=live.meeting_id, actor=c.secretary, seat_number=4,
                       user_id=c.substitutes[0].pk)
    # Present but not confirmed by the secretary: does not count.
    Participant.objects.filter(meeting_id=live.meeting_id, user=c.members[6]).update(
        confirmed=False)
    if policy != "forbidden":
        abstention_announce(meeting_id=live.meeting_id, actor=c.members[1],
                            item_id=live.item.pk)
    meeting = Meeting.objects.get(pk=live.meeting_id)
    expected = [
        (s.occupant_id, s.seat_number, s.weight, s.name, s.is_substitute,
         policy == "allowed" or (policy == "announce_before" and s.user_id == c.members[1].pk))
        for s in serving_seats(meeting) if s.may_decide
    ]
    with CaptureQueriesContext(connection) as queries:
        opened = vote_open(meeting_id=live.meeting_id, actor=c.secretary, item_id=live.item.pk,
                           main_proposal_id=live.prepared().pk)
    got = rows(opened.payload["vote_id"])
    assert got == expected
    seats = {e[1] for e in got}
    assert 4 in seats and 5 not in seats and 7 not in seats  # substitute in, absent/unconfirmed out
    assert [(user_id, seat, weight, name, substitute)  # the logged rows are the frozen rows
            for user_id, seat, weight, substitute, name in opened.payload["eligible"]] == [
        e[:5] for e in got]
    inserts = [q["sql"] for q in queries.captured_queries
               if "INSERT INTO" in q["sql"] and Eligibility._meta.db_table in q["sql"]]
    assert len(inserts) == 1 and "SELECT" in inserts[0]  # one set-based statement
