"""Every eligibility refusal of the ballot path returns its documented code, logs nothing and
stores no ballot."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from meetings.commands import (
    attendance_check_in,
    attendance_check_out,
    meeting_open,
    recusal_declare,
)
from tests.support.committee import make_committee
from tests.support.voting import refused, start_item
from voting.commands import ballot_cast, vote_close, vote_open, vote_request, vote_void
from voting.models import OpenBallot, SecretBallot, Vote, VoterMark


@pytest.fixture
def setup(db):
    c = make_committee()
    live = start_item(c, absent=(c.members[4],))
    recusal_declare(meeting_id=live.meeting_id, actor=c.members[3], item_id=live.item.pk,
                    reason="Släkt med sökanden")
    event = vote_open(meeting_id=live.meeting_id, actor=c.secretary, item_id=live.item.pk,
                      main_proposal_id=live.prepared().pk)
    return live, Vote.objects.get(pk=event.payload["vote_id"])


def cast(live, vote, actor, choice="ja"):
    return {"meeting_id": live.meeting_id, "actor": actor, "vote_id": vote.pk, "choice": choice}


def no_ballot_from(vote, user) -> bool:
    return not OpenBallot.objects.filter(vote=vote, voter_id=getattr(user, "pk", None)).exists()


def test_absent_member(setup):
    live, vote = setup
    absent = live.c.members[4]
    refused("not_present", ballot_cast, **cast(live, vote, absent))
    assert no_ballot_from(vote, absent)


def test_member_who_arrived_after_the_vote_opened(setup):
    live, vote = setup
    late = live.c.members[4]
    attendance_check_in(meeting_id=live.meeting_id, actor=live.sec, user_id=late.pk,
                        remote=True)
    refused("not_eligible", ballot_cast, **cast(live, vote, late))
    assert no_ballot_from(vote, late)


def test_recused_member(setup):
    live, vote = setup
    refused("recused", ballot_cast, **cast(live, vote, live.c.members[3]))
    refused("recused", vote_request, meeting_id=live.meeting_id, actor=live.c.members[3],
            item_id=live.item.pk)
    assert no_ballot_from(vote, live.c.members[3])


def test_substitute_who_does_not_serve(setup):
    live, vote = setup
    refused("not_serving", ballot_cast, **cast(live, vote, live.c.substitutes[1]))
    assert no_ballot_from(vote, live.c.substitutes[1])


def test_outsider_and_the_public(setup):
    live, vote = setup
    refused("not_a_participant", ballot_cast, **cast(live, vote, live.c.outsider))
    refused("not_a_participant", ballot_cast, **cast(live, vote, AnonymousUser()))
    assert OpenBallot.objects.filter(vote=vote).count() == 0


def test_second_ballot(setup):
    live, vote = setup
    ballot_cast(**cast(live, vote, live.c.members[1], "ja"))
    refused("already_voted", ballot_cast, **cast(live, vote, live.c.members[1], "nej"))
    assert OpenBallot.objects.get(vote=vote, voter=live.c.members[1]).choice == "ja"
    vote.refresh_from_db()
    assert vote.cast_count == 1


def test_vote_closed(setup):
    live, vote = setup
    ballot_cast(**cast(live, vote, live.c.members[1], "ja"))
    vote_close(meeting_id=live.meeting_id, actor=live.sec, vote_id=vote.pk)
    refused("vote_closed", ballot_cast, **cast(live, vote, live.c.members[2]))
    assert no_ballot_from(vote, live.c.members[2])


def test_unknown_vote_and_vote_of_another_meeting(setup):
    live, vote = setup
    other = make_committee(name="Annan nämnd")
    meeting_open(meeting_id=other.meeting.pk, actor=other.secretary)
    refused("vote_not_found", ballot_cast, meeting_id=other.meeting.pk, actor=live.c.members[1],
            vote_id=vote.pk, choice="ja")
    refused("vote_not_found", ballot_cast, **{**cast(live, vote, live.c.members[1]),
                                              "vote_id": 987654})


def test_no_quorum_at_open(setup):
    live, vote = setup
    vote_void(meeting_id=live.meeting_id, actor=live.sec, vote_id=vote.pk, reason="Omtag")
    # Members 0..2 present and not recused: 3 of 5. One more leaves: 2 of 5, no quorum.
    attendance_check_out(meeting_id=live.meeting_id, actor=live.sec,
                         user_id=live.c.members[2].pk)
    refused("no_quorum", vote_open, meeting_id=live.meeting_id, actor=live.sec,
            item_id=live.item.pk, main_proposal_id=live.prepared().pk)


def test_secret_ballot_refusals_leave_no_mark(db):
    from meetings.models import Body

    c = make_committee()
    Body.objects.filter(pk=c.body.pk).update(
        secret_ballot_policy=Body.SecretBallotPolicy.ANY_DECISION)
    live = start_item(c, absent=(c.members[4],))
    event = vote_open(meeting_id=live.meeting_id, actor=c.secretary, item_id=live.item.pk,
                      kind="secret", main_proposal_id=live.prepared().pk)
    vote = Vote.objects.get(pk=event.payload["vote_id"])
    refused("not_present", ballot_cast, **cast(live, vote, c.members[4]))
    refused("not_serving", ballot_cast, **cast(live, vote, c.substitutes[0]))
    first = ballot_cast(**cast(live, vote, c.members[1]))
    assert first.receipt
    refused("already_voted", ballot_cast, **cast(live, vote, c.members[1], "nej"))
    assert VoterMark.objects.filter(vote=vote).count() == 1
    assert SecretBallot.objects.filter(vote=vote).count() == 1


def test_a_substitute_serving_for_a_recused_member_votes_in_that_seat(db):
    from meetings.commands import substitute_call_in

    c = make_committee()
    live = start_item(c)
    recusal_declare(meeting_id=live.meeting_id, actor=c.members[3], item_id=live.item.pk)
    substitute_call_in(meeting_id=live.meeting_id, actor=c.secretary, seat_number=4,
                       user_id=c.substitutes[0].pk)
    opened = vote_open(meeting_id=live.meeting_id, actor=c.secretary, item_id=live.item.pk,
                       main_proposal_id=live.prepared().pk)
    user_id, _, _, substitute, _ = next(e for e in opened.payload["eligible"] if e[1] == 4)
    assert user_id == c.substitutes[0].pk and substitute is True
    vote = Vote.objects.get(pk=opened.payload["vote_id"])
    ballot_cast(**cast(live, vote, c.substitutes[0], "nej"))
    refused("recused", ballot_cast, **cast(live, vote, c.members[3]))
    refused("not_serving", ballot_cast, **cast(live, vote, c.substitutes[1]))
