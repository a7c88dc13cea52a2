"""What each audience may see of a logged event.

Two audiences: ``participants`` (everyone who takes part in the meeting's body) see every event
as logged; the ``public`` sees only what a public meeting shows in the room: never a
confidential item (sekretess), never connection details (presence, remote links), never an
event type nobody has declared public. The public rules are default-deny: an event type with no
rule reaches the public as a ``redacted`` placeholder that keeps its ``seq`` (so a client sees
no gap) and carries nothing else.

Domain apps that add event types declare their public shape with ``register_public_event``.
This module is pure apart from ``confidential_item_ids``; it renders once per audience, never
per connection.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from meetings.events import MeetingEventType as E
from meetings.models import AgendaItem

PARTICIPANTS = "participants"
PUBLIC = "public"
AUDIENCES = (PARTICIPANTS, PUBLIC)

#: The placeholder type the public sees for an event it may not see.
REDACTED = "redacted"

#: Keys that describe someone's connection or way of attending; never shown to the public.
CONNECTION_KEYS = frozenset({"remote", "connected", "ip", "user_agent", "grace_seconds"})


@dataclass(frozen=True)
class Visible:
    """An event as one audience sees it: its (possibly renamed) type and its data."""

    type: str
    data: dict[str, Any]


#: A public rule: (payload, confidential item ids) -> the public data, or None to redact.
PublicRule = Callable[[dict[str, Any], frozenset[int]], dict[str, Any] | None]

_public_rules: dict[str, PublicRule] = {}


def register_public_event(event_type: str, rule: PublicRule | None = None) -> None:
    """Declare that the public may see ``event_type``.

    Without a rule the payload is shown minus connection keys, and the event is redacted when
    its ``item_id`` is a confidential item. A custom rule gets the payload and the meeting's
    confidential item ids and returns the public data (or None to redact).
    """
    _public_rules[str(event_type)] = rule or strip_connection_details


def public_event_types() -> list[str]:
    return sorted(_public_rules)


def confidential_item_ids(meeting_id: int) -> frozenset[int]:
    return frozenset(
        AgendaItem.objects.filter(meeting_id=meeting_id, confidential=True).values_list(
            "pk", flat=True
        )
    )


def _without_connection(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_connection(v) for k, v in value.items() if k not in CONNECTION_KEYS}
    if isinstance(value, list):
        return [_without_connection(v) for v in value]
    return value


def _about_confidential(payload: dict[str, Any], confidential: frozenset[int]) -> bool:
    return payload.get("confidential") is True or payload.get("item_id") in confidential


def strip_connection_details(
    payload: dict[str, Any], confidential: frozenset[int]
) -> dict[str, Any] | None:
    """The default public rule: nothing about a confidential item, no connection details."""
    if _about_confidential(payload, confidential):
        return None
    return _without_connection(payload)


def _meeting_level(payload: dict[str, Any], confidential: frozenset[int]) -> dict[str, Any]:
    """A meeting-wide event (pause, roll call) stays public; a confidential item is hidden."""
    data = _without_connection(payload)
    if data.get("item_id") in confidential:
        data["item_id"] = None
    return data


def _paused(payload: dict[str, Any], confidential: frozenset[int]) -> dict[str, Any]:
    data = _meeting_level(payload, confidential)
    if payload.get("item_id") in confidential:
        data["reason"] = ""  # a reason typed during a closed item may speak of it
    return data


def _agenda(payload: dict[str, Any], confidential: frozenset[int]) -> dict[str, Any]:
    items = [
        _without_connection(item) for item in payload.get("items", [])
        if not item.get("confidential") and item.get("item_id") not in confidential
    ]
    return {**_without_connection(payload), "items": items}


def _quorum_only(payload: dict[str, Any], confidential: frozenset[int]) -> dict[str, Any] | None:
    """A presence expiry changes the quorum, which is public; who dropped is not."""
    if "quorum" not in payload:
        return None
    return {"quorum": payload["quorum"]}


#: The name the public sees a presence expiry under: only its quorum is public.
QUORUM_CHANGED = "quorum.changed"

#: Public renamings: the public sees these types under another name (and their rule's data).
_public_names: dict[str, str] = {E.PRESENCE_EXPIRED: QUORUM_CHANGED}


def register_core_events() -> None:
    """The public shape of the meeting's own events (``MeetingsConfig.ready``)."""
    for event_type in (E.MEETING_OPENED, E.MEETING_ADJOURNED, E.ADJUSTERS_CHOSEN,
                       E.ATTENDANCE_CHECKED_IN, E.ATTENDANCE_CHECKED_OUT,
                       E.ATTENDANCE_CONFIRMED, E.ITEM_ACTIVATED, E.ITEM_CLOSED):
        register_public_event(event_type)
    register_public_event(E.MEETING_PAUSED, _paused)
    register_public_event(E.MEETING_RESUMED, _meeting_level)  # seen after a pause, any item
    register_public_event(E.ROLL_CALL_STARTED, _meeting_level)
    register_public_event(E.AGENDA_APPROVED, _agenda)
    register_public_event(E.PRESENCE_EXPIRED, _quorum_only)
    # Who presides is public (the minutes name them); a confidential item is not.
    register_public_event(E.PRESIDING_CHANGED, _meeting_level)


def visible_event(
    event_type: str, payload: dict[str, Any], audience: str, confidential: Iterable[int]
) -> Visible:
    """The event as ``audience`` sees it. The public gets ``redacted`` for what it may not see."""
    if audience == PARTICIPANTS:
        return Visible(event_type, payload)
    if audience != PUBLIC:
        raise ValueError(f"unknown audience {audience!r}")
    rule = _public_rules.get(event_type)
    data = rule(payload, frozenset(confidential)) if rule else None
    if data is None:
        return Visible(REDACTED, {})
    return Visible(_public_names.get(event_type, event_type), data)
