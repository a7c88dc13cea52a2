"""Many ballots in one transaction (``ballots_cast``, how the server takes a vote storm):
each request gets exactly the outcome it would have had alone, every accepted ballot is its
own link in the log's chain, and a secret batch stays unlinkable."""

from __future__ import annotations

import pytest

from meetings.log import verify_chain
from meetings.models import Body, MeetingEvent
from voting.commands import CastRequest, ballot_cast, ballots_cast, vote_open
from voting.models import OpenBallot, SecretBallot, Vote, VoterMark
from voting.sealing import unseal

pytestmark = pytest.mark.django_db


def test_a_batch_answers_each_ballot_as_if_it_came_alone(live):
    m = live.c.members
    vote = vote_open(**live.kw(actor=live.sec, item_id=live.item.pk, command_id="open-1",
                               main_proposal_id=live.prepared().pk))
    vote_id = vote.payload["vote_id"]
    ballot_cast(**live.kw(actor=m[4], vote_id=vote_id, choice="ja"))  # voted before the batch
    outcomes = ballots_cast(meeting_id=live.meeting_id, requests=[
        CastRequest(voter=m[0], vote_id=vote_id, choice="ja", command_id="a"),
        CastRequest(voter=m[1], vote_id=vote_id, choice="kanske", command_id="b"),
        CastRequest(voter=m[2], vote_id=vote_id, choice="nej", command_id="c"),
        CastRequest(voter=m[2], vote_id=vote_id, choice="ja", command_id="d"),  # twice
        CastRequest(voter=m[4], vote_id=vote_id, choice="nej", command_id="e"),  # earlier
        CastRequest(voter=live.c.outsider, vote_id=vote_id, choice="ja", command_id="f"),
        CastRequest(voter=m[3], vote_id=99999, choice="ja", command_id="g"),
        CastRequest(voter=m[3], vote_id=vote_id, choice="nej", command_id="open-1"),
        CastRequest(voter=m[3], vote_id=vote_id, choice="nej", command_id="h"),
    ])
    codes = [getattr(o, "code", "ok") for o in outcomes]
    assert codes == ["ok", "invalid_choice", "ok", "already_voted", "already_voted",
                     "not_a_participant", "vote_not_found", "command_id_conflict", "ok"]
    accepted = [o for o in outcomes if not hasattr(o, "code")]
    assert [o.event.payload["cast"] for o in accepted] == list(range(2, 2 + len(accepted)))
    seqs = [o.event.seq for o in accepted]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    assert Vote.objects.get(pk=vote_id).cast_count == 1 + len(accepted)
    assert dict(OpenBallot.objects.filter(vote_id=vote_id).values_list(
        "voter_id", "choice")) == {m[4].pk: "ja", m[0].pk: "ja", m[2].pk: "nej", m[3].pk: "nej"}
    assert verify_chain(MeetingEvent.objects.filter(
        meeting_id=live.meeting_id).order_by("seq")) is None


def test_a_secret_batch_keeps_marks_and_ballots_apart(live):
    Body.objects.filter(pk=live.c.body.pk).update(
        secret_ballot_policy=Body.SecretBallotPolicy.ANY_DECISION)
    m = live.c.members
    vote = vote_open(**live.kw(actor=live.sec, item_id=live.item.pk, kind="secret",
                               main_proposal_id=live.prepared().pk))
    vote_id = vote.payload["vote_id"]
    choices = ["ja", "nej", "ja", "avstar", None]
    outcomes = ballots_cast(meeting_id=live.meeting_id, requests=[
        CastRequest(voter=member, vote_id=vote_id, choice=choice, command_id=f"s{n}")
        for n, (member, choice) in enumerate(zip(m, choices, strict=True))])
    receipts = [o.receipt for o in outcomes]
    assert len(set(receipts)) == 5 and all(receipts)
    assert VoterMark.objects.filter(vote_id=vote_id).count() == 5
    ballots = SecretBallot.objects.filter(vote_id=vote_id)
    # While the vote is open the rows hold the choice and receipt sealed, nothing readable.
    assert set(ballots.values_list("choice", flat=True)) == {None}
    opened = [unseal(vote_id, s) for s in ballots.values_list("sealed", flat=True)]
    assert sorted(map(str, (c for c, _ in opened))) == sorted(map(str, choices))
    assert {r for _, r in opened} == set(receipts)
    for outcome in outcomes:  # the log has counts only
        assert outcome.event.actor_id is None and outcome.event.command_id is None
        assert set(outcome.event.payload) == {"item_id", "vote_id", "kind", "cast",
                                              "eligible_count"}
