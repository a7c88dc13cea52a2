"""Checks shared by the commands before a meeting."""

from __future__ import annotations

from meetings.errors import CommandError
from meetings.models import BodyRole, Meeting
from meetings.roles import Actor, query_id
from notices.errors import NoticeError


def require_planned(meeting: Meeting) -> None:
    """Before the meeting only: once opened, the roll call and the live commands take over."""
    if meeting.status != Meeting.Status.PLANNED:
        raise CommandError(NoticeError.MEETING_NOT_PLANNED, status=meeting.status)


def is_secretary(meeting: Meeting, actor: Actor) -> bool:
    return BodyRole.objects.filter(
        body_id=meeting.body_id, user_id=query_id(actor), role=BodyRole.Role.SECRETARY
    ).exists()


def is_chair(meeting: Meeting, actor: Actor) -> bool:
    return BodyRole.objects.filter(
        body_id=meeting.body_id, user_id=query_id(actor), role=BodyRole.Role.CHAIR
    ).exists()


def handles_notice(meeting: Meeting, actor: Actor) -> bool:
    """The secretary sends the kallelse; the chair, who calls the meeting, follows it too."""
    return is_secretary(meeting, actor) or is_chair(meeting, actor)


def require_secretary(meeting: Meeting, actor: Actor) -> None:
    if not is_secretary(meeting, actor):
        raise CommandError(NoticeError.NOT_SECRETARY)
