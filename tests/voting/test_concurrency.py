"""Casting and closing race: 200 voters cast from 16 threads (each with its own database
connection) while a close is fired in the middle. Every ballot ends up either counted or
answered ``vote_closed``: none lost, none twice. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.utils import timezone

from meetings.commands import (
    agenda_approve,
    attendance_check_in,
    item_activate,
    meeting_open,
)
from meetings.errors import CommandError
from meetings.log import verify_chain
from meetings.models import AgendaItem, Body, BodyRole, Meeting, MeetingEvent, Proposal, Seat
from tests.support.services import require_postgres
from voting.commands import ballot_cast, vote_close, vote_open
from voting.models import OpenBallot, SecretBallot, Vote, VoterMark
from voting.selectors import secret_receipts

VOTERS = 200
WORKERS = 16
CLOSE_AFTER = 100  # casts finished before the close is fired
CHOICES = ("ja", "nej", "avstar")


def big_meeting(kind: str):
    """A congress with the chair and 200 voters, built with bulk_create for speed; the
    meeting itself is opened and run through the real commands."""
    User = get_user_model()
    body = Body.objects.create(
        name=f"Kongressen {kind}", kind=Body.Kind.STAMMA, seats_count=VOTERS + 1,
        secret_ballot_policy=Body.SecretBallotPolicy.ANY_DECISION,
        substitute_policy=Body.SubstitutePolicy.NONE,
    )
    users = User.objects.bulk_create(
        User(username=f"{kind}-k{i}", first_name=f"Ombud{i}", last_name="K", password="!")
        for i in range(VOTERS + 1)
    )
    users = list(User.objects.filter(username__startswith=f"{kind}-k").order_by("pk"))
    Seat.objects.bulk_create(
        Seat(body=body, number=n, member=u) for n, u in enumerate(users, start=1)
    )
    secretary = User.objects.create(username=f"{kind}-sekr", password="!")
    BodyRole.objects.create(body=body, user=secretary, role=BodyRole.Role.SECRETARY)
    BodyRole.objects.create(body=body, user=users[0], role=BodyRole.Role.CHAIR)
    meeting = Meeting.objects.create(body=body, title="Kongress",
                                     starts_at=timezone.now() + timedelta(hours=1))
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Stadgeändring",
                                     prepared_proposal="Stadgarna ändras")
    mid = meeting.pk
    meeting_open(meeting_id=mid, actor=secretary)
    for user in users:
        attendance_check_in(meeting_id=mid, actor=secretary, user_id=user.pk, remote=True)
    agenda_approve(meeting_id=mid, actor=secretary)
    item_activate(meeting_id=mid, actor=secretary, item_id=item.pk)
    proposal = Proposal.objects.get(item=item, kind=Proposal.Kind.PREPARED)
    opened = vote_open(meeting_id=mid, actor=secretary, item_id=item.pk, kind=kind,
                       main_proposal_id=proposal.pk)
    vote = Vote.objects.get(pk=opened.payload["vote_id"])
    assert vote.eligible_count == VOTERS + 1
    # The chair votes first, so a tie never needs a casting vote in the middle of the race.
    ballot_cast(meeting_id=mid, actor=users[0], vote_id=vote.pk, choice="ja")
    return mid, secretary, users[0], users[1:], vote


def race(kind: str) -> None:
    mid, secretary, chair, voters, vote = big_meeting(kind)
    outcomes: dict[int, Any] = {}
    done = threading.Condition()
    close_result: dict[str, Any] = {}

    def cast(index: int, voter) -> None:
        choice = CHOICES[index % 3]
        try:
            result = ballot_cast(meeting_id=mid, actor=voter, vote_id=vote.pk, choice=choice)
            outcome: Any = ("ok", choice, result.receipt)
        except CommandError as exc:
            outcome = (exc.code, choice, None)
        except Exception as exc:  # noqa: BLE001 - any other failure must show in the assert
            outcome = (f"crash: {exc!r}", choice, None)
        finally:
            connections.close_all()
        with done:
            outcomes[voter.pk] = outcome
            done.notify_all()

    def close() -> None:
        try:
            close_result["event"] = vote_close(meeting_id=mid, actor=secretary, vote_id=vote.pk)
        except Exception as exc:  # noqa: BLE001
            close_result["error"] = exc
        finally:
            connections.close_all()

    closer = threading.Thread(target=close)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for index, voter in enumerate(voters):
            pool.submit(cast, index, voter)
        with done:
            # A bound against a hang (shared machines), not a timing assertion.
            assert done.wait_for(lambda: len(outcomes) >= CLOSE_AFTER, timeout=600)
        closer.start()
        closer.join()
    assert "error" not in close_result, close_result.get("error")
    assert len(outcomes) == VOTERS

    counted = {pk for pk, o in outcomes.items() if o[0] == "ok"}
    rejected = {pk for pk, o in outcomes.items() if o[0] == "vote_closed"}
    others = {pk: o for pk, o in outcomes.items() if pk not in counted | rejected}
    assert not others, others
    assert counted and len(counted) >= CLOSE_AFTER

    event = close_result["event"]
    result = event.payload["result"]
    ok_choices = [outcomes[pk][1] for pk in counted] + ["ja"]  # + the chair
    expected = {c: ok_choices.count(c) for c in CHOICES}
    assert (result["ja"], result["nej"], result["avstar"]) == (
        expected["ja"], expected["nej"], expected["avstar"])
    assert result["cast"] == len(counted) + 1
    vote.refresh_from_db()
    assert vote.cast_count == len(counted) + 1
    if kind == "open":
        stored = set(OpenBallot.objects.filter(vote=vote).values_list("voter_id", flat=True))
        assert stored == counted | {chair.pk}
        assert {b["user_id"] for b in result["ballots"]} == counted | {chair.pk}
    else:
        marks = list(VoterMark.objects.filter(vote=vote).values_list("voter_id", flat=True))
        assert sorted(marks) == sorted(counted | {chair.pk})
        assert SecretBallot.objects.filter(vote=vote).count() == len(counted) + 1
        listed = {x["receipt"] for x in secret_receipts(
            meeting_id=mid, actor=chair, vote_id=vote.pk)}
        for pk in counted:
            _status, _choice, receipt = outcomes[pk]
            assert receipt in listed  # every counted voter finds their receipt counted
        assert len(listed) == len(counted) + 1
    # Every counted cast made one event, all before the close; the chain is intact.
    events = list(MeetingEvent.objects.filter(meeting_id=mid).order_by("seq"))
    casts = [e for e in events if e.type == "ballot.cast"]
    assert [e.payload["cast"] for e in casts] == list(range(1, len(counted) + 2))
    assert all(e.seq < event.seq for e in casts)
    assert verify_chain(events) is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["open", "secret"])
def test_casts_racing_a_close_are_counted_or_refused(kind):
    race(kind)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_casts_racing_a_close_on_postgresql():
    require_postgres()
    race("open")
