"""A progress frame never claims a seq the sockets have not been sent.

A progress broadcast to a big crowd pauses between slices (``YIELD_EVERY``); an event that
arrives meanwhile is taken in (the feed's head moves) but waits for ``sending``. Seen at
4,000 clients in ``make bench``: the progress frame for the second audience was stamped with
that new head, every public socket counted itself current, and the waiting event
(``vote.closed``) was then skipped for all of them. A browser would have shown the public an
open vote until the next reload."""

from __future__ import annotations

import asyncio

import pytest

from meetings.visibility import AUDIENCES, PARTICIPANTS, PUBLIC
from realtime import hub as hub_module
from realtime.hub import YIELD_EVERY, Feed


class Socket:
    def __init__(self, audience: str) -> None:
        self.audience = audience
        self.sent_seq = 1
        self.texts: list[str] = []

    async def send_text(self, text: str) -> None:
        self.texts.append(text)

    async def interrupt(self) -> None:
        raise AssertionError("not interrupted")


@pytest.fixture(autouse=True)
def _no_database_hooks(monkeypatch):
    """The feed's event hooks (presence, snapshots) are not what this is about."""
    monkeypatch.setattr(hub_module, "_event_hooks", {})


async def test_an_event_arriving_during_a_progress_broadcast_reaches_every_socket(monkeypatch):
    monkeypatch.setattr(hub_module, "PROGRESS_INTERVAL", 0)
    monkeypatch.setattr(hub_module, "PROGRESS_INTERVAL_CROWD", 0)
    feed = Feed(hub=None, meeting_id=7, head=1)  # type: ignore[arg-type]
    crowd = {audience: [Socket(audience) for _ in range(3 * YIELD_EVERY)]
             for audience in AUDIENCES}
    for audience, sockets in crowd.items():
        feed.ready[audience].update(sockets)

    # A summarised event (a ballot) leaves a progress frame pending for both audiences.
    ballot = {"seq": 2, "event": "vote.cast",
              "texts": {a: None for a in AUDIENCES},
              "summaries": {a: {"votes": {"1": {"vote_id": 1, "cast": 1}}} for a in AUDIENCES}}
    await feed.take(ballot)
    progress = feed.progress_task
    assert progress is not None
    while not any(s.texts for s in crowd[PARTICIPANTS]):  # the progress broadcast has begun
        await asyncio.sleep(0)

    closed = {"seq": 3, "event": "vote.closed",
              "texts": {a: f"closed for {a}" for a in AUDIENCES},
              "summaries": {a: None for a in AUDIENCES}}
    await asyncio.gather(progress, feed.take(closed))

    for audience, sockets in crowd.items():
        for socket in sockets:
            assert f"closed for {audience}" in socket.texts, audience
            assert socket.sent_seq == 3
    public_progress = [t for t in crowd[PUBLIC][-1].texts if '"progress"' in t]
    assert public_progress and all('"seq":2' in t for t in public_progress)


async def test_counts_still_reach_sockets_that_an_event_brought_level(monkeypatch):
    """A ballot, then an event streamed to the participants before the progress frame goes
    out: the participants are at that event's seq and still get the ballot's count."""
    monkeypatch.setattr(hub_module, "PROGRESS_INTERVAL", 0)
    feed = Feed(hub=None, meeting_id=7, head=1)  # type: ignore[arg-type]
    member = Socket(PARTICIPANTS)
    feed.ready[PARTICIPANTS].add(member)
    count = {"votes": {"1": {"vote_id": 1, "cast": 1}}}
    await feed.take({"seq": 2, "event": "vote.cast", "texts": {a: None for a in AUDIENCES},
                     "summaries": {a: count for a in AUDIENCES}})
    await feed.take({"seq": 3, "event": "speaker.requested",
                     "texts": {PARTICIPANTS: "speaker", PUBLIC: None},
                     "summaries": {PARTICIPANTS: None, PUBLIC: {}}})
    assert feed.progress_task is not None
    await feed.progress_task
    assert member.texts[0] == "speaker"
    assert member.texts[1:] == ['{"v":1,"type":"progress","meeting":7,"seq":3,'
                                '"data":{"votes":[{"vote_id":1,"cast":1}]}}']
