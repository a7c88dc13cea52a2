"""The notices read tables rebuilt from the log alone, to prove the log is their source.

``project`` folds a meeting's events into plain values that ``tables`` reads from the
tables; a test compares the two (as ``meetings/replay.py`` does for the live meeting).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from meetings.models import Meeting, MeetingEvent
from notices.events import NoticeEventType as N
from notices.models import AbsenceReport, RemoteRequest, SubstituteRequest

Projection = dict[str, dict[Any, Any]]


def project(events: Iterable[MeetingEvent]) -> Projection:
    absences: dict[int, int] = {}  # seat -> member
    requests: dict[int, tuple[int, int, str]] = {}  # id -> (seat, substitute user, state)
    remote: dict[int, tuple[int, str]] = {}  # id -> (user, state)
    for event in events:
        p = event.payload
        if event.type == N.ABSENCE_REPORTED:
            absences[p["seat"]] = p["member"]["user_id"]
        elif event.type == N.ABSENCE_WITHDRAWN:
            absences.pop(p["seat"], None)
            for released in p["released"]:
                seat, user, _state = requests[released["request_id"]]
                requests[released["request_id"]] = (seat, user, "released")
        elif event.type == N.SUBSTITUTE_ASKED:
            requests[p["request_id"]] = (p["seat"], p["substitute"]["user_id"], "asked")
        elif event.type == N.SUBSTITUTE_ANSWERED:
            state = "accepted" if p["accepted"] else "declined"
            requests[p["request_id"]] = (p["seat"], p["substitute"]["user_id"], state)
        elif event.type == N.REMOTE_REQUESTED:
            remote[p["request_id"]] = (p["user"]["user_id"], "requested")
        elif event.type == N.REMOTE_DECIDED:
            remote[p["request_id"]] = (p["user"]["user_id"],
                                       "approved" if p["approved"] else "refused")
    return {"absences": absences, "requests": requests, "remote": remote}


def tables(meeting: Meeting) -> Projection:
    return {
        "absences": dict(AbsenceReport.objects.filter(
            meeting=meeting, withdrawn_at=None).values_list("seat__number", "member_id")),
        "requests": {pk: (seat, user, state) for pk, seat, user, state in
                     SubstituteRequest.objects.filter(meeting=meeting).values_list(
                         "pk", "absence__seat__number", "substitute__user_id", "state")},
        "remote": {pk: (user, state) for pk, user, state in
                   RemoteRequest.objects.filter(meeting=meeting).values_list(
                       "pk", "user_id", "state")},
    }
