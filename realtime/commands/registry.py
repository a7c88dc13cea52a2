"""The wire command registry: which command names the websocket accepts and how they map to
domain commands.

Domain apps never import ``realtime``; instead a small module per domain in this package
(``meetings_core``, ``meetings_live``, ``voting``) registers its commands here. The consumer
validates a frame's ``args`` against ``args_schema`` before it calls ``handler``, so a handler
only ever sees well-typed keyword arguments.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator

from realtime.textcheck import unbounded_strings

NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")  # used with fullmatch


def event_result(event: Any) -> dict[str, Any]:
    """Default reply result for a command that returns a ``MeetingEvent``."""
    return {"seq": event.seq, "event": event.type}


def unchanged_result(head: int) -> dict[str, Any]:
    """Reply result for a command that changed nothing and logged nothing (a repeated
    check-in): the log head when it was answered (docs/protocol.md, "Unchanged")."""
    return {"seq": head, "event": None, "unchanged": True}


@dataclass(frozen=True)
class WireCommand:
    name: str  # "item.activate"
    # Domain command, called handler(meeting_id=..., actor=..., command_id=..., **args).
    handler: Callable[..., Any]
    # JSON schema of "args" (type object, properties, required, additionalProperties false).
    args_schema: dict
    to_result: Callable[[Any], dict] = event_result  # MeetingEvent -> {"seq", "event"}
    # Optional: the same command for many callers at once (``realtime.batching``), called
    # batch(meeting_id=..., calls=[Call, ...]) -> one outcome or CommandError per call.
    batch: Callable[..., list[Any]] | None = None


@dataclass(frozen=True)
class Call:
    """One caller's command in a batch: who, with which command id and arguments."""

    actor: Any
    command_id: str
    args: dict[str, Any]


_commands: dict[str, WireCommand] = {}
_validators: dict[str, Draft202012Validator] = {}


def register(command: WireCommand) -> None:
    """Add a command. Registering the same name twice with another definition is a bug."""
    if not NAME_PATTERN.fullmatch(command.name):
        raise ValueError(f"bad wire command name {command.name!r} (want 'thing.verb')")
    schema = command.args_schema
    if schema.get("type") != "object" or schema.get("additionalProperties") is not False:
        raise ValueError(
            f"{command.name}: args_schema must be an object schema with "
            "additionalProperties false"
        )
    Draft202012Validator.check_schema(schema)
    unbounded = unbounded_strings(schema)
    if unbounded:
        raise ValueError(f"{command.name}: strings without maxLength at {unbounded}")
    existing = _commands.get(command.name)
    if existing is not None and existing != command:
        raise ValueError(f"wire command {command.name!r} is already registered")
    _commands[command.name] = command
    _validators[command.name] = Draft202012Validator(schema)


def get(name: str) -> WireCommand | None:
    return _commands.get(name)


def names() -> list[str]:
    return sorted(_commands)


def args_errors(name: str, args: dict[str, Any]) -> list[Any]:
    """The schema violations of a command's ``args`` (empty when valid).

    Validation is a pure function of the arguments, and a vote storm sends a thousand copies
    of the same two or three, so arguments known to be valid are remembered (a bounded set,
    keyed by their canonical JSON); invalid ones are checked every time."""
    key = (name, json.dumps(args, sort_keys=True, separators=(",", ":")))
    if key in _known_valid:
        return []
    errors = list(_validators[name].iter_errors(args))
    if not errors:
        if len(_known_valid) >= KNOWN_VALID_MAX:
            _known_valid.clear()
        _known_valid.add(key)
    return errors


KNOWN_VALID_MAX = 4096
_known_valid: set[tuple[str, str]] = set()


def object_schema(
    properties: dict[str, dict] | None = None, required: list[str] | tuple[str, ...] = ()
) -> dict:
    """Shorthand for an ``args_schema``: an object with these properties, nothing else."""
    return {
        "type": "object",
        "properties": properties or {},
        "required": list(required),
        "additionalProperties": False,
    }


#: Reusable property schemas.
ID = {"type": "integer", "minimum": 1, "maximum": 2**53}
ID_LIST = {"type": "array", "items": ID, "minItems": 1, "maxItems": 500}
SHORT_TEXT = {"type": "string", "maxLength": 500}
