"""Floor (c): process-local fan-out under Daphne, a reference for what realtime could do.

Consumers of a group are kept in a per-process set. Each process listens on ONE layer
channel, which joins the layer group once. A broadcast is one ``group_send`` of pre-rendered
text: one layer message per process, not per socket. The listener hands that text straight to
each socket's ASGI ``send`` (no per-socket dispatch, deepcopy, JSON encoding or DB-thread hop).
It works on the in-memory layer and, across processes, on Redis.
"""

from __future__ import annotations

import asyncio
import json
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.floor_settings")
django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter  # noqa: E402

from bench.floor_ws import PAD  # noqa: E402

GROUP = "floor"
_members: dict[str, set[AsyncWebsocketConsumer]] = {}
_listeners: dict[str, asyncio.Task] = {}


async def _listen(layer, channel: str, group: str) -> None:
    while True:
        message = await layer.receive(channel)
        frame = {"type": "websocket.send", "text": message["text"]}
        for consumer in list(_members.get(group, ())):
            try:
                await consumer.base_send(frame)
            except Exception:  # a socket closing under us: the others still get the frame
                _members.get(group, set()).discard(consumer)


async def _ensure_listener(layer, group: str) -> None:
    if group in _listeners:
        return
    _listeners[group] = None  # type: ignore[assignment]  # claimed; no second listener
    channel = await layer.new_channel()
    await layer.group_add(f"proc.{group}", channel)
    _listeners[group] = asyncio.create_task(_listen(layer, channel, group))


class LocalFanoutConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.accept()
        _members.setdefault(GROUP, set()).add(self)
        await _ensure_listener(self.channel_layer, GROUP)

    async def disconnect(self, code: int) -> None:
        _members.get(GROUP, set()).discard(self)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data and text_data.startswith("fire:"):
            text = json.dumps({"type": "bcast", "round": text_data[5:], "ts": time.monotonic(),
                               "pad": PAD})
            await self.channel_layer.group_send(f"proc.{GROUP}",
                                                {"type": "floor.bcast", "text": text})


application = ProtocolTypeRouter({"websocket": LocalFanoutConsumer.as_asgi()})
