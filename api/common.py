"""What the API's endpoints share: finding a meeting for a reader, the second-factor rule,
the command id from ``Idempotency-Key``, and rows as response dicts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from api.errors import ApiError
from identity.errors import IdentityError
from identity.policy import requires_second_factor
from meetings.access import may_follow
from meetings.errors import CommandError, ErrorCode
from meetings.models import AgendaItem, Body, Meeting, MeetingEvent
from meetings.setup.access import may_plan_meetings
from meetings.visibility import PARTICIPANTS, PUBLIC

MAX_COMMAND_ID = 64


def command_id(request: HttpRequest) -> str | None:
    """``Idempotency-Key``: a retried request with the same key returns what the first made
    (the command contract's replay) instead of acting twice."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return None
    if len(key) > MAX_COMMAND_ID - 4:
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="Idempotency-Key",
                           reason="too_long")
    return f"api-{key}"


def meeting_of(meeting_id: int) -> Meeting:
    meeting = Meeting.objects.select_related("body").filter(pk=meeting_id).first()
    if meeting is None:
        raise CommandError(ErrorCode.MEETING_NOT_FOUND, meeting_id=meeting_id)
    return meeting


def require_second_factor_rule(meeting: Meeting, user: User) -> None:
    """A body that requires a second factor of this person refuses their token: a token
    carries no verified session (the websocket refuses it the same way)."""
    if requires_second_factor(meeting, user):
        raise CommandError(IdentityError.SECOND_FACTOR_REQUIRED)


def reader_audience(meeting: Meeting, user: User) -> str:
    """The body's people (and its planners) read as participants; anyone else reads a public
    meeting as the public does; a closed meeting is refused."""
    if may_follow(meeting, user) or may_plan_meetings(meeting.body_id, user):
        require_second_factor_rule(meeting, user)
        return PARTICIPANTS
    if meeting.is_public:
        return PUBLIC
    raise CommandError(ErrorCode.NOT_A_PARTICIPANT)


def event_ref(event: MeetingEvent) -> dict[str, Any]:
    return {"seq": event.seq, "type": event.type}


def not_found() -> CommandError:
    return CommandError(ApiError.NOT_FOUND)


def body_dict(body: Body) -> dict[str, Any]:
    fields = ("id", "name", "kind", "organisation", "seats_count", "remote_ruleset",
              "quorum_rule", "abstain_policy", "secret_ballot_policy", "substitute_policy",
              "substitutes_may_speak", "minutes_keep_recusal_reasons", "chair_controls_meeting",
              "presiding_succession", "presence_grace_seconds")
    return {name: getattr(body, name) for name in fields}


def _name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def body_detail(body: Body) -> dict[str, Any]:
    return {
        **body_dict(body),
        "seats": [{"id": s.pk, "number": s.number, "member_id": s.member_id,
                   "member_name": _name(s.member), "party": s.party, "weight": s.weight,
                   "term_start": s.term_start, "term_end": s.term_end}
                  for s in body.seats.select_related("member").order_by("number")],
        "substitutes": [substitute_dict(s) for s in
                        body.substitutes.select_related("user").order_by("call_in_order")],
        "offices": [{"id": r.pk, "user_id": r.user_id, "name": _name(r.user), "role": r.role}
                    for r in body.roles.select_related("user").order_by("pk")],
    }


def substitute_dict(sub: Any) -> dict[str, Any]:
    return {"id": sub.pk, "user_id": sub.user_id, "name": _name(sub.user), "party": sub.party,
            "call_in_order": sub.call_in_order, "term_start": sub.term_start,
            "term_end": sub.term_end}


def meeting_dict(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk, "body_id": meeting.body_id, "title": meeting.title,
        "starts_at": meeting.starts_at, "ends_at": meeting.ends_at, "place": meeting.place,
        "video_link": meeting.video_link, "is_public": meeting.is_public,
        "remote_allowed": meeting.body.remote_allowed, "status": meeting.status,
        "last_seq": meeting.last_seq,
    }


def _size(attachment: Any) -> int | None:
    try:
        return int(attachment.file.size)
    except (OSError, ValueError):
        return None


def item_dict(item: AgendaItem) -> dict[str, Any]:
    return {
        "id": item.pk, "position": item.position, "title": item.title,
        "case_number": item.case_number, "presenter": item.presenter,
        "description": item.description, "prepared_proposal": item.prepared_proposal,
        "confidential": item.confidential, "state": item.state, "paragraph": item.paragraph,
        "attachments": [
            {"id": a.pk, "title": a.title, "file_name": a.file.name.rsplit("/", 1)[-1],
             "size": _size(a),
             "url": reverse("meetings:document", args=[item.meeting_id, a.pk])}
            for a in item.attachments.order_by("pk")
        ],
    }


def items_of(meeting: Meeting, audience: str) -> QuerySet[AgendaItem]:
    """The agenda as ``audience`` may see it: the public never sees a closed item."""
    items = meeting.items.order_by("position").prefetch_related("attachments")
    return items.filter(confidential=False) if audience == PUBLIC else items
