"""Reading a meeting's event log: paged JSON, or JSON lines for an archive.

Each entry carries its ``seq``, ``type``, ``at``, ``payload`` and the chain's ``prev_hash``
and ``hash`` (``meetings.log``). Who reads decides what they see, by the rules of the
websocket and the minutes (``meetings.visibility``, ``minutes.visibility``). The body's
people read every event as logged (participants), with all its hash covers (``actor_id``,
``command_id``, ``at`` to the microsecond), so they can recompute the chain. Anyone else
with a token reads a public meeting as the public does: a confidential item's events,
connection details and undeclared types come as ``redacted`` entries that keep their
``seq`` and hashes, so the chain has no gap; such a reader sees that the chain is whole but
can recompute a hash only from the full event.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, StreamingHttpResponse
from ninja import Field as NinjaField
from ninja import Query, Router, Schema

from api.auth import caller
from api.common import meeting_of, reader_audience
from api.schemas import ErrorOut, LogPageOut
from meetings.models import MeetingEvent
from meetings.visibility import PARTICIPANTS, confidential_item_ids, visible_event

router = Router(tags=["log"])
ERRORS: dict[int, Any] = {code: ErrorOut for code in (401, 403, 404, 422)}
MAX_PAGE = 1000
BATCH = 500


class LogQuery(Schema):
    since: int = NinjaField(0, ge=0, description="Entries after this seq.")
    limit: int = NinjaField(200, ge=1, le=MAX_PAGE)


def _entry(event: MeetingEvent, audience: str, confidential: frozenset[int]) -> dict[str, Any]:
    visible = visible_event(event.type, event.payload, audience, confidential)
    everything = audience == PARTICIPANTS
    return {
        "seq": event.seq, "type": visible.type,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id if everything else None,
        "command_id": event.command_id if everything else None,
        "payload": visible.data, "prev_hash": event.prev_hash, "hash": event.hash,
    }


@router.get("/meetings/{meeting_id}/log", response={200: LogPageOut, **ERRORS})
def log_page(request: HttpRequest, meeting_id: int,
             query: Query[LogQuery]) -> dict[str, Any]:
    """Up to ``limit`` entries after ``since``; follow ``next_since`` until it is null."""
    meeting = meeting_of(meeting_id)
    audience = reader_audience(meeting, caller(request))
    confidential = confidential_item_ids(meeting.pk)
    rows = list(MeetingEvent.objects.filter(meeting=meeting, seq__gt=query.since)
                .order_by("seq")[:query.limit])
    last = rows[-1].seq if rows else query.since
    return {
        "meeting_id": meeting.pk, "audience": audience, "last_seq": meeting.last_seq,
        "next_since": last if last < meeting.last_seq else None,
        "events": [_entry(e, audience, confidential) for e in rows],
    }


@router.get("/meetings/{meeting_id}/log.jsonl", response={200: None, **ERRORS})
def log_lines(request: HttpRequest, meeting_id: int,
              since: int = 0) -> StreamingHttpResponse:
    """The whole log after ``since`` as JSON lines (``application/x-ndjson``), one entry a
    line, in seq order; the same entries and visibility as the paged form."""
    meeting = meeting_of(meeting_id)
    audience = reader_audience(meeting, caller(request))
    confidential = confidential_item_ids(meeting.pk)
    upto = meeting.last_seq

    def lines() -> Iterator[str]:
        after = max(since, 0)
        while after < upto:
            rows = list(MeetingEvent.objects.filter(
                meeting_id=meeting.pk, seq__gt=after, seq__lte=upto).order_by("seq")[:BATCH])
            if not rows:
                return
            for event in rows:
                yield json.dumps(_entry(event, audience, confidential), cls=DjangoJSONEncoder,
                                 ensure_ascii=False) + "\n"
            after = rows[-1].seq

    response = StreamingHttpResponse(lines(), content_type="application/x-ndjson")
    response["Content-Disposition"] = f'inline; filename="meeting-{meeting.pk}-log.jsonl"'
    return response
