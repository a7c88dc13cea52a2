"""The declared event types of every app, and the check that the log only ever receives them.

Payloads stay in the log for ever, so their shapes must not drift. Each app declares its event
types (a ``StrEnum``) with one ``TypedDict`` payload shape per type in its ``events.py`` and
registers them from its ``AppConfig.ready()``. ``append_events`` refuses an event whose type is
not declared or whose payload has a key its shape does not declare (or lacks a required one):
that is a programming error, found by the first test that appends such an event.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar, is_typeddict

E = TypeVar("E", bound=StrEnum)


class UndeclaredEvent(RuntimeError):
    """A command tried to append an event type or payload key nobody declared."""


class _Shape:
    __slots__ = ("allowed", "required")

    def __init__(self, allowed: frozenset[str], required: frozenset[str]) -> None:
        self.allowed = allowed
        self.required = required


_shapes: dict[str, _Shape] = {}


def register_event_types(shapes: Mapping[E, Any]) -> None:
    """Declare event types with their payload ``TypedDict``; one owner per type."""
    for event_type, payload in shapes.items():
        if not is_typeddict(payload):
            raise TypeError(f"{event_type}: the payload shape must be a TypedDict")
        _refuse_string_qualifiers(event_type, payload)
        shape = _Shape(
            frozenset(payload.__required_keys__ | payload.__optional_keys__),
            frozenset(payload.__required_keys__),
        )
        known = _shapes.get(str(event_type))
        if known is not None and (known.allowed, known.required) != (
            shape.allowed, shape.required
        ):
            raise ValueError(f"event type {event_type!r} is declared twice")
        _shapes[str(event_type)] = shape


def _refuse_string_qualifiers(event_type: StrEnum, payload: Any) -> None:
    """``NotRequired[...]`` written as a string (``from __future__ import annotations``) is
    silently counted as required by ``TypedDict``: refuse it rather than mis-declare."""
    for cls in payload.__mro__:
        for key, annotation in getattr(cls, "__annotations__", {}).items():
            text = annotation if isinstance(annotation, str) else ""
            text = text or getattr(annotation, "__forward_arg__", "")
            if text.startswith(("NotRequired[", "Required[", "typing.NotRequired[")):
                raise TypeError(
                    f"{event_type}: {key!r} is annotated {text!r} as a string, which TypedDict "
                    "ignores; declare optional keys in a total=False subclass"
                )


def declared_event_types() -> list[str]:
    return sorted(_shapes)


def check_event(event_type: str, payload: Mapping[str, Any]) -> None:
    """Raise ``UndeclaredEvent`` unless ``payload`` fits the declared shape of ``event_type``."""
    shape = _shapes.get(event_type)
    if shape is None:
        raise UndeclaredEvent(f"event type {event_type!r} is not declared in any events.py")
    keys = payload.keys()
    if extra := keys - shape.allowed:
        raise UndeclaredEvent(f"{event_type}: payload keys {sorted(extra)} are not declared")
    if missing := shape.required - keys:
        raise UndeclaredEvent(f"{event_type}: payload lacks the required keys {sorted(missing)}")
