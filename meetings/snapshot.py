"""The state of a meeting as one audience may see it, with the log ``seq`` it is consistent with.

A client that connects (or falls too far behind) gets this snapshot and then applies events
with a higher ``seq``. The snapshot is read while holding the meeting row lock that every
command takes, so the state is exactly the state after event ``seq``: no event is half in it.

Other domains add their own state (speaker list, proposals, votes) with ``register_section``
instead of editing this module; a section gets the locked meeting and the audience.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from meetings.errors import CommandError, ErrorCode
from meetings.models import Adjuster, Meeting, Participant
from meetings.presiding import presiding_of
from meetings.quorum import quorum_of
from meetings.roles import display_name
from meetings.roster import serving_seats
from meetings.visibility import PARTICIPANTS, PUBLIC

Section = Callable[[Meeting, str], Any]

_sections: dict[str, Section] = {}

RESERVED = frozenset(
    {"seq", "audience", "meeting", "agenda", "active_item_id", "quorum", "participants",
     "seats", "adjusters"}
)


def register_section(name: str, section: Section) -> None:
    """Add a top-level key to every snapshot. ``section`` must respect the audience itself."""
    if name in RESERVED:
        raise ValueError(f"snapshot section {name!r} is reserved")
    _sections[name] = section


def _meeting(meeting: Meeting, audience: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": meeting.pk,
        "title": meeting.title,
        "body": meeting.body.name,
        "organisation": meeting.body.organisation,
        "starts_at": meeting.starts_at.isoformat(),
        "place": meeting.place,
        "digital": meeting.is_digital,
        "is_public": meeting.is_public,
        "status": meeting.status,
        "paused": meeting.paused,
        "agenda_approved": meeting.agenda_approved,
        "quorum_rule": meeting.body.quorum_rule,
    }
    if audience == PARTICIPANTS:
        data["remote_ruleset"] = meeting.body.remote_ruleset
        data["video_link"] = meeting.video_link
        # Who presides now, and whether the secretary must hand over first.
        data["presiding"] = presiding_of(meeting).as_dict()
    return data


def _agenda(meeting: Meeting, audience: str) -> list[dict[str, Any]]:
    items = meeting.items.order_by("position")
    if audience == PUBLIC:
        items = items.filter(confidential=False)
    return [
        {
            "item_id": item.pk,
            "position": item.position,
            "title": item.title,
            "description": item.description,
            "prepared_proposal": item.prepared_proposal,
            "confidential": item.confidential,
            "state": item.state,
            "paragraph": item.paragraph,
        }
        for item in items
    ]


def _participants(meeting: Meeting, audience: str) -> list[dict[str, Any]]:
    rows = Participant.objects.filter(meeting=meeting).select_related("user").order_by("pk")
    result = []
    for p in rows:
        row: dict[str, Any] = {
            "user_id": p.user_id, "name": display_name(p.user), "role": p.role,
            "present": p.present, "confirmed": p.confirmed,
        }
        if audience == PARTICIPANTS:
            # ``link_lost``: a remote link dropped past the grace period; with ``connected``
            # they are back and wait for the secretary's check-in (one action) to count again.
            row.update(remote=p.remote, connected=p.connected, link_lost=p.link_lost,
                       back_after_link_lost=p.link_lost and p.connected)
        result.append(row)
    return result


def meeting_snapshot(meeting_id: int, audience: str) -> dict[str, Any]:
    """The audience's view of the meeting, consistent with the returned ``seq``."""
    if audience not in (PARTICIPANTS, PUBLIC):
        raise ValueError(f"unknown audience {audience!r}")
    with transaction.atomic():
        try:
            meeting = (
                # Only the meeting row is locked (the nullable active item cannot be joined
                # FOR UPDATE on PostgreSQL); the lock is the one every command takes.
                Meeting.objects.select_for_update().select_related("body").get(pk=meeting_id)
            )
        except Meeting.DoesNotExist:
            raise CommandError(ErrorCode.MEETING_NOT_FOUND, meeting_id=meeting_id) from None
        active = meeting.active_item
        hide_active = audience == PUBLIC and active is not None and active.confidential
        seats = [
            {
                "seat_number": s.seat_number, "weight": s.weight, "party": s.party,
                "user_id": s.user_id, "name": s.name, "is_substitute": s.is_substitute,
                "present": s.present, "recused": s.recused and not hide_active,
            }
            for s in serving_seats(meeting)
        ]
        snapshot: dict[str, Any] = {
            "seq": meeting.last_seq,
            "audience": audience,
            "meeting": _meeting(meeting, audience),
            "agenda": _agenda(meeting, audience),
            "active_item_id": None if hide_active else meeting.active_item_id,
            "quorum": quorum_of(meeting).as_dict(),
            "participants": _participants(meeting, audience),
            "seats": seats,
            "adjusters": [
                {"user_id": a.user_id, "name": display_name(a.user), "position": a.position}
                for a in Adjuster.objects.filter(meeting=meeting).select_related("user")
            ],
        }
        for name, section in _sections.items():
            snapshot[name] = section(meeting, audience)
    return snapshot
