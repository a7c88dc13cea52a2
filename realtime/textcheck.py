"""Strings a client sends are checked here before any domain command sees them.

The argument schemas bound types and lengths, but JSON can also carry characters no database
column takes: a NUL (``\\u0000``; PostgreSQL text refuses it) and a lone UTF-16 surrogate
(``\\ud800``; it cannot be encoded as UTF-8). Left to the database they surface as a driver
error, i.e. ``internal_error`` with a traceback; here they are ``invalid_argument`` naming the
field, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from typing import Any

#: A NUL or a surrogate code point. ``json.loads`` joins a valid surrogate pair into one
#: code point, so any surrogate left in a decoded string is a lone one.
BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")

#: The longest string any argument may be, whatever its schema says (every string schema
#: must also declare its own ``maxLength``: ``realtime.commands.registry.register``).
MAX_STRING = 10_000


def string_problem(value: Any, path: str = "") -> tuple[str, str] | None:
    """The first bad string in ``value`` as ``(field path, reason)``, or None.

    Walks dicts (keys too) and lists of any depth the schema let through."""
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            return path or "(value)", f"longer than {MAX_STRING} characters"
        match = BAD_CHARACTER.search(value)
        if match is None:
            return None
        kind = "NUL character" if match.group() == "\x00" else "lone surrogate"
        return path or "(value)", f"contains a {kind} at position {match.start()}"
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}/{key}" if path else str(key)
            problem = string_problem(key, where) or string_problem(item, where)
            if problem is not None:
                return problem
    elif isinstance(value, list):
        for index, item in enumerate(value):
            problem = string_problem(item, f"{path}/{index}" if path else str(index))
            if problem is not None:
                return problem
    return None


def printable(text: str) -> str:
    """``text`` safe to echo in a server frame (a lone surrogate cannot be sent as UTF-8)."""
    return BAD_CHARACTER.sub("\ufffd", text)


def unbounded_strings(schema: Any, path: str = "") -> list[str]:
    """Paths in a JSON schema where a string has no ``maxLength`` (a registration bug)."""
    found: list[str] = []
    if isinstance(schema, dict):
        if schema.get("type") == "string" and "maxLength" not in schema:
            found.append(path or "(schema)")
        for key, sub in schema.items():
            found += unbounded_strings(sub, f"{path}/{key}")
    elif isinstance(schema, list):
        for index, sub in enumerate(schema):
            found += unbounded_strings(sub, f"{path}/{index}")
    return found
