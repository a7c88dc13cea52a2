"""Floor (b): the bare Channels group pattern, served by Daphne.

Each consumer joins one group on connect; a text frame ``fire:<round>`` makes one
``group_send`` to the group, and every consumer's handler sends the frame on. This is the
textbook Channels fan-out, with no Klubba code, to show what the pattern itself costs.
"""

from __future__ import annotations

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


class FloorConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(GROUP, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data and text_data.startswith("fire:"):
            text = json.dumps({"type": "bcast", "round": text_data[5:], "ts": time.monotonic(),
                               "pad": PAD})
            await self.channel_layer.group_send(GROUP, {"type": "floor.bcast", "text": text})

    async def floor_bcast(self, event: dict) -> None:
        await self.send(text_data=event["text"])


application = ProtocolTypeRouter({"websocket": FloorConsumer.as_asgi()})
