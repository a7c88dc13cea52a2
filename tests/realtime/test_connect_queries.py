"""How many database statements one participant's handshake costs once the meeting's feed is
warm, and that presence is reported in batches. Statement counts are deterministic: these
are bounds, not timings; they fail when the connect path grows a round trip per socket."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from django.db.backends.utils import CursorWrapper

from meetings.commands import meeting_open
from meetings.commands.presence import presence_connect_many
from meetings.models import MeetingEvent, Participant
from realtime import presence
from tests.support.committee import make_committee
from tests.support.sockets import api_token, db, participant, session_key

pytestmark = pytest.mark.django_db(transaction=True)

#: Token: 4 per socket (the token row, with no write within a minute of its last use; the
#: meeting; the roles, one query; the body's second-factor rule), then presence, 7 per
#: batch of sockets however many (here a batch of one: BEGIN, the meeting lock, one read,
#: one update, the event insert, the head update, the publish's confidential-item read).
#: Before issue 17: 14 per socket, the presence transaction included.
TOKEN_HANDSHAKE = 11
#: Session: the session row and its user instead of the token, plus the idle-timeout read.
SESSION_HANDSHAKE = 13


class AllStatements:
    """Every statement any database connection runs meanwhile. Django's connections are per
    context (each socket's task has its own), so CaptureQueriesContext on one of them would
    miss the consumer's work."""

    def __init__(self, monkeypatch) -> None:
        self.sql: list[str] = []
        self.monkeypatch = monkeypatch

    def __enter__(self):
        original = CursorWrapper._execute_with_wrappers
        seen = self.sql

        def counted(cursor, sql, params, many, executor):
            seen.append(sql)
            return original(cursor, sql, params, many, executor)

        self.monkeypatch.setattr(CursorWrapper, "_execute_with_wrappers", counted)
        return self

    def __exit__(self, *exc):
        self.monkeypatch.undo()


async def handshake(meeting_id: int, **kwargs):
    client = await participant(meeting_id, **kwargs)
    # Frames are dispatched only after connect() returned (presence included): the pong
    # says the handshake's database work is done; the no-op flushes the database thread.
    await client.send({"v": 1, "type": "ping", "id": "p1"})
    await client.wait_for(lambda f: f["type"] == "pong")
    await database_sync_to_async(lambda: None)()
    return client


@pytest.mark.parametrize("auth", ["token", "session"])
async def test_a_participant_handshake_costs_a_bounded_number_of_queries(auth, monkeypatch):
    c = await db(make_committee)()
    await db(meeting_open)(meeting_id=c.meeting.pk, actor=c.secretary)
    first = await handshake(c.meeting.pk, user=c.members[0])
    who = c.members[1]
    if auth == "token":
        kwargs = {"token": await db(api_token)(who), "origin": None}
        # Used once before: the handshake under test does not rewrite last_used.
        await (await handshake(c.meeting.pk, **kwargs)).close()
        bound = TOKEN_HANDSHAKE
    else:
        cookie = f"sessionid={await db(session_key)(who)}".encode()
        kwargs = {"headers": [(b"cookie", cookie)]}
        bound = SESSION_HANDSHAKE
    await db(Participant.objects.filter(user=who).update)(connected=False)
    with AllStatements(monkeypatch) as statements:
        client = await handshake(c.meeting.pk, **kwargs)
    assert len(statements.sql) <= bound, "\n".join(statements.sql)
    assert await db(Participant.objects.filter(user=who, connected=True).exists)()
    await client.close()
    await first.close()


def test_presence_of_many_is_one_transaction_whatever_their_number(db, monkeypatch):
    c = make_committee(seats=7)
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    counts = []
    for people in (c.members[:2], c.members[2:7]):
        with AllStatements(monkeypatch) as statements:
            events = presence_connect_many(meeting_id=c.meeting.pk,
                                           user_ids=[p.pk for p in people] * 2)
        counts.append(len(statements.sql))
        assert [e.actor_id for e in events] == [p.pk for p in people]  # once each, in order
    assert counts[0] == counts[1]
    logged = MeetingEvent.objects.filter(meeting=c.meeting, type="presence.connected")
    assert logged.count() == 7
    # Already connected: nothing to log, nothing written.
    assert presence_connect_many(meeting_id=c.meeting.pk, user_ids=[c.members[0].pk]) == []
    assert logged.count() == 7
    assert Participant.objects.filter(meeting=c.meeting, connected=True).count() == 7


async def crowd_reports(monkeypatch, crowd: int) -> tuple[list[list[int]], list]:
    """Five participants' sockets come up 20 ms apart; the reports as logged."""
    c = await db(make_committee)(seats=6)
    await db(meeting_open)(meeting_id=c.meeting.pk, actor=c.secretary)
    reports: list[list[int]] = []

    def recorded(**kwargs):
        reports.append(list(kwargs["user_ids"]))
        return presence_connect_many(**kwargs)

    monkeypatch.setattr(presence, "presence_connect_many", recorded)
    monkeypatch.setattr(presence, "CROWD", crowd)
    monkeypatch.setattr(presence, "GATHER_S", 1.0)  # far longer than the stagger
    connects = presence.Connects()

    async def comes_up(n: int, user) -> None:
        await asyncio.sleep(0.02 * n)
        await connects.report(c.meeting.pk, user.pk)

    await asyncio.gather(*(comes_up(n, m) for n, m in enumerate(c.members[:5])))
    assert await db(Participant.objects.filter(meeting=c.meeting, connected=True).count)() == 5
    return reports, c.members[:5]


async def test_a_crowds_connections_wait_for_each_other_into_one_transaction(monkeypatch):
    reports, people = await crowd_reports(monkeypatch, crowd=1)
    assert reports == [[p.pk for p in people]]


async def test_below_a_crowd_the_first_connection_is_reported_at_once(monkeypatch):
    reports, people = await crowd_reports(monkeypatch, crowd=20)
    assert reports[0] == [people[0].pk]  # no wait: a committee's members see it at once
    assert sorted(pk for report in reports for pk in report) == sorted(p.pk for p in people)
