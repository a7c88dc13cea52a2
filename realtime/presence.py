"""Connection counting and grace timers for presence, per process (per event loop).

A user with several tabs has several sockets: presence is "lost" only when the last one of
them closes, and "expired" only if none came back within the grace period. The counts live in
this process: with several server processes, a user whose tabs are spread over two processes
is reported lost when the tabs on one process close (see docs/protocol.md, "Presence").

Connections are reported in batches (``Connects``), the way ballots are
(``realtime.batching``): the first socket of a meeting is reported at once, and every socket
that comes up while that report runs goes in the next one, one transaction for all of them
(``presence_connect_many``). A reconnect storm of a thousand sockets is then a handful of
meeting locks instead of a thousand. While a crowd is connecting (``CROWD`` sockets of the
meeting within a second) a report first waits ``GATHER_S`` for more: otherwise each was a
transaction for the two or three sockets that came up while the previous one ran.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import Counter, deque
from dataclasses import dataclass, field

from channels.db import database_sync_to_async

from meetings.commands.presence import presence_connect_many, presence_expire, presence_lose
from meetings.errors import CommandError
from meetings.events import MeetingEventType
from meetings.visibility import PARTICIPANTS
from realtime.hub import Feed, on_event

logger = logging.getLogger(__name__)

Key = tuple[int, int]  # (meeting id, user id)


MAX_BATCH = 500  # connections reported per transaction; more wait for the next one
CROWD = 20  # connections of one meeting within a second that make a crowd ...
GATHER_S = 0.1  # ... whose reports wait this long for more (presence is summed up anyway)


@dataclass
class Connects:
    """Connections waiting to be reported, per meeting, and the task reporting them."""

    waiting: dict[int, list[tuple[int, asyncio.Future]]] = field(default_factory=dict)
    tasks: dict[int, asyncio.Task] = field(default_factory=dict)
    recent: dict[int, deque[float]] = field(default_factory=dict)  # when the last CROWD came

    async def report(self, meeting_id: int, user_id: int) -> None:
        """Returns once this connection is recorded (or the report failed, which is logged:
        presence is bookkeeping, the socket stays)."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.recent.setdefault(meeting_id, deque(maxlen=CROWD)).append(loop.time())
        self.waiting.setdefault(meeting_id, []).append((user_id, future))
        if meeting_id not in self.tasks:
            self.tasks[meeting_id] = loop.create_task(
                self.drain(meeting_id), name=f"klubba-presence-{meeting_id}")
        await future

    async def drain(self, meeting_id: int) -> None:
        try:
            while self.waiting.get(meeting_id):
                if self.crowded(meeting_id):
                    await asyncio.sleep(GATHER_S)
                queue = self.waiting[meeting_id]
                batch, self.waiting[meeting_id] = queue[:MAX_BATCH], queue[MAX_BATCH:]
                try:
                    await _run(presence_connect_many, meeting_id=meeting_id,
                               user_ids=[user_id for user_id, _ in batch])
                except Exception:  # a bug: keep the trace, the sockets stay
                    logger.exception("presence: reporting %s connections to meeting %s failed",
                                     len(batch), meeting_id)
                for _, future in batch:
                    if not future.done():
                        future.set_result(None)
        finally:
            del self.tasks[meeting_id]
            if not self.waiting.get(meeting_id):
                self.waiting.pop(meeting_id, None)

    def crowded(self, meeting_id: int) -> bool:
        """``CROWD`` connections of the meeting came up within the last second."""
        recent = self.recent.get(meeting_id)
        return (recent is not None and len(recent) == recent.maxlen
                and asyncio.get_running_loop().time() - recent[0] < 1.0)


@dataclass
class Tracker:
    sockets: Counter = field(default_factory=Counter)
    timers: dict[Key, asyncio.Task] = field(default_factory=dict)
    openings: set[asyncio.Task] = field(default_factory=set)  # connects logged at open
    connects: Connects = field(default_factory=Connects)


_trackers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Tracker] = (
    weakref.WeakKeyDictionary()
)


def tracker() -> Tracker:
    loop = asyncio.get_running_loop()
    if loop not in _trackers:
        _trackers[loop] = Tracker()
    return _trackers[loop]


async def _run(func, **kwargs):
    try:
        return await database_sync_to_async(func)(**kwargs)
    except CommandError as exc:
        logger.info("presence: %s for meeting %s refused: %s", func.__name__,
                    kwargs.get("meeting_id"), exc.code)
        return None


async def socket_up(meeting_id: int, user) -> None:
    """A participant socket is open; cancel a pending expiry and log the connection."""
    t = tracker()
    key = (meeting_id, user.pk)
    t.sockets[key] += 1
    timer = t.timers.pop(key, None)
    if timer is not None:
        timer.cancel()
    await t.connects.report(meeting_id, user.pk)


async def reconnect_after_open(meeting_id: int, user) -> None:
    """The meeting opened while the user was connected: record the connection now."""
    await tracker().connects.report(meeting_id, user.pk)


def connected_at_open(feed: Feed) -> None:
    """Hub hook for ``meeting.opened``: everyone following it in this process is connected."""
    users = {member.user.pk: member.user for member in feed.members[PARTICIPANTS]}
    loop = asyncio.get_running_loop()
    t = tracker()
    for user in users.values():
        task = loop.create_task(reconnect_after_open(feed.meeting_id, user))
        t.openings.add(task)
        task.add_done_callback(t.openings.discard)


def register() -> None:
    """Hub hooks of the presence tracker (``RealtimeConfig.ready``)."""
    on_event(MeetingEventType.MEETING_OPENED, connected_at_open)


async def socket_down(meeting_id: int, user) -> None:
    """A participant socket closed; when it was the user's last, log the loss and start
    the grace timer."""
    t = tracker()
    key = (meeting_id, user.pk)
    t.sockets[key] -= 1
    if t.sockets[key] > 0:
        return
    del t.sockets[key]
    event = await _run(presence_lose, meeting_id=meeting_id, actor=user)
    if event is None:
        return
    grace = int(event.payload.get("grace_seconds", 0))
    t.timers[key] = asyncio.get_running_loop().create_task(
        _expire_later(t, key, grace), name=f"presence-expire-{meeting_id}-{user.pk}"
    )


async def _expire_later(t: Tracker, key: Key, grace: int) -> None:
    meeting_id, user_id = key
    try:
        await asyncio.sleep(grace)
        if t.sockets.get(key):
            return
        await _run(presence_expire, meeting_id=meeting_id, user_id=user_id)
    except Exception:  # a bug: keep the trace, the process goes on
        logger.exception("presence expiry failed for meeting %s", meeting_id)
    finally:
        if t.timers.get(key) is asyncio.current_task():
            del t.timers[key]


def pending_expiries() -> int:
    """How many grace timers are waiting or running in this loop (tests, diagnostics)."""
    return len(tracker().timers)
