"""Fan-out: every committed event is rendered once per audience (``realtime.stream``) and sent
with ONE ``group_send`` to the meeting's group, whose members are server processes, not sockets:
each process's hub (``realtime.hub``) hands the finished text to its own sockets.

The channel layer is a doorbell, not a mailbox: a lost message is recovered from the log (the
hub fills gaps, clients ``sync``). So a failing ``group_send`` is logged and never breaks the
command that already committed.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import deque
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from meetings.log import events_committed
from meetings.models import Meeting, MeetingEvent
from meetings.visibility import confidential_item_ids
from realtime.stream import layer_message, rendered

logger = logging.getLogger(__name__)

SEND_TIMEOUT = 10  # seconds; only for the thread fallback below


def group_name(meeting_id: int) -> str:
    """The layer group of a meeting: one member per server process that has its sockets."""
    return f"meeting.{meeting_id}"


def head_of(meeting_id: int) -> int:
    """The meeting's last logged seq (0 for an empty log or an unknown meeting)."""
    return Meeting.objects.filter(pk=meeting_id).values_list("last_seq", flat=True).first() or 0


def rendered_events(meeting_id: int, *, after: int, until: int) -> list[dict[str, Any]]:
    """The logged events ``after < seq <= until``, rendered as the fan-out renders them (gap
    fills and catch-ups read the log, never the layer)."""
    confidential = confidential_item_ids(meeting_id)
    events = MeetingEvent.objects.filter(
        meeting_id=meeting_id, seq__gt=after, seq__lte=until).order_by("seq")
    return [rendered(event, confidential) for event in events]


class Outbox:
    """Sends layer messages from a server's event loop, in the order they were handed in.

    A command commits in the database thread; waiting there for ``group_send`` would hold the
    process's one database thread until the (busy) event loop got round to it, for every
    command. Handing the message over and returning keeps ballots flowing while the loop
    sends."""

    def __init__(self, loop: asyncio.AbstractEventLoop, layer: Any) -> None:
        self.loop = loop
        self.layer = layer
        self.queue: deque[tuple[str, dict[str, Any]]] = deque()
        self.task: asyncio.Task | None = None

    def usable(self, layer: Any) -> bool:
        return self.layer is layer and self.loop.is_running() and not self.loop.is_closed()

    def put(self, group: str, message: dict[str, Any]) -> None:
        """Any thread: queue the message; the loop sends it."""
        self.loop.call_soon_threadsafe(self._queue, group, message)

    def _queue(self, group: str, message: dict[str, Any]) -> None:
        self.queue.append((group, message))
        if self.task is None:
            self.task = self.loop.create_task(self._drain(), name="klubba-outbox")

    async def _drain(self) -> None:
        try:
            while self.queue:
                group, message = self.queue.popleft()
                try:
                    await self.layer.group_send(group, message)
                except Exception as exc:  # the log has it; the hubs fill the gap from there
                    logger.warning("fan-out to %s failed: %s", group, type(exc).__name__)
        finally:
            self.task = None


_outbox: Outbox | None = None


def use_outbox(outbox: Outbox) -> None:
    """A server's event loop is running (``realtime.hub``): publish through it."""
    global _outbox
    _outbox = outbox


def publish(sender: Any, events: list[MeetingEvent], **kwargs: Any) -> None:
    """Receiver of ``events_committed``; runs in the thread that committed (sync code). One
    layer message carries every event of the transaction, rendered once per audience."""
    layer = get_channel_layer()
    if layer is None or not events:
        return
    meeting_id = events[0].meeting_id
    confidential = confidential_item_ids(meeting_id)
    message = layer_message(meeting_id, [rendered(event, confidential) for event in events])
    outbox = _outbox
    if outbox is not None and outbox.usable(layer):
        outbox.put(group_name(meeting_id), message)
        return
    try:  # no server loop in this process (a management command, a sync test)
        _group_send(layer, group_name(meeting_id), message)
    except Exception as exc:  # the log has it; the hubs fill the gap from there
        logger.warning("fan-out of meeting %s seq %s..%s failed: %s", meeting_id,
                       events[0].seq, events[-1].seq, type(exc).__name__)


def send_to_group(group: str, message: dict[str, Any]) -> None:
    """Any other layer message from sync code (``realtime.revocation``): through the server
    loop's outbox when there is one, else directly; a failure is logged, never raised."""
    layer = get_channel_layer()
    outbox = _outbox
    if outbox is not None and outbox.usable(layer):
        outbox.put(group, message)
        return
    try:
        _group_send(layer, group, message)
    except Exception as exc:
        logger.warning("layer message to %s failed: %s", group, type(exc).__name__)


def _group_send(layer: Any, group: str, message: dict[str, Any]) -> None:
    """``group_send`` from sync code. Sync code running inside an event loop's thread (e.g. a
    test driving Playwright's sync API) cannot use ``async_to_sync`` there; it sends from a
    short-lived thread instead."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        async_to_sync(layer.group_send)(group, message)
        return
    failure: list[BaseException] = []

    def send() -> None:
        try:
            async_to_sync(layer.group_send)(group, message)
        except BaseException as exc:  # reported in the caller's thread
            failure.append(exc)

    worker = threading.Thread(target=send, name="klubba-fanout", daemon=True)
    worker.start()
    worker.join(timeout=SEND_TIMEOUT)
    if worker.is_alive():
        raise TimeoutError(f"group_send to {group} did not finish in {SEND_TIMEOUT}s")
    if failure:
        raise failure[0]


def connect() -> None:
    events_committed.connect(publish, dispatch_uid="realtime.fanout.publish")
