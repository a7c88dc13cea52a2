"""Process-local fan-out: one channel-layer subscription per meeting per process.

The bare Channels pattern (every socket a layer channel in a group) costs one layer message,
one dispatch and one JSON encoding per socket per event; measured, that is 5 to 30 times the
raw websocket floor (docs/performance.md). Here each server process listens on ONE layer
channel. When its first socket for a meeting arrives, that channel joins the meeting's group,
so an event is one layer message per process, already rendered to text per audience
(``realtime.stream``); the hub hands that text to each of its sockets' ASGI ``send``.

A meeting's ``Feed`` also makes the stream safe to follow:

- it takes events strictly in ``seq`` order: a message that arrives early (two processes
  committing at nearly the same time) waits for the missing ones, which are read from the log
  if they do not arrive within ``GAP_WAIT``;
- it keeps the last ``RECENT`` events, so a socket that joins catches up from memory, and one
  snapshot per audience, rebuilt only after a streamed event or when it falls ``SNAPSHOT_LAG``
  summarised events behind, so a thousand sockets joining at once (each connection a
  summarised event) cost one snapshot, not a thousand;
- summarised and skipped events (``realtime.stream``) are folded into one ``progress`` frame
  per audience, sent at most every ``PROGRESS_INTERVAL`` seconds.

There is one hub per event loop (a process has one; tests make one per test).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from meetings.visibility import AUDIENCES
from realtime.fanout import Outbox, group_name, head_of, rendered_events, use_outbox
from realtime.protocol import SNAPSHOT_FULL, dumps, head_snapshot_frame
from realtime.recovery import Recovery
from realtime.stream import merge_summary, progress_frame

logger = logging.getLogger(__name__)

RECENT = 2048  # events kept per meeting for catch-ups from memory
SNAPSHOT_LAG = 256  # a cached snapshot this many events behind the head is rebuilt
GAP_WAIT = 0.25  # seconds an early event waits for the missing ones before the log is read
PROGRESS_INTERVAL = 0.25  # seconds between progress frames of one meeting and audience ...
PROGRESS_INTERVAL_CROWD = 1.0  # ... and when more than CROWD sockets follow it in this process
CROWD = 200
#: Sockets served before the hub lets the loop run anything else. Handing a frame to a
#: thousand sockets takes Daphne a hundred milliseconds or more; without a pause the reply to
#: the command that made the event (and every frame that arrived meanwhile) waited for all of
#: them. Order per socket is unchanged: the hub still sends one event at a time.
YIELD_EVERY = 64


#: Called (in the event loop) when a feed takes in an event of the given type.
EventHook = Callable[["Feed"], None]
_event_hooks: dict[str, list[EventHook]] = {}


def on_event(event_type: str, hook: EventHook) -> None:
    """Run ``hook(feed)`` whenever this process takes in an event of ``event_type``."""
    hooks = _event_hooks.setdefault(event_type, [])
    if hook not in hooks:
        hooks.append(hook)


class Member(Protocol):
    """A socket following a meeting (``realtime.consumers.MeetingSocket``)."""

    audience: str
    sent_seq: int

    async def send_text(self, text: str) -> None: ...

    async def interrupt(self) -> None:
        """Tell the client the stream broke and close (it reconnects and syncs)."""


@dataclass
class Snapshot:
    seq: int
    text: str


@dataclass
class Feed:
    """One meeting as this process follows it."""

    hub: Hub
    meeting_id: int
    head: int  # every event up to here has been taken in, in order
    #: Every event up to here has also been handed to the ready sockets (or summarised):
    #: ``head`` runs ahead of it while an event waits for ``sending``. A progress frame says
    #: "current up to" this, never ``head``, or a socket would skip the waiting event.
    streamed_head: int = field(init=False)
    recent: OrderedDict[int, dict] = field(default_factory=OrderedDict)
    early: dict[int, dict] = field(default_factory=dict)  # arrived before a missing seq
    members: dict[str, set] = field(default_factory=lambda: {a: set() for a in AUDIENCES})
    ready: dict[str, set] = field(default_factory=lambda: {a: set() for a in AUDIENCES})
    snapshots: dict[tuple[str, str], Snapshot] = field(default_factory=dict)
    last_streamed: dict[str, int] = field(default_factory=lambda: {a: 0 for a in AUDIENCES})
    building: dict[tuple[str, str], asyncio.Future] = field(default_factory=dict)
    pending_progress: dict[str, dict | None] = field(
        default_factory=lambda: {a: None for a in AUDIENCES})
    progress_task: asyncio.Task | None = None
    gap_task: asyncio.Task | None = None
    sending: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        self.streamed_head = self.head

    # --- taking events in, in order -------------------------------------------------------

    async def take(self, message: dict[str, Any]) -> None:
        """One event as ``realtime.stream.rendered`` made it."""
        seq = message["seq"]
        if seq <= self.head:
            return  # already taken (a gap fill read it from the log first)
        self.early[seq] = message
        while self.head + 1 in self.early:
            await self.apply(self.early.pop(self.head + 1))
        if self.early and self.gap_task is None:
            self.gap_task = asyncio.get_running_loop().create_task(self.fill_gap())

    async def fill_gap(self) -> None:
        """Events after a missing seq arrived: wait a moment, then read the gap from the log."""
        try:
            await asyncio.sleep(GAP_WAIT)
            while self.early:
                until = min(self.early) - 1
                if until <= self.head:
                    break
                missing = await database_sync_to_async(rendered_events)(
                    self.meeting_id, after=self.head, until=until)
                if not missing:
                    logger.warning("meeting %s: seq %s..%s not in the log; skipping ahead",
                                   self.meeting_id, self.head + 1, until)
                    self.head = until
                for message in missing:
                    await self.take(message)
        except asyncio.CancelledError:
            self.gap_task = None
            raise
        except Exception:  # a bug or a database outage: clients recover with sync
            logger.exception("gap fill failed for meeting %s", self.meeting_id)
        self.gap_task = None
        if self.early and min(self.early) == self.head + 1:
            await self.take(self.early.pop(self.head + 1))

    async def apply(self, message: dict[str, Any]) -> None:
        seq = message["seq"]
        self.head = seq
        self.recent[seq] = message
        while len(self.recent) > RECENT:
            self.recent.popitem(last=False)
        for hook in _event_hooks.get(message.get("event", ""), ()):
            hook(self)
        async with self.sending:
            for audience in AUDIENCES:
                text = message["texts"][audience]
                if text is None:
                    self.note_progress(audience, message["summaries"][audience])
                    continue
                self.last_streamed[audience] = seq
                await self.broadcast(audience, seq, text)
            self.streamed_head = seq

    async def broadcast(self, audience: str, seq: int, text: str, *,
                        level_too: bool = False) -> None:
        """``text`` to every ready socket of ``audience`` not yet at ``seq`` (``level_too``:
        also those exactly at it); the caller holds ``sending``. Pauses every ``YIELD_EVERY``
        sockets so replies and incoming frames are not held up behind the whole crowd."""
        for n, member in enumerate(list(self.ready[audience]), start=1):
            if member.sent_seq < seq or (level_too and member.sent_seq == seq):
                member.sent_seq = seq
                await self.deliver(member, text)
            if n % YIELD_EVERY == 0:
                await asyncio.sleep(0)

    async def deliver(self, member: Member, text: str) -> None:
        try:
            await member.send_text(text)
        except Exception as exc:  # a socket closing under us; the others still get it
            logger.info("meeting %s: dropping a socket that failed a send: %s",
                        self.meeting_id, type(exc).__name__)
            self.discard(member)

    # --- progress frames --------------------------------------------------------------------

    def note_progress(self, audience: str, summary: dict) -> None:
        pending = self.pending_progress[audience]
        if pending is None:
            pending = self.pending_progress[audience] = {}
        merge_summary(pending, summary)
        if self.progress_task is None:
            self.progress_task = asyncio.get_running_loop().create_task(self.send_progress())

    async def send_progress(self) -> None:
        """Counts that moved, to everyone ready, at most every PROGRESS_INTERVAL: in a big
        meeting once a second (each round is a frame to every socket, and a vote storm is
        exactly when the server has better things to do)."""
        crowd = sum(len(ready) for ready in self.ready.values()) > CROWD
        try:
            await asyncio.sleep(PROGRESS_INTERVAL_CROWD if crowd else PROGRESS_INTERVAL)
        finally:
            self.progress_task = None
        async with self.sending:
            for audience in AUDIENCES:
                summary = self.pending_progress[audience]
                if summary is None:
                    continue
                self.pending_progress[audience] = None
                # Not self.head: see streamed_head. A socket already at this seq (the last
                # event was streamed to it) still needs the counts; one past it (it caught up
                # from a newer snapshot) has them.
                seq = self.streamed_head
                await self.broadcast(audience, seq, progress_frame(self.meeting_id, seq, summary),
                                     level_too=True)

    # --- joining ------------------------------------------------------------------------------

    async def snapshot(self, audience: str, build: Callable[[], Awaitable[Snapshot]],
                       view: str = SNAPSHOT_FULL) -> Snapshot:
        """A snapshot for ``audience`` in ``view`` (full or compact): the cached one while only
        summarised events followed it (so a joiner gets at most a progress frame after it,
        never old events that would look new), else one new build shared by everyone who asks
        while it is being built."""
        key = (audience, view)
        cached = self.snapshots.get(key)
        if (cached is not None and cached.seq >= self.last_streamed[audience]
                and self.head - cached.seq <= SNAPSHOT_LAG):
            return cached
        if key in self.building:
            return await asyncio.shield(self.building[key])
        future = asyncio.get_running_loop().create_future()
        self.building[key] = future
        try:
            snapshot = await build()
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: the builder re-raises it below
            raise
        else:
            known = self.snapshots.get(key)
            if known is None or snapshot.seq >= known.seq:
                self.snapshots[key] = snapshot
            future.set_result(snapshot)
            return snapshot
        finally:
            del self.building[key]

    def head_snapshot(self, audience: str) -> Snapshot:
        """The stream's position only (``?snapshot=head``): no state, so no build and no
        database; the joiner is current at the head this feed has taken in."""
        return Snapshot(seq=self.head, text=dumps(head_snapshot_frame(self.meeting_id,
                                                                      self.head, audience)))

    def frames_after(self, audience: str, after: int,
                     until: int) -> tuple[list[str], dict | None]:
        """From memory: the frames ``audience`` gets for ``after < seq <= until``, and the
        summary of the events it does not get one by one (None if there were none).
        Raises LookupError if memory does not reach back that far."""
        if after >= until:
            return [], None
        if not self.recent or next(iter(self.recent)) > after + 1:
            raise LookupError(after)
        return collect(audience, (self.recent[seq] for seq in range(after + 1, until + 1)))

    async def catch_up(self, member: Member) -> None:
        """Send what ``member`` missed since its snapshot, then let it follow the stream live.

        The member becomes ready only when it is level with the head, with no await in
        between, so live delivery starts exactly where the catch-up stopped."""
        while member.sent_seq < self.head:
            target = self.head
            try:
                texts, summary = self.frames_after(member.audience, member.sent_seq, target)
            except LookupError:
                texts, summary = await self.frames_from_log(member.audience,
                                                            member.sent_seq, target)
            for text in texts:
                await member.send_text(text)
            member.sent_seq = target
            if summary is not None:
                await member.send_text(progress_frame(self.meeting_id, target, summary))
        self.ready[member.audience].add(member)

    async def messages(self, after: int, until: int) -> list[dict[str, Any]]:
        """The rendered events ``after < seq <= until``: from memory when it reaches back
        that far and up to ``until``, else from the log."""
        if after >= until:
            return []
        if (self.recent and next(iter(self.recent)) <= after + 1
                and next(reversed(self.recent)) >= until):
            return [self.recent[seq] for seq in range(after + 1, until + 1)]
        return await database_sync_to_async(rendered_events)(
            self.meeting_id, after=after, until=until)

    async def frames_from_log(self, audience: str, after: int,
                              until: int) -> tuple[list[str], dict | None]:
        messages = await database_sync_to_async(rendered_events)(
            self.meeting_id, after=after, until=until)
        return collect(audience, messages)

    def discard(self, member: Member) -> None:
        self.members[member.audience].discard(member)
        self.ready[member.audience].discard(member)

    @property
    def empty(self) -> bool:
        return not any(self.members.values())

    def stop(self) -> None:
        for task in (self.progress_task, self.gap_task):
            if task is not None:
                task.cancel()


def collect(audience: str, messages: Iterable[dict]) -> tuple[list[str], dict | None]:
    """The frame texts ``audience`` gets from ``messages``, and the summary of the others
    (None if every one was streamed)."""
    texts: list[str] = []
    summary: dict | None = None
    for message in messages:
        text = message["texts"][audience]
        if text is None:
            summary = {} if summary is None else summary
            merge_summary(summary, message["summaries"][audience])
        else:
            texts.append(text)
    return texts, summary


class Hub:
    """This process's feeds and its one layer channel."""

    def __init__(self, layer: Any) -> None:
        self.layer = layer
        self.feeds: dict[int, Feed] = {}
        self.channel: str | None = None
        self.listener: asyncio.Task | None = None
        self.recovery = Recovery(self)
        self.watcher: asyncio.Task | None = None
        self.lock = asyncio.Lock()

    async def join(self, meeting_id: int, member: Member) -> Feed:
        """Follow ``meeting_id`` (subscribing this process first if needed); the member is
        not sent anything until it calls ``feed.catch_up``."""
        async with self.lock:
            feed = self.feeds.get(meeting_id)
            if feed is None:
                if self.channel is None:
                    self.channel = await self.layer.new_channel()
                    loop = asyncio.get_running_loop()
                    self.listener = loop.create_task(self.listen(), name="klubba-hub")
                    self.watcher = loop.create_task(self.recovery.run(),
                                                    name="klubba-hub-recovery")
                # Subscribe before reading the head: nothing committed after it is missed.
                # A layer that is down does not keep anyone out: recovery subscribes later
                # and reads from the log meanwhile.
                try:
                    await self.layer.group_add(group_name(meeting_id), self.channel)
                except Exception as exc:
                    logger.warning("hub: joining meeting %s failed: %s", meeting_id,
                                   type(exc).__name__)
                    self.recovery.alarm()
                head = await database_sync_to_async(head_of)(meeting_id)
                feed = self.feeds[meeting_id] = Feed(hub=self, meeting_id=meeting_id,
                                                     head=head)
            feed.members[member.audience].add(member)
            return feed

    async def leave(self, meeting_id: int, member: Member) -> None:
        async with self.lock:
            feed = self.feeds.get(meeting_id)
            if feed is None:
                return
            feed.discard(member)
            if not feed.empty:
                return
            feed.stop()
            del self.feeds[meeting_id]
            try:
                await self.layer.group_discard(group_name(meeting_id), self.channel)
            except Exception as exc:  # the group expires on its own
                logger.warning("hub: leaving meeting %s failed: %s", meeting_id,
                               type(exc).__name__)
            if not self.feeds and self.listener is not None:
                self.listener.cancel()
                self.listener = None
                if self.watcher is not None:
                    self.watcher.cancel()
                    self.watcher = None
                self.channel = None

    async def listen(self) -> None:
        channel = self.channel
        while True:
            try:
                message = await self.layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # e.g. Redis restarting: groups are gone with it
                logger.info("hub: receiving from the channel layer failed: %s",
                            type(exc).__name__)
                self.recovery.alarm()
                await asyncio.sleep(0.5)
                continue
            feed = self.feeds.get(message.get("meeting"))
            if feed is None:
                continue
            for entry in message.get("events", ()):
                try:
                    await feed.take(entry)
                except Exception:  # a bug: keep the trace, keep listening
                    logger.exception("hub: meeting %s seq %s failed", feed.meeting_id,
                                     entry.get("seq"))


    async def interrupt(self) -> None:
        """Close every socket of this process (``realtime.recovery`` gave up)."""
        members = {m for feed in self.feeds.values() for ms in feed.members.values()
                   for m in ms}
        for member in members:
            try:
                await member.interrupt()
            except Exception as exc:  # closing anyway
                logger.info("hub: interrupting a socket failed: %s", type(exc).__name__)


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def hub() -> Hub:
    """This event loop's hub, on the current channel layer."""
    loop = asyncio.get_running_loop()
    layer = get_channel_layer()
    current = _hubs.get(loop)
    if current is None or current.layer is not layer:
        current = _hubs[loop] = Hub(layer)
        use_outbox(Outbox(loop, layer))
    return current
