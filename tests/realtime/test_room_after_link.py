"""The member's own room after a dropped link (issue 12, "Presence and votes"): it says the
link dropped, that they are back, and that the secretary must restore them; not "not checked
in"."""

from __future__ import annotations

import pytest
from django.utils import translation

from meetings.commands import attendance_check_in
from meetings.commands.presence import presence_connect, presence_expire, presence_lose
from meetings.models import Meeting
from meetings.roles import roles_in
from meetings.visibility import PARTICIPANTS
from tests.support.committee import make_committee
from tests.support.voting import start_item
from web.state import meeting_state
from web.texts import ui_text

pytestmark = pytest.mark.django_db


def _me(meeting_id: int, user) -> dict:
    meeting = Meeting.objects.select_related("body").get(pk=meeting_id)
    return meeting_state(meeting, PARTICIPANTS, user, roles_in(meeting, user))["me"]


def test_the_room_says_back_after_a_dropped_link_until_restored() -> None:
    live = start_item(make_committee())
    member, mid = live.c.members[3], live.meeting_id
    assert not _me(mid, member)["participant"]["link_lost"]
    presence_connect(meeting_id=mid, actor=member)
    presence_lose(meeting_id=mid, actor=member)
    presence_expire(meeting_id=mid, user_id=member.pk)
    presence_connect(meeting_id=mid, actor=member)  # back
    mine = _me(mid, member)["participant"]
    assert mine["link_lost"] and not mine["present"]
    attendance_check_in(meeting_id=mid, actor=live.sec, user_id=member.pk, remote=True)
    mine = _me(mid, member)["participant"]
    assert not mine["link_lost"] and mine["present"] and mine["confirmed"]


def test_the_text_is_swedish_by_default() -> None:
    with translation.override("sv"):
        text = ui_text()["my_link_lost"]
    assert "förbindelse bröts" in text and "sekreteraren" in text
