"""Secret ballots: nothing in the schema, the rows or the log links a voter to a choice."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, models

from meetings.models import Body, MeetingEvent
from tests.support.committee import make_committee
from tests.support.voting import refused, start_item
from voting.commands import ballot_cast, ballot_record, vote_close, vote_open
from voting.models import CountedReceipt, SecretBallot, Vote, VoterMark
from voting.selectors import secret_receipts

SEATS = 13


def test_the_ballot_table_cannot_name_a_voter_or_a_time():
    fields = SecretBallot._meta.get_fields()
    user_model = get_user_model()
    assert isinstance(SecretBallot._meta.pk, models.UUIDField)
    assert SecretBallot._meta.pk.default is uuid.uuid4
    for field in fields:
        assert getattr(field, "related_model", None) is not user_model, field
        assert not isinstance(field, (models.DateField, models.TimeField,
                                      models.DurationField)), field
        assert not isinstance(field, (models.AutoField, models.BigAutoField)), field
    assert {f.column for f in SecretBallot._meta.concrete_fields} == {
        "id", "vote_id", "choice", "sealed"}
    # Receipts are kept apart from the choices (a receipt with its choice is a proof of vote).
    assert {f.column for f in CountedReceipt._meta.concrete_fields} == {
        "id", "vote_id", "receipt"}
    assert isinstance(CountedReceipt._meta.pk, models.UUIDField)
    # The only column the two tables share is the vote (both have a random "id" of their own).
    ballot_cols = {f.column for f in SecretBallot._meta.concrete_fields}
    mark_cols = {f.column for f in VoterMark._meta.concrete_fields}
    assert ballot_cols & mark_cols == {"id", "vote_id"}
    assert isinstance(VoterMark._meta.pk, models.UUIDField)
    # Listed by the random key, never by insertion.
    assert SecretBallot._meta.ordering == ["id"]
    assert VoterMark._meta.ordering == ["id"]


@pytest.fixture
def secret_live(db):
    c = make_committee(seats=SEATS, name="Valnämnden")
    Body.objects.filter(pk=c.body.pk).update(
        secret_ballot_policy=Body.SecretBallotPolicy.ANY_DECISION)
    return start_item(c)


def walk(value: Any):
    """Every key and scalar in a JSON document."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v)
    else:
        yield value


def storage_order(model) -> list[str]:
    """Receipts or voter ids in the order the database stores the rows."""
    column = "receipt" if model is CountedReceipt else "voter_id"
    position = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} ORDER BY {position}")
        return [str(row[0]) for row in cursor.fetchall()]


def test_a_secret_vote_leaves_no_link_in_rows_or_log(secret_live):
    live = secret_live
    c = live.c
    opened = vote_open(meeting_id=live.meeting_id, actor=c.secretary, item_id=live.item.pk,
                       kind="secret", main_proposal_id=live.prepared().pk)
    vote = Vote.objects.get(pk=opened.payload["vote_id"])
    voters = c.members[:12]
    choices = ["ja", "nej", "ja", "avstar", None, "ja", "nej", "ja", "ja", "nej", None, "ja"]
    receipts = {}
    for voter, choice in zip(voters, choices, strict=True):
        result = ballot_cast(meeting_id=live.meeting_id, actor=voter, vote_id=vote.pk,
                             choice=choice, command_id=f"cast-{voter.pk}")
        assert result.receipt and len(result.receipt) == 10
        receipts[voter.pk] = (result.receipt, choice)
        assert result.event.actor_id is None and result.event.command_id is None
    # The secretary cannot record an oral answer in a secret vote.
    refused("invalid_argument", ballot_record, meeting_id=live.meeting_id, actor=c.secretary,
            vote_id=vote.pk, user_id=c.members[12].pk, choice="ja")
    refused("invalid_argument", secret_receipts, meeting_id=live.meeting_id,
            actor=c.members[0], vote_id=vote.pk)  # not before close
    closed = vote_close(meeting_id=live.meeting_id, actor=c.secretary, vote_id=vote.pk)
    r = closed.payload["result"]
    assert (r["ja"], r["nej"], r["avstar"], r["blank"], r["total"]) == (6, 3, 1, 2, 12)
    assert r["outcome"] == "ja" and r["lot"] is None
    assert "ballots" not in r

    # Rows: the ballots hold exactly the choices, unsealed; the receipts are in a table of
    # their own; nothing is about voters.
    rows = list(SecretBallot.objects.filter(vote=vote).values_list("choice", "sealed"))
    assert sorted(map(str, (x[0] for x in rows))) == sorted(map(str, choices))
    assert {x[1] for x in rows} == {""}
    assert sorted(CountedReceipt.objects.filter(vote=vote).values_list("receipt", flat=True)
                  ) == sorted(x[0] for x in receipts.values())
    voter_ids = {str(v.pk) for v in voters} | {v.username for v in voters}
    for ballot in SecretBallot.objects.filter(vote=vote).values():
        assert not {str(x) for x in ballot.values()} & voter_ids
    assert set(VoterMark.objects.filter(vote=vote).values_list("voter_id", flat=True)) == {
        v.pk for v in voters}
    # Stored order of the receipts after close is shuffled (12! orders); the marks stay in
    # cast order, which says only who voted when (as the log's timing does).
    cast_receipts = [receipts[v.pk][0] for v in voters]
    assert sorted(storage_order(CountedReceipt)) == sorted(cast_receipts)
    assert storage_order(CountedReceipt) != cast_receipts

    # The log: no receipt, no choice, no voter on any event of this vote but the public list
    # of who may vote; the casts have neither actor nor command id.
    all_payloads = json.dumps([e.payload for e in MeetingEvent.objects.all()])
    for receipt, _choice in receipts.values():
        assert receipt not in all_payloads
    assert "cast-" not in json.dumps(list(MeetingEvent.objects.values_list("command_id",
                                                                             flat=True)))
    for event in MeetingEvent.objects.filter(payload__vote_id=vote.pk).exclude(
        type="vote.opened"
    ):
        keys_and_values = list(walk(event.payload))
        assert "choice" not in keys_and_values and "user_id" not in keys_and_values
        assert event.type != "ballot.cast" or event.actor_id is None

    # Receipts: every participant can check the list, sorted by code, with no choice in it
    # (a voter can see their ballot was counted, and cannot prove how they voted); outsiders
    # cannot see it.
    listed = secret_receipts(meeting_id=live.meeting_id, actor=c.members[3], vote_id=vote.pk)
    assert listed == [{"receipt": x} for x in sorted(x[0] for x in receipts.values())]
    assert {"receipt": receipts[c.members[3].pk][0]} in listed
    refused("not_a_participant", secret_receipts, meeting_id=live.meeting_id,
            actor=c.outsider, vote_id=vote.pk)


def test_an_election_tie_is_decided_by_lot_and_recorded(secret_live):
    live = secret_live
    c = live.c
    opened = vote_open(meeting_id=live.meeting_id, actor=c.secretary, item_id=live.item.pk,
                       kind="election", candidates=["Anna", "Bertil", "Cecilia"], posts=1)
    vote = Vote.objects.get(pk=opened.payload["vote_id"])
    picks = [["Anna"], ["Bertil"], ["Anna"], ["Bertil"], [], ["Cecilia"]]
    for voter, pick in zip(c.members, picks, strict=False):
        ballot_cast(meeting_id=live.meeting_id, actor=voter, vote_id=vote.pk, choice=pick)
    refused("invalid_choice", ballot_cast, meeting_id=live.meeting_id, actor=c.members[7],
            vote_id=vote.pk, choice=["Anna", "Bertil"])  # more names than posts
    refused("invalid_choice", ballot_cast, meeting_id=live.meeting_id, actor=c.members[7],
            vote_id=vote.pk, choice=["Doris"])
    closed = vote_close(meeting_id=live.meeting_id, actor=c.secretary, vote_id=vote.pk)
    r = closed.payload["result"]
    assert r["votes"] == [{"candidate": "Anna", "votes": 2}, {"candidate": "Bertil", "votes": 2},
                          {"candidate": "Cecilia", "votes": 1}]
    assert r["blank"] == 1 and r["valid"] == 5
    assert r["lot"]["tied"] == ["Anna", "Bertil"] and r["lot"]["seats"] == 1
    assert r["elected"] == r["lot"]["drawn"] and r["elected"][0] in ("Anna", "Bertil")


def test_secret_votes_follow_the_bodys_policy(db):
    c = make_committee()
    live = start_item(c)  # default policy: secret ballots for elections only
    refused("secret_not_allowed", vote_open, meeting_id=live.meeting_id, actor=c.secretary,
            item_id=live.item.pk, kind="secret", main_proposal_id=live.prepared().pk)
    refused("invalid_argument", vote_open, meeting_id=live.meeting_id, actor=c.secretary,
            item_id=live.item.pk, kind="election", candidates=["A", "A"], posts=1)
    vote_open(meeting_id=live.meeting_id, actor=c.secretary, item_id=live.item.pk,
              kind="election", candidates=["A", "B"], posts=1)


def test_secret_staff_appointments_where_the_body_allows_them(db):
    c = make_committee()
    Body.objects.filter(pk=c.body.pk).update(
        secret_ballot_policy=Body.SecretBallotPolicy.ELECTIONS_AND_APPOINTMENTS)
    live = start_item(c)
    args = {"meeting_id": live.meeting_id, "actor": c.secretary, "item_id": live.item.pk,
            "kind": "secret", "main_proposal_id": live.prepared().pk}
    refused("secret_not_allowed", vote_open, **args)
    opened = vote_open(**args, appointment=True)
    assert opened.payload["kind"] == "secret"
