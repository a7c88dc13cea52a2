"""The wire protocol, version 1: parsing client frames and building server frames.

Pure functions, no I/O: the consumer feeds text in and sends dicts out. Every refusal is a
``FrameError`` with a stable code; the consumer turns it into an error frame (or, when the
frame had a usable ``id``, an error reply to that id) and keeps the connection open.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from identity.errors import IdentityError
from meetings.errors import ErrorCode, error_message
from realtime.textcheck import printable, string_problem

VERSION = 1
SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
#: Same as ``$defs/id`` in schema/client-frame.json.
ID_PATTERN = re.compile(r"[A-Za-z0-9._:~-]{1,64}")


class WireError(StrEnum):
    """Protocol-level codes, in addition to the domain apps' codes (``meetings.errors``)."""

    BAD_FRAME = "bad_frame"
    FRAME_TOO_LARGE = "frame_too_large"
    UNSUPPORTED_VERSION = "unsupported_version"
    UNKNOWN_COMMAND = "unknown_command"
    INTERNAL_ERROR = "internal_error"
    AUTHENTICATION_REQUIRED = "authentication_required"
    INVALID_TOKEN = "invalid_token"
    MEETING_NOT_PUBLIC = "meeting_not_public"
    RATE_LIMITED = "rate_limited"
    QUEUE_FULL = "queue_full"
    TOO_MANY_SOCKETS = "too_many_sockets"
    STREAM_INTERRUPTED = "stream_interrupted"
    SESSION_REVOKED = "session_revoked"


WIRE_MESSAGES: dict[str, Any] = {
    WireError.BAD_FRAME: _("The frame is not a valid protocol frame."),
    WireError.FRAME_TOO_LARGE: _("The frame is too large."),
    WireError.UNSUPPORTED_VERSION: _("This protocol version is not supported."),
    WireError.UNKNOWN_COMMAND: _("There is no such command."),
    WireError.INTERNAL_ERROR: _("Something went wrong on the server. Nothing was changed."),
    WireError.AUTHENTICATION_REQUIRED: _("Please log in first."),
    WireError.INVALID_TOKEN: _("The API token is not valid."),
    WireError.MEETING_NOT_PUBLIC: _("This meeting is not open to the public."),
    WireError.RATE_LIMITED: _("Too many requests; wait a moment and try again."),
    WireError.QUEUE_FULL: _("Too many requests at once; this one was not handled."),
    WireError.TOO_MANY_SOCKETS: _("You have too many connections open; close one first."),
    WireError.STREAM_INTERRUPTED: _("The server lost its live feed; reconnecting."),
    WireError.SESSION_REVOKED: _("Your login was ended (logged out, revoked, or its second "
                                 "factor reset). Log in again."),
}

#: Websocket close codes for refused connections (4000-4999 are free for applications).
CLOSE_CODES: dict[str, int] = {
    WireError.AUTHENTICATION_REQUIRED: 4401,
    WireError.INVALID_TOKEN: 4401,
    ErrorCode.NOT_A_PARTICIPANT: 4403,
    WireError.MEETING_NOT_PUBLIC: 4403,
    ErrorCode.MEETING_NOT_FOUND: 4404,
    WireError.TOO_MANY_SOCKETS: 4429,
    WireError.STREAM_INTERRUPTED: 4503,  # reconnect (with backoff) and sync
    WireError.SESSION_REVOKED: 4401,  # an open socket whose session or token was revoked
    IdentityError.SESSION_EXPIRED: 4401,  # the session was idle too long: log in again
}


def message_for(code: str) -> str:
    if code in WIRE_MESSAGES:
        return str(WIRE_MESSAGES[code])
    return str(error_message(code))


def error_body(code: str, message: Any = None, **details: Any) -> dict[str, Any]:
    return {
        "code": str(code),
        "message": str(message) if message is not None else message_for(code),
        "details": details,
    }


@dataclass
class FrameError(Exception):
    """A client frame was refused. ``frame_id`` is set when the reply can name the request."""

    code: str
    details: dict[str, Any] = field(default_factory=dict)
    frame_id: str | None = None

    def as_frame(self) -> dict[str, Any]:
        body = error_body(self.code, **self.details)
        if self.frame_id is not None:
            return {"v": VERSION, "type": "reply", "id": self.frame_id, "ok": False,
                    "error": body}
        return {"v": VERSION, "type": "error", "error": body}


@cache
def schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / f"{name}.json").read_text("utf-8"))


@cache
def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema(name))


def _reject_constant(value: str) -> Any:
    raise ValueError(f"{value} is not JSON")


def _usable_id(document: Any) -> str | None:
    """The frame's id if it is one we could echo back (so the error answers that request)."""
    if not isinstance(document, dict):
        return None
    frame_id = document.get("id")
    if isinstance(frame_id, str) and ID_PATTERN.fullmatch(frame_id):
        return frame_id
    return None


def cheap_id(text: str | None) -> str | None:
    """The id of a frame refused before parsing (``queue_full``), if it has a usable one."""
    if text is None or len(text) > 16 * 1024:
        return None
    try:
        return _usable_id(json.loads(text))
    except (ValueError, RecursionError):
        return None


def _where(error: Any) -> str:
    return "/".join(str(p) for p in error.absolute_path) or "(frame)"


COMMAND_KEYS = frozenset({"v", "type", "id", "name", "args"})
PING_KEYS = frozenset({"v", "type", "id"})
COMMAND_NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")


def is_plain_frame(document: Any) -> bool:
    """The everyday command or ping frame, checked by hand in a few microseconds (the schema
    takes a tenth of a millisecond, which a vote storm pays a thousand times). It accepts only
    frames the schema accepts too (a property test checks that); anything else goes to the
    schema."""
    if type(document) is not dict or type(document.get("v")) is not int or (
            document["v"] != VERSION):
        return False
    if type(document.get("id")) is not str or ID_PATTERN.fullmatch(document["id"]) is None:
        return False
    keys = document.keys()
    if keys == PING_KEYS:
        return document["type"] == "ping"
    return (
        keys == COMMAND_KEYS
        and document["type"] == "command"
        and type(document["name"]) is str and len(document["name"]) <= 64
        and COMMAND_NAME.fullmatch(document["name"]) is not None
        and type(document["args"]) is dict
    )


def parse_client_frame(text: str | None, *, max_bytes: int) -> dict[str, Any]:
    """Parse and validate one text frame; raise ``FrameError`` for anything not acceptable."""
    if text is None:
        raise FrameError(WireError.BAD_FRAME, {"reason": "binary frames are not supported"})
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise FrameError(WireError.FRAME_TOO_LARGE, {"max_bytes": max_bytes, "bytes": size})
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise FrameError(WireError.BAD_FRAME, {"reason": "not valid JSON"}) from None
    if is_plain_frame(document):
        return document
    frame_id = _usable_id(document)
    if isinstance(document, dict) and "v" in document and document["v"] != VERSION:
        raise FrameError(
            WireError.UNSUPPORTED_VERSION, {"supported": [VERSION]}, frame_id=frame_id
        )
    try:
        error = best_match(validator("client-frame").iter_errors(document))
    except RecursionError:
        raise FrameError(WireError.BAD_FRAME, {"reason": "nested too deeply"}) from None
    if error is not None:
        raise FrameError(
            WireError.BAD_FRAME,
            {"field": printable(_where(error)), "reason": printable(error.message[:200])},
            frame_id=frame_id,
        )
    if not ID_PATTERN.fullmatch(document["id"]):
        # The schema's pattern ends in "$", which Python also matches before a final newline.
        raise FrameError(WireError.BAD_FRAME, {"field": "id", "reason": "not a valid id"})
    if document["type"] == "command":
        if not COMMAND_NAME.fullmatch(document["name"]):
            raise FrameError(WireError.BAD_FRAME,
                             {"field": "name", "reason": "not a valid command name"},
                             frame_id=document["id"])
        document.setdefault("args", {})
    return document


def argument_error(errors: Any, frame_id: str) -> FrameError | None:
    """An ``invalid_argument`` error for the first schema violation of a command's args."""
    try:
        error = best_match(errors)
    except RecursionError:
        return FrameError(ErrorCode.INVALID_ARGUMENT, {"reason": "nested too deeply"},
                          frame_id=frame_id)
    if error is None:
        return None
    field_name = "/".join(str(p) for p in error.absolute_path) or "args"
    return FrameError(
        ErrorCode.INVALID_ARGUMENT,
        {"field": printable(field_name), "reason": printable(error.message[:200])},
        frame_id=frame_id,
    )


def text_error(args: dict[str, Any], frame_id: str) -> FrameError | None:
    """``invalid_argument`` for a string no database column takes (``realtime.textcheck``)."""
    problem = string_problem(args)
    if problem is None:
        return None
    field_name, reason = problem
    return FrameError(ErrorCode.INVALID_ARGUMENT,
                      {"field": printable(field_name), "reason": reason},
                      frame_id=frame_id)


# --- Server frames ---------------------------------------------------------------------------

def reply_ok(frame_id: str, result: dict[str, Any]) -> dict[str, Any]:
    return {"v": VERSION, "type": "reply", "id": frame_id, "ok": True, "result": result}


def reply_error(frame_id: str, error: dict[str, Any]) -> dict[str, Any]:
    return {"v": VERSION, "type": "reply", "id": frame_id, "ok": False, "error": error}


def error_frame(code: str, **details: Any) -> dict[str, Any]:
    return {"v": VERSION, "type": "error", "error": error_body(code, **details)}


def snapshot_frame(meeting_id: int, snapshot: dict[str, Any]) -> dict[str, Any]:
    return {"v": VERSION, "type": "snapshot", "meeting": meeting_id, "seq": snapshot["seq"],
            "data": snapshot}


#: ``?snapshot=head`` on the socket's URL: the snapshot frame carries only the stream's
#: position, for a client that reads the meeting's state elsewhere (Klubba's own pages fetch
#: it over HTTP). At a thousand seats the full snapshot is 230–310 KB per socket.
SNAPSHOT_HEAD = "head"
#: ``?snapshot=compact``: the full state with the rosters as tables (``realtime.snapshots``),
#: for script clients of big meetings.
SNAPSHOT_COMPACT = "compact"
SNAPSHOT_FULL = "full"


def head_snapshot_frame(meeting_id: int, seq: int, audience: str) -> dict[str, Any]:
    return snapshot_frame(meeting_id, {"seq": seq, "audience": audience,
                                       "view": SNAPSHOT_HEAD})


def pong(frame_id: str) -> dict[str, Any]:
    return {"v": VERSION, "type": "pong", "id": frame_id}


def dumps(frame: dict[str, Any]) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))
