"""The state a live page draws from (rendered into the page, re-read as ``state.json``).

It is the audience's meeting snapshot (``meetings.snapshot``, with every app's sections) plus
``panel`` (``voting.selectors.voting_panel``) and ``documents``, and for a participant ``me``
and their ballot. ``static/klubba/meeting.js`` reads it; nothing here decides a rule of its
own, it only gathers what the domain apps' read functions return.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from meetings.models import Attachment, Meeting, Participant, Recusal, SpeakerRequest
from meetings.roles import Actor, MeetingRoles, display_name, may_control, query_id
from meetings.snapshot import meeting_snapshot
from meetings.visibility import PARTICIPANTS, PUBLIC
from voting.models import OpenBallot, Reservation, Vote
from voting.selectors import ballot_of, voting_panel

#: Seconds a rendered audience state stays cached. It is keyed by the log's head, so events
#: never make it stale; the short life covers what changes without an event (an agenda text
#: fixed in the admin) while still absorbing the burst of re-reads every event causes.
STATE_CACHE_SECONDS = 2


def documents(meeting: Meeting, audience: str) -> dict[str, list[dict[str, str]]]:
    """The agenda items' documents (handlingar), by item id, as links to the checked view."""
    rows = Attachment.objects.filter(item__meeting=meeting).order_by("item__position", "pk")
    if audience == PUBLIC:
        rows = rows.filter(item__confidential=False)
    found: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        found.setdefault(str(row.item_id), []).append({
            "title": row.title,
            "url": reverse("meetings:document", args=[meeting.pk, row.pk]),
        })
    return found


def add_case_keys(agenda: list[dict[str, Any]], meeting: Meeting) -> None:
    """Each agenda row gets its Dnr and föredragande (``case_number``, ``presenter``; empty
    when not set), as the notice prints them: the cockpit shows them with the item."""
    keys = dict(meeting.items.values_list("pk", "case_number").order_by())
    presenters = dict(meeting.items.values_list("pk", "presenter").order_by())
    for row in agenda:
        row["case_number"] = (keys.get(row["item_id"]) or "").strip()
        row["presenter"] = (presenters.get(row["item_id"]) or "").strip()


def me(meeting: Meeting, user: Actor, roles: MeetingRoles) -> dict[str, Any]:
    """Per-user facts the page needs; the snapshot is per audience, never per person."""
    participant = Participant.objects.filter(meeting=meeting, user_id=query_id(user)).first()
    waiting = None
    if meeting.active_item_id:
        request = SpeakerRequest.objects.filter(
            item_id=meeting.active_item_id, user_id=query_id(user),
            state__in=[SpeakerRequest.State.WAITING, SpeakerRequest.State.SPEAKING],
        ).order_by("-pk").first()
        if request is not None:
            waiting = {"request_id": request.pk, "state": request.state, "kind": request.kind}
    return {
        "user_id": user.pk,
        "name": display_name(user),
        "is_secretary": roles.is_secretary,
        "is_chair": roles.is_chair,
        "seat_number": roles.seat_number,
        "substitute_order": roles.substitute_order,
        "may_control": may_control(meeting, user),
        "remote_allowed": meeting.body.remote_allowed,
        "participant": None if participant is None else {
            "role": participant.role, "present": participant.present,
            "remote": participant.remote, "confirmed": participant.confirmed,
            # A remote link dropped past the grace period: seeing the room, they are back,
            # and not present until the secretary restores them (docs/architecture.md).
            "link_lost": participant.link_lost,
        },
        "recused_item_ids": list(Recusal.objects.filter(
            item__meeting=meeting, user_id=query_id(user)).values_list("item_id", flat=True)),
        "speaker_request": waiting,
        # My reservations (item id -> written reasons, "" for none yet): the room shows them.
        "reservations": {str(item_id): reasons for item_id, reasons in Reservation.objects.filter(
            decision__item__meeting=meeting, user_id=query_id(user),
        ).values_list("decision__item_id", "reasons")},
    }


def _cache_key(meeting_id: int, audience: str, seq: int, head_hash: str) -> str:
    return f"klubba:state:{meeting_id}:{audience}:{seq}:{head_hash[:16]}"


#: The last few shared states of this process, by cache key, in front of Django's cache: a
#: burst of page reads after an event (a thousand pages coming back after a restart) takes
#: the state from memory instead of unpickling a few hundred kilobytes each time.
#: An entry lives ``STATE_CACHE_SECONDS`` from when this process took it (from the cache or a
#: build), so a change made without an event shows within twice that.
_RECENT_SIZE = 8
_recent: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()
_recent_lock = threading.Lock()


def _remembered(key: str) -> dict[str, Any] | None:
    with _recent_lock:
        found = _recent.get(key)
        if found is None or time.monotonic() - found[0] > STATE_CACHE_SECONDS:
            return None
        return found[1]


def _remember(key: str, shared: dict[str, Any]) -> None:
    with _recent_lock:
        _recent[key] = (time.monotonic(), shared)
        _recent.move_to_end(key)
        while len(_recent) > _RECENT_SIZE:
            _recent.popitem(last=False)


def forget_recent_states() -> None:
    """Drop this process's remembered states (tests whose meetings reuse ids and heads)."""
    with _recent_lock:
        _recent.clear()


def audience_state(meeting: Meeting, audience: str) -> dict[str, Any]:
    """The part everyone in the audience shares, built once per log head and cached.

    The snapshot takes the meeting row lock that every command needs, and hundreds of viewers
    must not queue on it once per event. ``meeting_snapshot`` holds the lock inside the outer
    transaction until ``panel`` is read, so both belong to the same ``seq``. The result is the
    cached object itself: copy it before changing it."""
    seq, head_hash = Meeting.objects.filter(pk=meeting.pk).values_list(
        "last_seq", "last_hash").get()
    key = _cache_key(meeting.pk, audience, seq, head_hash)
    shared = _remembered(key)
    if shared is not None:
        return shared
    shared = cache.get(key)
    if shared is None:
        with transaction.atomic():
            shared = meeting_snapshot(meeting.pk, audience)
            locked = Meeting.objects.select_related("body", "active_item").get(pk=meeting.pk)
            shared["panel"] = voting_panel(locked, audience)
            shared["documents"] = documents(locked, audience)
            add_case_keys(shared["agenda"], locked)
        key = _cache_key(meeting.pk, audience, shared["seq"], locked.last_hash)
        cache.set(key, shared, STATE_CACHE_SECONDS)
    _remember(key, shared)
    return shared


def _own_copy(shared: dict[str, Any]) -> dict[str, Any]:
    """A copy of the shared state that the per-person additions may change: new containers
    down to what they touch (``me`` at the top, ``panel.vote.me``, the agenda items' keys),
    the rest shared. A deep copy of a thousand seats cost more than building the page."""
    state = dict(shared)
    panel = state.get("panel")
    if isinstance(panel, dict):
        state["panel"] = panel = dict(panel)
        if isinstance(panel.get("vote"), dict):
            panel["vote"] = dict(panel["vote"])
    state["agenda"] = [dict(item) for item in state.get("agenda", [])]
    return state


def meeting_state(meeting: Meeting, audience: str, user: Actor | None = None,
                  roles: MeetingRoles | None = None) -> dict[str, Any]:
    """Snapshot plus ``panel`` for the audience, and ``me`` for a participant.

    The per-person part is read after the shared part, without a lock."""
    state = _own_copy(audience_state(meeting, audience))
    if audience == PARTICIPANTS and user is not None and roles is not None:
        current = Meeting.objects.select_related("body").get(pk=meeting.pk)
        state["me"] = me(current, user, roles)
        vote = state["panel"]["vote"]
        if vote is not None:
            vote["me"] = ballot_of(vote_id=vote["vote_id"], kind=vote["kind"],
                                   user_id=query_id(user))
            if vote["kind"] == Vote.Kind.OPEN and vote["me"]["voted"]:
                # An open ballot is public anyway: the room says "You voted Yes".
                vote["me"]["choice"] = OpenBallot.objects.filter(
                    vote_id=vote["vote_id"], voter_id=query_id(user)).values_list(
                    "choice", flat=True).first()
    return state
