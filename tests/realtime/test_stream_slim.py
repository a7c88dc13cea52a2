"""What the wire carries of ``vote.opened``: participants the eligible user ids, the public the
count. The logged rows (``voting.events.EligibleRow``) and the objects of events logged before
them are read alike, and the public rule still runs on the slimmed payload."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from meetings.models import MeetingEvent
from meetings.visibility import PARTICIPANTS, PUBLIC
from realtime.stream import event_frame

ROWS = [[12, 1, 1, False, "Anna A"], [31, 2, 1, True, "Erik E"]]
OBJECTS = [{"user_id": 12, "seat": 1, "weight": 1, "substitute": False, "name": "Anna A"},
           {"user_id": 31, "seat": 2, "weight": 1, "substitute": True, "name": "Erik E"}]


def opened(eligible: list, **extra) -> MeetingEvent:
    return MeetingEvent(meeting_id=1, seq=9, type="vote.opened", at=datetime.now(UTC), payload={
        "item_id": 4, "vote_id": 2, "eligible": eligible, "eligible_count": 2, **extra})


@pytest.mark.parametrize("eligible", [ROWS, OBJECTS], ids=["rows", "objects before 2026-12"])
def test_participants_get_the_user_ids_and_the_public_the_count(eligible):
    mine = event_frame(opened(eligible), PARTICIPANTS, confidential=())
    theirs = event_frame(opened(eligible), PUBLIC, confidential=())
    assert mine is not None and theirs is not None
    assert mine["data"]["eligible_user_ids"] == [12, 31] and "eligible" not in mine["data"]
    assert "eligible" not in theirs["data"] and "eligible_user_ids" not in theirs["data"]
    assert theirs["data"]["eligible_count"] == 2


def test_the_public_rule_runs_after_the_slimming():
    confidential = event_frame(opened(ROWS), PUBLIC, confidential={4})
    assert confidential is None  # a vote on a closed item is not streamed to the public
    stripped = event_frame(opened(ROWS, remote=True), PUBLIC, confidential=())
    assert stripped is not None and "remote" not in stripped["data"]  # connection details
