"""The participant socket refuses, with a typed code, a user whom the body requires to use a
second factor and whose session has not verified one."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.contrib.sessions.backends.db import SessionStore
from django_otp import DEVICE_ID_SESSION_KEY

from tests.support.committee import make_committee
from tests.support.identity import enrolled, require_second_factor
from tests.support.sockets import closed_with, db, open_socket, participant, session_key

pytestmark = pytest.mark.django_db(transaction=True)


def verified_session(user) -> str:
    key = session_key(user)
    store = SessionStore(session_key=key)
    store[DEVICE_ID_SESSION_KEY] = enrolled(user).persistent_id
    store.save()
    return key


async def test_unverified_officer_is_refused_with_second_factor_required():
    c = await db(make_committee)()
    await db(require_second_factor)(c.body)
    path = f"/ws/meetings/{c.meeting.pk}/"
    accepted, _code, client = await open_socket(path, user=c.secretary)
    assert accepted
    assert await closed_with(client) == {"error": "second_factor_required", "close": 4403}

    # Not an officer: the member follows the meeting as before.
    member = await participant(c.meeting.pk, user=c.members[2])
    await member.close()

    # A session that verified the second factor is let in.
    key = await database_sync_to_async(verified_session)(c.secretary)
    accepted, _code, client = await open_socket(
        path, headers=[(b"cookie", f"sessionid={key}".encode())])
    assert accepted
    assert (await client.recv())["type"] == "snapshot"
    await client.close()
