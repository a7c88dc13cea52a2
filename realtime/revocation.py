"""Closing the open sockets of revoked credentials, and keeping used sessions alive.

``identity`` sends ``identity.signals.credentials_revoked`` when a session is revoked or
logged out, when a user logs out everywhere, and when their second factor is reset; API
tokens are revoked here (``revoke_tokens``, also from the admin and on any save of a revoked
token). The receiver

- closes the matching sockets of this process at once (every event loop that has some), and
- sends one channel-layer message to the group ``klubba.revocations``, which every process
  with an authenticated socket has joined, so other processes close theirs too (each looks
  the user up among its own sockets; a process without them ignores the message).

One group for all, not one per user: a group per user cost every participant's handshake
two Redis round trips under this module's lock (a tenth of a server's samples while a
thousand members connected), to route a message that is sent only on a logout or a
revocation. The process re-joins the group on every touch round, well within the layer's
group expiry.

A closed socket gets an ``error`` frame ``session_revoked`` and close code 4401
(docs/protocol.md). Session keys never travel over the layer: sockets are matched by a hash.

While a session has an open socket, this module also marks it seen every
``identity.sessions.touch_interval()`` seconds, so the idle timeout never logs out a member
whose meeting page is open.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import weakref
from dataclasses import dataclass
from functools import partial
from typing import Any

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation

from identity import sessions
from identity.signals import credentials_revoked
from realtime.fanout import send_to_group
from realtime.models import ApiToken
from realtime.protocol import CLOSE_CODES, WireError, error_frame

logger = logging.getLogger(__name__)

MESSAGE_TYPE = "identity.revoked"


#: The layer group of every process that has an authenticated socket.
GROUP = "klubba.revocations"


def key_hash(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Entry:
    """What identifies a watched socket: its session (key and hash) or its token."""

    session_key: str | None
    session_hash: str | None
    token_id: int | None

    def matches(self, sessions_: list[str] | None, tokens: list[int] | None) -> bool:
        if sessions_ is None and tokens is None:
            return True  # every socket of the user
        return bool((self.session_hash and self.session_hash in (sessions_ or ()))
                    or (self.token_id is not None and self.token_id in (tokens or ())))


def entry_of(scope: dict[str, Any]) -> Entry:
    if scope.get("auth") == "token":
        return Entry(None, None, scope.get("token_id"))
    key = getattr(scope.get("session"), "session_key", None)
    return Entry(key, key_hash(key) if key else None, None)


class Watch:
    """One event loop's authenticated sockets, by user, and its layer channel."""

    def __init__(self, layer: Any) -> None:
        self.layer = layer
        self.sockets: dict[int, dict[Any, Entry]] = {}
        self.channel: str | None = None
        self.listener: asyncio.Task | None = None
        self.toucher: asyncio.Task | None = None
        self.lock = asyncio.Lock()

    async def add(self, socket: Any) -> None:
        async with self.lock:
            self.sockets.setdefault(socket.user.pk, {})[socket] = entry_of(socket.scope)
            if self.toucher is None:  # the first socket since this loop had none
                self.toucher = asyncio.get_running_loop().create_task(
                    self.touch_forever(), name="klubba-touch")
                await self.join()

    async def join(self) -> None:
        """Join the group, or stay in it past the layer's group expiry (and a Redis restart).
        A layer that is down is tried again on the next touch round; meanwhile this process
        still closes its own sockets."""
        if self.layer is None:
            return
        try:
            if self.channel is None:
                channel = await self.layer.new_channel()
                await self.layer.group_add(GROUP, channel)
                self.channel = channel
                self.listener = asyncio.get_running_loop().create_task(
                    self.listen(channel), name="klubba-revocation")
            else:
                await self.layer.group_add(GROUP, self.channel)
        except Exception as exc:
            logger.warning("revocation: joining %s failed: %s", GROUP, type(exc).__name__)

    async def remove(self, socket: Any) -> None:
        user_id = getattr(getattr(socket, "user", None), "pk", None)
        async with self.lock:
            mine = self.sockets.get(user_id)  # type: ignore[arg-type]
            if mine is None or mine.pop(socket, None) is None:
                return
            if mine:
                return
            del self.sockets[user_id]  # type: ignore[arg-type]
            if not self.sockets:
                if self.channel is not None:
                    try:
                        await self.layer.group_discard(GROUP, self.channel)
                    except Exception as exc:  # the membership expires on its own
                        logger.info("revocation: leaving %s failed: %s", GROUP,
                                    type(exc).__name__)
                for task in (self.listener, self.toucher):
                    if task is not None:
                        task.cancel()
                self.listener = self.toucher = None
                self.channel = None

    async def take(self, message: dict[str, Any]) -> int:
        """Close the sockets the message names; returns how many."""
        mine = self.sockets.get(message.get("user"))  # type: ignore[arg-type]
        if not mine:
            return 0
        doomed = [s for s, entry in mine.items()
                  if entry.matches(message.get("sessions"), message.get("tokens"))]
        for socket in doomed:
            mine.pop(socket, None)
        for socket in doomed:
            try:
                await end(socket)
            except Exception as exc:  # closing anyway
                logger.info("revocation: closing a socket failed: %s", type(exc).__name__)
        if doomed:
            logger.info("revocation: closed %s socket(s) of user %s (%s)", len(doomed),
                        message.get("user"), message.get("reason"))
        return len(doomed)

    async def listen(self, channel: str) -> None:
        while True:
            try:
                message = await self.layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the layer restarting: local closes still work
                logger.info("revocation: receiving failed: %s", type(exc).__name__)
                await asyncio.sleep(1)
                continue
            if message.get("type") == MESSAGE_TYPE:
                await self.take(message)

    def session_keys(self) -> list[str]:
        return sorted({e.session_key for mine in self.sockets.values()
                       for e in mine.values() if e.session_key})

    async def touch(self) -> int:
        return await database_sync_to_async(sessions.touch)(self.session_keys())

    async def touch_forever(self) -> None:
        while True:
            await asyncio.sleep(sessions.touch_interval())
            try:
                await self.touch()
            except Exception as exc:  # a database hiccup: the next round tries again
                logger.warning("revocation: touching sessions failed: %s",
                               type(exc).__name__)
            async with self.lock:
                await self.join()


async def end(socket: Any) -> None:
    """The socket's credentials were revoked: one error frame, then close (4401)."""
    socket.joined = False
    code = WireError.SESSION_REVOKED
    with translation.override(socket.language):
        await socket.send_frame(error_frame(code))
    await socket.close(code=CLOSE_CODES[code])


_watches: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Watch] = (
    weakref.WeakKeyDictionary())


def watch_of_loop() -> Watch:
    loop = asyncio.get_running_loop()
    layer = get_channel_layer()
    current = _watches.get(loop)
    if current is None or (current.layer is not layer and not current.sockets):
        current = _watches[loop] = Watch(layer)
    return current


async def watch(socket: Any) -> None:
    """A socket was let in (``realtime.consumers``): close it when its credentials go."""
    if getattr(socket.user, "is_authenticated", False):
        await watch_of_loop().add(socket)


async def unwatch(socket: Any) -> None:
    current = _watches.get(asyncio.get_running_loop())
    if current is not None:
        await current.remove(socket)


async def touch_now() -> int:
    """Mark the sessions of this loop's open sockets seen now (the periodic job's step)."""
    current = _watches.get(asyncio.get_running_loop())
    return await current.touch() if current is not None else 0


# --- the signal, from any thread ---------------------------------------------------------------


def broadcast(message: dict[str, Any]) -> None:
    for loop, current in list(_watches.items()):
        if current.sockets and loop.is_running() and not loop.is_closed():
            asyncio.run_coroutine_threadsafe(current.take(message), loop)
    if get_channel_layer() is not None:
        send_to_group(GROUP, message)


def _revoked(sender: Any, user_id: int, session_keys: list[str] | None = None,
             token_ids: list[int] | None = None, reason: str = "", **kwargs: Any) -> None:
    message = {
        "type": MESSAGE_TYPE, "user": user_id, "reason": reason, "tokens": token_ids,
        "sessions": None if session_keys is None else [key_hash(k) for k in session_keys],
    }
    transaction.on_commit(partial(broadcast, message))


def revoke_tokens(tokens: Any) -> int:
    """Revoke the tokens (a queryset) and close their sockets."""
    rows = list(tokens.filter(revoked=False).values_list("pk", "user_id"))
    if not rows:
        return 0
    ApiToken.objects.filter(pk__in=[pk for pk, _ in rows]).update(revoked=True)
    by_user: dict[int, list[int]] = {}
    for pk, user_id in rows:
        by_user.setdefault(user_id, []).append(pk)
    for user_id, ids in by_user.items():
        credentials_revoked.send(sender=ApiToken, user_id=user_id, session_keys=None,
                                 token_ids=ids, reason="token_revoked")
    return len(rows)


def _token_saved(sender: Any, instance: ApiToken, **kwargs: Any) -> None:
    if instance.revoked:
        credentials_revoked.send(sender=ApiToken, user_id=instance.user_id, session_keys=None,
                                 token_ids=[instance.pk], reason="token_revoked")


def _token_deleted(sender: Any, instance: ApiToken, **kwargs: Any) -> None:
    credentials_revoked.send(sender=ApiToken, user_id=instance.user_id, session_keys=None,
                             token_ids=[instance.pk], reason="token_deleted")


class ApiTokenSource:
    """The user's API tokens on the sessions page (``identity.sessions``)."""

    kind = "api_token"

    def list(self, user: Any) -> list[sessions.Credential]:
        return [sessions.Credential(kind=self.kind, id=t.pk, name=f"{t.prefix}… {t.name}",
                                    created=t.created, last_used=t.last_used)
                for t in ApiToken.objects.filter(user=user, revoked=False)]

    def revoke(self, user: Any, credential_id: int) -> bool:
        return revoke_tokens(ApiToken.objects.filter(user=user, pk=credential_id)) > 0


def connect() -> None:
    credentials_revoked.connect(_revoked, dispatch_uid="realtime.revocation")
    post_save.connect(_token_saved, sender=ApiToken, dispatch_uid="realtime.revocation.save")
    post_delete.connect(_token_deleted, sender=ApiToken,
                        dispatch_uid="realtime.revocation.delete")
    sessions.register_source(ApiTokenSource())
