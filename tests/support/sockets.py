"""Websocket test helpers: clients that speak the protocol through the real ASGI application
(origin checks, session and token auth included) and check every server frame against the
schema in realtime/schema/server-frame.json."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from klubba.asgi import application
from realtime.models import ApiToken
from realtime.protocol import validator

ORIGIN = b"http://127.0.0.1"
HOST = b"127.0.0.1"  # the Host a browser on ORIGIN sends: the socket's own origin is ORIGIN
TIMEOUT = 10  # seconds; generous, machines are shared — a bound, not an assertion


def session_key(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def api_token(user, name: str = "test") -> str:
    return ApiToken.issue(user=user, name=name)[1]


_client_ids = itertools.count(1)


class Client:
    """One websocket, with a buffer for frames that arrive while we wait for another."""

    def __init__(self, communicator: WebsocketCommunicator) -> None:
        self.ws = communicator
        self.pending: list[dict[str, Any]] = []
        self.counter = 0
        self.snapshot: dict[str, Any] | None = None

    async def recv(self, timeout: float = TIMEOUT) -> dict[str, Any]:
        if self.pending:
            return self.pending.pop(0)
        return await self._read(timeout)

    async def _read(self, timeout: float) -> dict[str, Any]:
        text = await self.ws.receive_from(timeout=timeout)
        frame = json.loads(text)
        errors = sorted(validator("server-frame").iter_errors(frame), key=str)
        assert not errors, (frame, errors[0].message)
        return frame

    async def wait_for(self, predicate: Callable[[dict], bool],
                       timeout: float = TIMEOUT) -> dict[str, Any]:
        for i, frame in enumerate(self.pending):
            if predicate(frame):
                return self.pending.pop(i)
        while True:
            frame = await self._read(timeout)
            if predicate(frame):
                return frame
            self.pending.append(frame)

    async def send_text(self, text: str) -> None:
        # send_input, not send_to: the communicator refuses an empty text frame.
        await self.ws.send_input({"type": "websocket.receive", "text": text})

    async def send(self, frame: dict[str, Any]) -> None:
        await self.ws.send_to(text_data=json.dumps(frame))

    def next_id(self, prefix: str = "c") -> str:
        # Unique across clients: a command id already used in the meeting (by anyone) is
        # refused as command_id_conflict, and id(self) % 100000 could repeat between clients.
        self.counter += 1
        return f"{prefix}{self.counter}-{next(_client_ids)}"

    async def command(self, name: str, args: dict | None = None,
                      frame_id: str | None = None) -> dict[str, Any]:
        frame_id = frame_id or self.next_id()
        frame: dict[str, Any] = {"v": 1, "type": "command", "id": frame_id, "name": name}
        if args is not None:
            frame["args"] = args
        await self.send(frame)
        return await self.reply(frame_id)

    async def reply(self, frame_id: str) -> dict[str, Any]:
        return await self.wait_for(lambda f: f["type"] == "reply" and f["id"] == frame_id)

    async def event(self, seq: int | None = None, name: str | None = None) -> dict[str, Any]:
        return await self.wait_for(
            lambda f: f["type"] == "event" and (seq is None or f["seq"] == seq)
            and (name is None or f["event"] == name)
        )

    async def sync(self, since: int, frame_id: str = "s1") -> tuple[list[dict], dict]:
        """Send a sync and return (frames before the reply, the reply)."""
        await self.send({"v": 1, "type": "sync", "id": frame_id, "since": since})
        frames: list[dict] = []
        while True:
            frame = await self.recv()
            if frame["type"] == "reply" and frame["id"] == frame_id:
                return frames, frame
            frames.append(frame)

    async def nothing_pending(self) -> bool:
        return not self.pending and await self.ws.receive_nothing(timeout=0.2)

    async def close(self) -> None:
        await self.ws.disconnect()


async def open_socket(
    path: str, *, user=None, token: str | None = None, token_in: str = "header",
    origin: bytes | None = ORIGIN, headers: list | None = None, host: bytes | None = HOST,
) -> tuple[bool, Any, Client]:
    """Connect through klubba.asgi.application; returns (accepted, close code or None, client)."""
    hdrs = list(headers or [])
    if host is not None:
        hdrs.append((b"host", host))
    if origin is not None:
        hdrs.append((b"origin", origin))
    if user is not None:
        key = await database_sync_to_async(session_key)(user)
        hdrs.append((b"cookie", f"sessionid={key}".encode()))
    if token is not None:
        if token_in == "header":
            hdrs.append((b"authorization", f"Bearer {token}".encode()))
        else:
            path = f"{path}?token={token}"
    communicator = WebsocketCommunicator(application, path, headers=hdrs)
    accepted, code = await communicator.connect(timeout=TIMEOUT)
    return accepted, code, Client(communicator)


async def participant(meeting_id: int, user=None, **kwargs) -> Client:
    """An accepted participant socket whose first frame (the snapshot) was read."""
    accepted, code, client = await open_socket(f"/ws/meetings/{meeting_id}/", user=user,
                                               **kwargs)
    assert accepted, code
    client.snapshot = await client.recv()
    assert client.snapshot["type"] == "snapshot", client.snapshot
    return client


async def public(meeting_id: int, **kwargs) -> Client:
    accepted, code, client = await open_socket(f"/ws/public/meetings/{meeting_id}/", **kwargs)
    assert accepted, code
    client.snapshot = await client.recv()
    assert client.snapshot["type"] == "snapshot", client.snapshot
    return client


async def closed_with(client: Client) -> dict[str, Any]:
    """The error frame of a refused socket and its close code."""
    frame = await client.recv()
    closing = await client.ws.receive_output(timeout=TIMEOUT)
    assert closing["type"] == "websocket.close", closing
    return {"error": frame["error"]["code"], "close": closing.get("code")}


async def eventually(check: Callable[[], Any], timeout: float = TIMEOUT) -> Any:
    """Poll a sync (database) check until it returns something truthy, within a bound."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await database_sync_to_async(check)()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


db = database_sync_to_async


@pytest.fixture(autouse=True)
async def _no_leftover_presence_timers():
    """Grace timers belong to the test's event loop; cancel what a test left running, then
    let database work already handed to the (single, thread-sensitive) sync thread finish, so
    the database flush after the test does not race a presence command."""
    yield
    from realtime.presence import tracker

    for task in list(tracker().timers.values()):
        task.cancel()
    tracker().timers.clear()
    await database_sync_to_async(lambda: None)()


MATRIX_OK = "ok"


async def matrix_cell(
    *, command: str, role: str, expected: str, setups: dict, roles: dict,
    exact_result: bool,
) -> None:
    """One cell of a role x command matrix: the command either works (one logged event,
    reply naming it) or is refused with ``expected`` and logs nothing. ``exact_result``: the
    reply's result is exactly ``{seq, event}`` (core commands; others may add ids)."""
    from meetings.models import MeetingEvent
    from tests.support.committee import make_committee

    c = await db(make_committee)()
    args = await db(setups[command])(c)
    user = roles[role](c)
    if role == "public":
        client = await public(c.meeting.pk)
    elif expected == "not_a_participant":
        accepted, _, client = await open_socket(f"/ws/meetings/{c.meeting.pk}/", user=user)
        assert accepted
        assert await closed_with(client) == {"error": "not_a_participant", "close": 4403}
        return
    else:
        client = await participant(c.meeting.pk, user=user)
    frame_id = f"{role}-{command}"
    logged = MeetingEvent.objects.filter(meeting=c.meeting, command_id__isnull=False)
    before = await db(logged.count)()
    reply = await client.command(command, args, frame_id=frame_id)
    after = await db(logged.count)()
    if expected == MATRIX_OK:
        assert reply["ok"], reply
        assert after == before + 1
        event = await db(MeetingEvent.objects.get)(meeting=c.meeting, command_id=frame_id)
        if exact_result:
            assert reply["result"] == {"seq": event.seq, "event": event.type}
        else:
            assert (reply["result"]["seq"], reply["result"]["event"]) == (event.seq, event.type)
    else:
        assert not reply["ok"] and reply["error"]["code"] == expected, reply
        assert reply["error"]["message"]
        assert after == before
    await client.close()
