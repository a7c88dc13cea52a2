"""A broadcast to a big crowd does not hold the process's event loop: between slices of
``YIELD_EVERY`` sockets the loop runs whatever else is ready (the reply to the command that
made the event, frames coming in), and every socket still gets the frame once."""

from __future__ import annotations

import asyncio

from meetings.visibility import PUBLIC
from realtime.hub import YIELD_EVERY, Feed

SENT: list[object] = []


class Socket:
    audience = PUBLIC

    def __init__(self, number: int) -> None:
        self.number = number
        self.sent_seq = 0

    async def send_text(self, text: str) -> None:
        SENT.append(self.number)

    async def interrupt(self) -> None:
        raise AssertionError("not interrupted")


async def test_other_work_runs_between_slices_of_a_broadcast():
    SENT.clear()
    feed = Feed(hub=None, meeting_id=1, head=1)  # type: ignore[arg-type]
    crowd = [Socket(n) for n in range(3 * YIELD_EVERY)]
    feed.ready[PUBLIC].update(crowd)

    async def reply() -> None:
        SENT.append("reply")

    async with feed.sending:
        waiting = asyncio.ensure_future(reply())  # ready before the broadcast starts
        await feed.broadcast(PUBLIC, 1, "frame")
        await waiting
    assert SENT.index("reply") == YIELD_EVERY  # after one slice, not after the whole crowd
    assert sorted(n for n in SENT if n != "reply") == list(range(3 * YIELD_EVERY))
    assert all(s.sent_seq == 1 for s in crowd)
    await feed.broadcast(PUBLIC, 1, "frame")  # a socket already at the seq is not sent again
    assert len(SENT) == 3 * YIELD_EVERY + 1
