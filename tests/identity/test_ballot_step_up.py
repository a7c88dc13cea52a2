"""Step-up at secret ballots, checked at the socket: where the body requires it, casting a
secret ballot needs a second factor checked in the socket's session within the body's window;
otherwise the cast is answered ``step_up_required`` (with where to step up) and nothing is
recorded. Open votes, and bodies without the rule, are not affected."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from identity import factors
from identity.models import BodySecurity
from meetings.models import Body
from tests.support.committee import make_committee
from tests.support.identity import enrolled
from tests.support.sockets import db, participant, session_key
from tests.support.voting import start_item
from voting.commands import vote_open
from voting.models import SecretBallot

pytestmark = pytest.mark.django_db(transaction=True)


def setup(*, rule: bool, kind: str = "secret", name: str = "Testnämnden"):
    c = make_committee(name=name)
    Body.objects.filter(pk=c.body.pk).update(
        secret_ballot_policy=Body.SecretBallotPolicy.ANY_DECISION)
    if rule:
        BodySecurity.objects.create(body=c.body, step_up_secret_ballots=True,
                                    secret_ballot_step_up_minutes=10)
    live = start_item(c)
    opened = vote_open(meeting_id=live.meeting_id, actor=c.secretary, item_id=live.item.pk,
                       kind=kind, main_proposal_id=live.prepared().pk)
    return c, opened.payload["vote_id"]


def verified_session(user, *, minutes_ago: int) -> str:
    """A session that checked the user's TOTP ``minutes_ago`` minutes ago."""
    key = session_key(user)
    store = SessionStore(session_key=key)
    store[DEVICE_ID_SESSION_KEY] = enrolled(user).persistent_id
    store[factors.VERIFIED_METHOD_SESSION_KEY] = "totp"
    store[factors.VERIFIED_AT_SESSION_KEY] = (
        timezone.now() - timedelta(minutes=minutes_ago)).isoformat()
    store.save()
    return key


def step_up_now(key: str) -> None:
    """What the verification page does when the user enters a fresh code."""
    store = SessionStore(session_key=key)
    store[factors.VERIFIED_AT_SESSION_KEY] = timezone.now().isoformat()
    store.save()


async def test_a_secret_ballot_needs_a_recent_second_factor():
    c, vote_id = await db(setup)(rule=True)
    voter = c.members[1]
    key = await db(verified_session)(voter, minutes_ago=30)  # verified at login, long ago
    client = await participant(c.meeting.pk, headers=[(b"cookie", f"sessionid={key}".encode())])

    reply = await client.command("ballot.cast", {"vote_id": vote_id, "choice": "ja"})
    assert not reply["ok"] and reply["error"]["code"] == "step_up_required"
    assert reply["error"]["details"] == {"within_minutes": 10, "url": "/konto/tvastegs/verifiera/"}
    assert await db(SecretBallot.objects.count)() == 0

    await db(step_up_now)(key)  # the page prompted; the member entered a fresh code
    reply = await client.command("ballot.cast", {"vote_id": vote_id, "choice": "ja"})
    assert reply["ok"], reply
    assert await db(SecretBallot.objects.count)() == 1
    await client.close()


async def test_a_session_that_never_verified_a_second_factor_is_refused():
    c, vote_id = await db(setup)(rule=True)
    client = await participant(c.meeting.pk, user=c.members[2])  # no second factor at all
    reply = await client.command("ballot.cast", {"vote_id": vote_id, "choice": "nej"})
    assert reply["error"]["code"] == "step_up_required"
    await client.close()


async def test_without_the_rule_or_in_an_open_vote_nothing_is_asked():
    c, vote_id = await db(setup)(rule=False)
    client = await participant(c.meeting.pk, user=c.members[1])
    reply = await client.command("ballot.cast", {"vote_id": vote_id, "choice": "ja"})
    assert reply["ok"], reply
    await client.close()

    c, vote_id = await db(setup)(rule=True, kind="open", name="Öppna nämnden")
    client = await participant(c.meeting.pk, user=c.members[1])
    reply = await client.command("ballot.cast", {"vote_id": vote_id, "choice": "ja"})
    assert reply["ok"], reply
    await client.close()
