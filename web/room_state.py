"""The member's room state: ``web.state.meeting_state`` plus what only the room shows —
each agenda item's Dnr and föredragande (``case_number``/``presenter``, kept if the shared
state already carries them) and, before the meeting opens, ``me.before``
(``web.before_meeting``: the förhinder and who serves instead, or a substitute's call)."""

from __future__ import annotations

from typing import Any

from meetings.models import Meeting
from meetings.roles import Actor, MeetingRoles, query_id
from meetings.visibility import PARTICIPANTS
from web.before_meeting import before_status
from web.state import meeting_state


def room_state(meeting: Meeting, user: Actor, roles: MeetingRoles) -> dict[str, Any]:
    state = meeting_state(meeting, PARTICIPANTS, user, roles)
    facts = {pk: (case_number, presenter) for pk, case_number, presenter in
             meeting.items.values_list("pk", "case_number", "presenter")}
    for item in state.get("agenda", []):
        case_number, presenter = facts.get(item["item_id"], ("", ""))
        item.setdefault("case_number", case_number)
        item.setdefault("presenter", presenter)
    if "me" in state:
        state["me"]["before"] = before_status(meeting, query_id(user))
    return state
