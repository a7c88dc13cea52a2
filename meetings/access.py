"""Who may follow a meeting as a participant: one rule for the pages, the voting reads and the
participant socket, so the three can never disagree about who is let in."""

from __future__ import annotations

from meetings.models import Meeting, Participant
from meetings.roles import Actor, MeetingRoles, query_id, roles_in


def may_follow(meeting: Meeting, user: Actor, *, roles: MeetingRoles | None = None) -> bool:
    """The body's people (secretary, chair, vice chair, members, substitutes) and anyone listed
    as a participant of this meeting. ``roles`` saves the lookup when the caller has them."""
    if not getattr(user, "is_authenticated", False):
        return False
    if (roles if roles is not None else roles_in(meeting, user)).takes_part:
        return True
    return Participant.objects.filter(meeting=meeting, user_id=query_id(user)).exists()
