"""Group commit for commands that arrive in storms (``ballot.cast``).

When a thousand members vote at once, running each ballot as its own transaction means a
thousand lock/commit round trips, one after another, on the process's one database thread.
Instead, calls of a batchable command for one meeting queue here: the first runs at once, and
everything that arrived while it ran goes in the next batch, one transaction for all of them
(``WireCommand.batch``). Nobody waits for a timer; a lone ballot is as fast as before.

Every caller still gets its own outcome: a refusal for one ballot refuses only that one. If a
batch fails whole (a bug, or a unique constraint firing), its calls are retried one by one,
so each gets the answer it would have had alone.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from channels.db import database_sync_to_async

from meetings.errors import CommandError
from realtime.commands.registry import Call, WireCommand

logger = logging.getLogger(__name__)

MAX_BATCH = 500  # calls per transaction; more wait for the next one


@dataclass
class _Queue:
    waiting: deque[tuple[Call, asyncio.Future]] = field(default_factory=deque)
    task: asyncio.Task | None = None


class Batcher:
    """This event loop's queues, one per (command, meeting)."""

    def __init__(self) -> None:
        self.queues: dict[tuple[str, int], _Queue] = {}

    async def run(self, command: WireCommand, *, meeting_id: int, call: Call) -> dict[str, Any]:
        """The reply result of ``call``; raises its CommandError if it was refused."""
        loop = asyncio.get_running_loop()
        queue = self.queues.setdefault((command.name, meeting_id), _Queue())
        future = loop.create_future()
        queue.waiting.append((call, future))
        if queue.task is None:
            queue.task = loop.create_task(self.drain(command, meeting_id, queue),
                                          name=f"klubba-batch-{command.name}-{meeting_id}")
        outcome = await future
        if isinstance(outcome, CommandError):
            raise outcome
        return command.to_result(outcome)

    async def drain(self, command: WireCommand, meeting_id: int, queue: _Queue) -> None:
        try:
            while queue.waiting:
                batch = [queue.waiting.popleft()
                         for _ in range(min(MAX_BATCH, len(queue.waiting)))]
                outcomes = await self.outcomes(command, meeting_id, [c for c, _ in batch])
                for (_, future), outcome in zip(batch, outcomes, strict=True):
                    if future.done():
                        continue  # the caller went away (socket closed)
                    if isinstance(outcome, BaseException) and not isinstance(
                            outcome, CommandError):
                        future.set_exception(outcome)
                    else:
                        future.set_result(outcome)
        finally:
            queue.task = None
            if not queue.waiting:
                self.queues.pop((command.name, meeting_id), None)

    async def outcomes(self, command: WireCommand, meeting_id: int,
                       calls: list[Call]) -> list[Any]:
        try:
            return await database_sync_to_async(command.batch)(meeting_id=meeting_id,
                                                               calls=calls)
        except Exception:
            if len(calls) == 1:
                return [_failure(command, meeting_id)]
            logger.warning("batch of %s %s for meeting %s failed whole; retrying one by one",
                           len(calls), command.name, meeting_id, exc_info=True)
        results = []
        for call in calls:
            try:
                results.extend(await database_sync_to_async(command.batch)(
                    meeting_id=meeting_id, calls=[call]))
            except Exception:
                results.append(_failure(command, meeting_id))
        return results


def _failure(command: WireCommand, meeting_id: int) -> Exception:
    logger.exception("command %s failed on meeting %s", command.name, meeting_id)
    return RuntimeError(f"{command.name} failed")


_batchers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Batcher] = (
    weakref.WeakKeyDictionary())


def batcher() -> Batcher:
    loop = asyncio.get_running_loop()
    if loop not in _batchers:
        _batchers[loop] = Batcher()
    return _batchers[loop]
