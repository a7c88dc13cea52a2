"""Keeping a process's feeds live across channel-layer faults (issue 13).

A meeting's group lives in the channel layer (Redis). When Redis restarts, every group is
gone, and so is every message queued for this process's channel; ``receive`` starts working
again, but nothing is ever delivered to it. So the process's hub re-subscribes its feeds and
reads what it missed from the log:

- at once after any layer error (``Hub.listen`` calls ``Recovery.alarm``), and every
  ``RESUBSCRIBE_INTERVAL`` seconds anyway (a restart may happen between two ``receive``
  calls without either failing; ``group_add`` also renews the group's expiry);
- while the layer stays down, it reads the log every ``OUTAGE_POLL`` seconds, so clients
  keep getting every event, a little later than usual;
- if even the log cannot be read for ``RECOVERY_GRACE`` seconds (the database is down too),
  it closes its sockets with ``stream_interrupted`` (close 4503): clients reconnect with
  backoff, and a new connection starts with a snapshot.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

from channels.db import database_sync_to_async
from django.conf import settings

from realtime.fanout import group_name, head_of, rendered_events

if TYPE_CHECKING:
    from realtime.hub import Hub

logger = logging.getLogger(__name__)

DEFAULTS = {
    "RESUBSCRIBE_INTERVAL": 10.0,  # seconds between routine re-subscriptions and log checks
    "OUTAGE_POLL": 1.0,  # seconds between log reads while the layer is failing
    "RECOVERY_GRACE": 15.0,  # seconds the log may stay unreadable before sockets are closed
}


def setting(name: str) -> float:
    value = settings.KLUBBA.get(name)
    return DEFAULTS[name] if value is None else float(str(value))


class Recovery:
    """The watcher of one hub: re-subscribes, fills from the log, and gives up loudly."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.wake = asyncio.Event()
        self.layer_ok = True
        self.log_failing_since: float | None = None
        self.rounds = 0  # completed recoveries (tests, diagnostics)

    def alarm(self) -> None:
        """The layer failed: recover as soon as possible."""
        if self.layer_ok:
            logger.warning("hub: the channel layer failed; re-subscribing and reading the log")
        self.layer_ok = False
        self.wake.set()

    async def run(self) -> None:
        while True:
            delay = setting("RESUBSCRIBE_INTERVAL" if self.layer_ok else "OUTAGE_POLL")
            try:
                await asyncio.wait_for(self.wake.wait(), timeout=delay)
            except TimeoutError:
                pass
            self.wake.clear()
            try:
                await self.round()
            except asyncio.CancelledError:
                raise
            except Exception:  # a bug: keep the trace, keep watching
                logger.exception("hub: recovery round failed")

    async def round(self) -> None:
        subscribed = await self.resubscribe()
        filled = await self.fill()
        if subscribed and not self.layer_ok:
            logger.warning("hub: the channel layer is back; feeds re-subscribed")
        self.layer_ok = subscribed
        if filled:
            self.log_failing_since = None
            self.rounds += 1
            return
        now = time.monotonic()
        if self.log_failing_since is None:
            self.log_failing_since = now
        elif now - self.log_failing_since >= setting("RECOVERY_GRACE"):
            logger.error("hub: cannot read the log; closing this process's sockets")
            self.log_failing_since = None
            await self.hub.interrupt()

    async def resubscribe(self) -> bool:
        """``group_add`` for every feed (idempotent); False if the layer refused."""
        hub = self.hub
        if hub.channel is None:
            return True
        try:
            for meeting_id in list(hub.feeds):
                await hub.layer.group_add(group_name(meeting_id), hub.channel)
        except Exception as exc:
            logger.info("hub: re-subscribing failed: %s", type(exc).__name__)
            return False
        return True

    async def fill(self) -> bool:
        """Take every event the log has beyond each feed's head; False if it cannot."""
        try:
            for feed in list(self.hub.feeds.values()):
                head = await database_sync_to_async(head_of)(feed.meeting_id)
                if head <= feed.head:
                    continue
                missing = await database_sync_to_async(rendered_events)(
                    feed.meeting_id, after=feed.head, until=head)
                for message in missing:
                    await feed.take(message)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            logger.warning("hub: reading the log failed: %s", type(exc).__name__)
            return False
        return True
