"""Secrecy below the application (issue 13, item 8): what the database itself shows.

On PostgreSQL every row carries the id of the transaction that wrote it (``xmin``) and a
physical position (``ctid``). A cast writes the voter mark and the ballot in one transaction,
so these tests read both with raw SQL: while the vote is open the ballot that shares the
mark's ``xmin`` is sealed (nothing readable); after close no ballot shares an ``xmin`` with
any mark or ``ballot.cast`` event, and the ballots' physical order says nothing about the
order of the voters. Transactions are real (``transaction=True``): inside one test
transaction every row would share an ``xmin``.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import override_settings

from meetings.models import Body
from tests.support.committee import make_committee
from tests.support.services import require_postgres
from tests.support.voting import start_item
from voting.commands import ballot_cast, vote_close, vote_open
from voting.models import SecretBallot, Vote
from voting.sealing import UnsealError, unseal
from voting.selectors import secret_receipts

CANDIDATES = [f"Kandidat {chr(65 + n)}" for n in range(12)]


def _rows(sql: str, *params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _election(voters: int = 12):
    c = make_committee(seats=voters + 1, name="Valnämnden")
    Body.objects.filter(pk=c.body.pk).update(
        secret_ballot_policy=Body.SecretBallotPolicy.ANY_DECISION)
    live = start_item(c)
    opened = vote_open(meeting_id=live.meeting_id, actor=c.secretary, item_id=live.item.pk,
                       kind="election", candidates=CANDIDATES, posts=2)
    return live, Vote.objects.get(pk=opened.payload["vote_id"])


def _cast_all(live, vote) -> list[tuple[int, list[str], str]]:
    """Each voter picks a different first name (the cast order is visible in the choices)."""
    cast = []
    for n, voter in enumerate(live.c.members[:12]):
        pick = [CANDIDATES[n]] if n % 2 else [CANDIDATES[(n + 1) % 12], CANDIDATES[n]]
        result = ballot_cast(meeting_id=live.meeting_id, actor=voter, vote_id=vote.pk,
                             choice=pick)
        cast.append((voter.pk, pick, result.receipt))
    return cast


def _marks(vote_id: int) -> dict[int, str]:
    return {voter: xmin for voter, xmin in _rows(
        "SELECT voter_id, xmin::text FROM voting_votermark WHERE vote_id = %s", vote_id)}


def _ballots(vote_id: int) -> list[tuple[str, object, str]]:
    """(xmin, choice, sealed) in physical order; the JSON column comes back as text."""
    return [(xmin, json.loads(choice) if isinstance(choice, str) else choice, sealed)
            for xmin, choice, sealed in _rows(
                "SELECT xmin::text, choice, sealed FROM voting_secretballot "
                "WHERE vote_id = %s ORDER BY ctid", vote_id)]


@pytest.mark.django_db(transaction=True)
def test_while_open_the_ballot_beside_a_mark_is_sealed():
    require_postgres()
    live, vote = _election()
    cast = _cast_all(live, vote)
    marks = _marks(vote.pk)
    by_xmin = {xmin: (choice, sealed) for xmin, choice, sealed in _ballots(vote.pk)}
    for voter, pick, receipt in cast:
        # The residue the issue found: the cast's transaction wrote both rows.
        choice, sealed = by_xmin[marks[voter]]
        # What a reader with SELECT sees there: no choice, no receipt, no candidate name.
        assert choice is None
        assert receipt not in sealed and not any(name in sealed for name in CANDIDATES)
        # Only the server's key (from the environment, not the database) opens it.
        assert unseal(vote.pk, sealed) == (sorted(pick), receipt)
        with override_settings(SECRET_KEY="a-database-reader-s-guess-" + "x" * 30,
                               SECRET_KEY_FALLBACKS=[]), pytest.raises(UnsealError):
            unseal(vote.pk, sealed)


@pytest.mark.django_db(transaction=True)
def test_after_close_no_ballot_shares_an_xmin_or_an_order_with_the_voters():
    require_postgres()
    live, vote = _election()
    cast = _cast_all(live, vote)
    vote_close(meeting_id=live.meeting_id, actor=live.c.secretary, vote_id=vote.pk)
    marks = _marks(vote.pk)
    events = {x for (x,) in _rows(
        "SELECT xmin::text FROM meetings_meetingevent WHERE type = 'ballot.cast' "
        "AND meeting_id = %s", live.meeting_id)}
    ballots = _ballots(vote.pk)
    assert len(ballots) == len(cast) == len(marks)
    xmins = {xmin for xmin, _, _ in ballots}
    # One transaction (the close) wrote every ballot: xmin orders nothing and names no cast.
    assert len(xmins) == 1
    assert not xmins & set(marks.values()) and not xmins & events
    # Unsealed, canonical (sorted), and in an order unrelated to the voters' (12! orders).
    assert all(sealed == "" for _, _, sealed in ballots)
    stored = [choice for _, choice, _ in ballots]
    assert sorted(map(str, stored)) == sorted(str(sorted(p)) for _, p, _ in cast)
    assert all(choice == sorted(choice) for choice in stored)
    assert stored != [sorted(p) for _, p, _ in cast]
    # The receipts: a table of their own, written in an order of their own, no choice.
    receipts = [r for (r,) in _rows("SELECT receipt FROM voting_countedreceipt "
                                    "WHERE vote_id = %s ORDER BY ctid", vote.pk)]
    assert sorted(receipts) == sorted(r for _, _, r in cast)
    assert receipts != [r for _, _, r in cast]
    listed = secret_receipts(meeting_id=live.meeting_id, actor=live.c.members[0],
                             vote_id=vote.pk)
    assert all(set(x) == {"receipt"} for x in listed)


def test_election_choices_are_stored_in_a_canonical_order(db):
    live, vote = _election(voters=2)
    first, second = live.c.members[:2]
    ballot_cast(meeting_id=live.meeting_id, actor=first, vote_id=vote.pk,
                choice=[CANDIDATES[5], CANDIDATES[1]])
    ballot_cast(meeting_id=live.meeting_id, actor=second, vote_id=vote.pk,
                choice=[CANDIDATES[1], CANDIDATES[5]])
    sealed = [unseal(vote.pk, s)[0] for s in
              SecretBallot.objects.filter(vote=vote).values_list("sealed", flat=True)]
    assert sealed == [[CANDIDATES[1], CANDIDATES[5]]] * 2  # the ticking order is gone
    vote_close(meeting_id=live.meeting_id, actor=live.c.secretary, vote_id=vote.pk)
    stored = list(SecretBallot.objects.filter(vote=vote).values_list("choice", flat=True))
    assert stored == [[CANDIDATES[1], CANDIDATES[5]]] * 2
