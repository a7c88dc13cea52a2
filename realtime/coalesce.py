"""Group the handshakes' database work the way ballots are grouped (``realtime.batching``).

Every socket's handshake needs a few database reads (its API token, its standing in the
meeting's body, the body's second-factor rule). Each read is a round trip on the process's
one database thread; when a thousand clients reconnect at once (a server process restarted)
those round trips queue one after another. A ``Coalescer`` runs the first call at once and
puts every call that arrives while it runs into the next one: one batch, a few queries for
all of them. Nobody waits for a timer.

The batch function runs in the database thread and returns one result per item, in order;
if it raises, every caller of that batch gets the exception.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Generic, TypeVar

from channels.db import database_sync_to_async

T = TypeVar("T")
R = TypeVar("R")

MAX_BATCH = 500


class Coalescer(Generic[T, R]):
    """``await coalescer(key, item)``: ``batch(key, items)`` for the items queued per key."""

    def __init__(self, batch: Callable[[Any, Sequence[T]], Sequence[R]], name: str) -> None:
        self.batch = batch
        self.name = name
        self._loops: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _State] = (
            weakref.WeakKeyDictionary())

    async def __call__(self, key: Hashable, item: T) -> R:
        loop = asyncio.get_running_loop()
        state = self._loops.get(loop)
        if state is None:
            state = self._loops[loop] = _State()
        future: asyncio.Future = loop.create_future()
        state.waiting.setdefault(key, []).append((item, future))
        if key not in state.tasks:
            state.tasks[key] = loop.create_task(self._drain(state, key),
                                                name=f"klubba-{self.name}")
        return await future

    async def _drain(self, state: _State, key: Hashable) -> None:
        try:
            while state.waiting.get(key):
                queue = state.waiting[key]
                taken, state.waiting[key] = queue[:MAX_BATCH], queue[MAX_BATCH:]
                try:
                    results = await database_sync_to_async(self.batch)(
                        key, [item for item, _ in taken])
                except Exception as exc:
                    for _, future in taken:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                for (_, future), result in zip(taken, results, strict=True):
                    if not future.done():
                        future.set_result(result)
        finally:
            del state.tasks[key]
            if not state.waiting.get(key):
                state.waiting.pop(key, None)


class _State:
    def __init__(self) -> None:
        self.waiting: dict[Hashable, list[tuple[Any, asyncio.Future]]] = {}
        self.tasks: dict[Hashable, asyncio.Task] = {}
