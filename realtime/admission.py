"""Who may open a meeting socket, decided for the handshakes that arrive together at once.

The rules are the ones the pages use (``meetings.access.may_follow``, ``identity.policy.
socket_refusal``); only the reads are shared: one meeting read, the roles of everyone in the
batch in three queries (``meetings.roles.roles_of_many``) and the body's second-factor rule
once, instead of those reads per socket (``realtime.coalesce``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from identity.policy import second_factor_rule, socket_refusal
from meetings.access import may_follow
from meetings.errors import ErrorCode
from meetings.models import Meeting
from meetings.roles import roles_of_many
from realtime.coalesce import Coalescer
from realtime.protocol import WireError

#: (user, session) of a signed-in participant socket.
Person = tuple[Any, Any]


def participant_refusals(meeting_id: int, people: Sequence[Person]) -> list[str | None]:
    """Per person, why they may not follow the meeting as a participant, or None."""
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return [ErrorCode.MEETING_NOT_FOUND for _ in people]
    roles = roles_of_many(meeting, (user.pk for user, _ in people))
    rule = second_factor_rule(meeting.body_id)
    out: list[str | None] = []
    for user, session in people:
        mine = roles[user.pk]
        if not may_follow(meeting, user, roles=mine):
            out.append(ErrorCode.NOT_A_PARTICIPANT)
        else:
            out.append(socket_refusal(meeting, user, session, rule=rule, roles=mine))
    return out


def public_refusals(meeting_id: int, sockets: Sequence[None]) -> list[str | None]:
    """A missing meeting is answered like a non-public one (as the public page's 404 does)."""
    public = Meeting.objects.filter(pk=meeting_id, is_public=True).exists()
    return [None if public else WireError.MEETING_NOT_PUBLIC for _ in sockets]


participants: Coalescer[Person, str | None] = Coalescer(participant_refusals, "admit")
public: Coalescer[None, str | None] = Coalescer(public_refusals, "admit-public")
