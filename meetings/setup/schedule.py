"""Creating and changing a meeting (sammanträde) before it opens: time, place, public or not,
video link.

Remote participation follows the body's ruleset (``Body.remote_ruleset``): a body that does
not allow it (``none``) gets no fully digital meeting and no video link. A fullmäktige
meeting is public: it cannot be made closed. Once a meeting has opened its details are the
log's (``meeting.opened`` names the place): they are no longer changed here.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from meetings.errors import CommandError, ErrorCode
from meetings.log import lock_meeting
from meetings.models import Body, Meeting
from meetings.roles import Actor
from meetings.setup.access import body_of, require_meeting_planner
from meetings.setup.validation import apply, invalid, validated


def _check(meeting: Meeting) -> None:
    body = meeting.body
    if not body.remote_allowed and (not meeting.place.strip() or meeting.video_link):
        raise CommandError(ErrorCode.REMOTE_NOT_ALLOWED,
                           field="video_link" if meeting.video_link else "place")
    if body.kind == Body.Kind.FULLMAKTIGE and not meeting.is_public:
        raise invalid("is_public", "fullmaktige_is_public")
    if meeting.ends_at is not None and meeting.ends_at <= meeting.starts_at:
        raise invalid("ends_at", "before_start")
    if not meeting.title.strip():
        raise invalid("title", "required")


@transaction.atomic
def meeting_create(
    *, actor: Actor, body_id: int, title: str, starts_at: datetime,
    ends_at: datetime | None = None, place: str = "", video_link: str = "",
    is_public: bool | None = None,
) -> Meeting:
    """A planned meeting of the body. ``is_public`` defaults to the law's default: public
    for fullmäktige, closed for other bodies."""
    body = body_of(body_id)
    require_meeting_planner(body.pk, actor)
    if is_public is None:
        is_public = body.kind == Body.Kind.FULLMAKTIGE
    meeting = Meeting(body=body, title=title.strip(), starts_at=starts_at, ends_at=ends_at,
                      place=place.strip(), video_link=video_link.strip(), is_public=is_public)
    _check(meeting)
    validated(meeting)
    meeting.save()
    return meeting


@transaction.atomic
def meeting_update(
    *, actor: Actor, meeting_id: int, title: str | None = None,
    starts_at: datetime | None = None, ends_at: datetime | None = None,
    place: str | None = None, video_link: str | None = None, is_public: bool | None = None,
    clear_ends_at: bool = False,
) -> Meeting:
    """Change what is given (None leaves it) of a meeting that has not opened."""
    meeting = lock_meeting(meeting_id)
    require_meeting_planner(meeting.body_id, actor)
    if meeting.status == Meeting.Status.OPEN:
        raise CommandError(ErrorCode.MEETING_ALREADY_OPEN)
    if meeting.status == Meeting.Status.ADJOURNED:
        raise CommandError(ErrorCode.MEETING_ADJOURNED)
    if clear_ends_at:
        meeting.ends_at = None
    apply(meeting, {
        "title": title.strip() if title is not None else None, "starts_at": starts_at,
        "ends_at": ends_at, "place": place.strip() if place is not None else None,
        "video_link": video_link.strip() if video_link is not None else None,
        "is_public": is_public,
    }, ("title", "starts_at", "ends_at", "place", "video_link", "is_public"))
    _check(meeting)
    validated(meeting)
    meeting.save()
    return meeting
