"""Step-up at secret ballots, checked at the socket: where the body requires it
(``BodySecurity.step_up_secret_ballots``), ``ballot.cast`` on a secret vote needs a second
factor that the socket's session checked at most ``secret_ballot_step_up_minutes`` ago.

The answer is an error reply ``step_up_required`` with ``details.within_minutes`` and
``details.url`` (the page where the user checks their factor again: the TOTP page, or a fresh
login at the identity provider for an SSO session); the client shows it and casts again
afterwards. The session is read afresh for each such cast (the page may have just stepped
up); the body's rule is cached per meeting in each process for ``RULE_TTL`` seconds, and
the sockets that ask while it is read share one read (``realtime.coalesce``), so a vote
storm in a body without the rule costs one database trip, not one per voter before their
ballot can join a batch (it was a sixth of a storm's samples with a cache per socket).
API tokens carry no session: they cannot cast such ballots.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from importlib import import_module
from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings

from identity.errors import IdentityError
from identity.policy import recently_verified, secret_ballot_window, step_up_url
from meetings.models import Meeting
from meetings.visibility import PARTICIPANTS
from realtime.coalesce import Coalescer
from realtime.protocol import FrameError
from voting.models import Vote

RULE_TTL = 30.0  # seconds a body's rule is cached for a meeting in this process
#: Per event loop (a server process has one), per meeting: (valid until, window).
_rules: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, tuple[float, int | None]]] \
    = weakref.WeakKeyDictionary()


def _window(meeting_id: int) -> int | None:
    body_id = Meeting.objects.filter(pk=meeting_id).values_list("body_id", flat=True).first()
    return secret_ballot_window(body_id) if body_id is not None else None


_windows: Coalescer[None, int | None] = Coalescer(
    lambda meeting_id, asks: [_window(meeting_id)] * len(asks), "ballot-rule")


async def refusal(socket: Any, frame_id: str, name: str, args: dict[str, Any]
                  ) -> FrameError | None:
    if name != "ballot.cast" or socket.audience != PARTICIPANTS:
        return None
    now = time.monotonic()
    rules = _rules.setdefault(asyncio.get_running_loop(), {})
    cached = rules.get(socket.meeting_id)
    if cached is None or cached[0] < now:
        cached = (now + RULE_TTL, await _windows(socket.meeting_id, None))
        rules[socket.meeting_id] = cached
    window = cached[1]
    if window is None:
        return None
    return await database_sync_to_async(_check)(socket, frame_id, args, window)


def _check(socket: Any, frame_id: str, args: dict[str, Any], window: int) -> FrameError | None:
    vote = Vote.objects.filter(pk=int(args["vote_id"]), meeting_id=socket.meeting_id) \
        .only("kind").first()  # vote_id: an integer (the command's schema was checked)
    if vote is None or not vote.is_secret:
        return None  # an open vote, or no such vote (the command says so)
    session = None
    key = getattr(socket.scope.get("session"), "session_key", None)
    if socket.scope.get("auth") == "session" and key:
        session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    if recently_verified(session, socket.user, window):
        return None
    return FrameError(IdentityError.STEP_UP_REQUIRED,
                      {"within_minutes": window // 60, "url": step_up_url(session)},
                      frame_id=frame_id)
