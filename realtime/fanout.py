"""Fan-out: every committed event is rendered once per audience and sent to that audience's
group with one ``group_send``, never once per connection.

The channel layer is a doorbell, not a mailbox: a lost message is recovered from the log (the
consumer fills gaps, clients ``sync``). So a failing ``group_send`` is logged and never breaks
the command that already committed.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from meetings.log import event_committed
from meetings.models import MeetingEvent
from meetings.visibility import AUDIENCES, confidential_item_ids, visible_event
from realtime.protocol import VERSION

logger = logging.getLogger(__name__)

MESSAGE_TYPE = "meeting.event"  # handled by the consumers' ``meeting_event``
SEND_TIMEOUT = 10  # seconds; only for the thread fallback below


def group_name(meeting_id: int, audience: str) -> str:
    return f"meeting.{meeting_id}.{audience}"


def event_frame(event: MeetingEvent, audience: str, confidential: Iterable[int]) -> dict[str, Any]:
    """The event frame one audience gets; the ``seq`` is always kept so nobody sees a gap."""
    visible = visible_event(event.type, event.payload, audience, confidential)
    return {
        "v": VERSION,
        "type": "event",
        "meeting": event.meeting_id,
        "seq": event.seq,
        "event": visible.type,
        "at": event.at.isoformat() if visible.type != "redacted" else None,
        "data": visible.data,
    }


def publish(sender: Any, event: MeetingEvent, **kwargs: Any) -> None:
    """Receiver of ``event_committed``; runs in the thread that committed (sync code)."""
    layer = get_channel_layer()
    if layer is None:
        return
    confidential = confidential_item_ids(event.meeting_id)
    for audience in AUDIENCES:
        message = {
            "type": MESSAGE_TYPE,
            "seq": event.seq,
            "frame": event_frame(event, audience, confidential),
        }
        try:
            _group_send(layer, group_name(event.meeting_id, audience), message)
        except Exception as exc:  # the log has it; clients recover with sync
            logger.warning(
                "fan-out of meeting %s seq %s to %s failed: %s",
                event.meeting_id, event.seq, audience, type(exc).__name__,
            )


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
    event_committed.connect(publish, dispatch_uid="realtime.fanout.publish")
