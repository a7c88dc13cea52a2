"""The page state's shared part is built once per log head and shared by every reader in the
process (``web.state.audience_state``); each reader's own part (``me``, their ballot, the
room's agenda keys) goes on a copy and never into what the next reader gets."""

from __future__ import annotations

from meetings.roles import roles_in
from meetings.visibility import PARTICIPANTS
from tests.support.voting import start_item
from voting.commands import ballot_cast, vote_open
from web.room_state import room_state
from web.state import audience_state


def test_one_members_part_never_reaches_another(committee):
    c = committee
    live = start_item(c)
    opened = vote_open(meeting_id=live.meeting_id, actor=c.secretary, item_id=live.item.pk,
                       main_proposal_id=live.prepared().pk)
    ballot_cast(meeting_id=live.meeting_id, actor=c.members[1],
                vote_id=opened.payload["vote_id"], choice="ja")
    meeting = live.item.meeting
    voted = room_state(meeting, c.members[1], roles_in(meeting, c.members[1]))
    other = room_state(meeting, c.members[2], roles_in(meeting, c.members[2]))
    assert voted["me"]["user_id"] == c.members[1].pk
    assert other["me"]["user_id"] == c.members[2].pk
    assert voted["panel"]["vote"]["me"] == {"eligible": True, "voted": True, "choice": "ja"}
    assert other["panel"]["vote"]["me"]["voted"] is False
    shared = audience_state(meeting, PARTICIPANTS)
    assert audience_state(meeting, PARTICIPANTS) is shared  # remembered, not rebuilt
    assert "me" not in shared and "me" not in shared["panel"]["vote"]
    assert all("before" not in item for item in shared["agenda"])
    assert voted["seats"] is shared["seats"]  # the big lists are shared, not copied
