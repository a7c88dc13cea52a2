"""Snapshots stay small: far below what any websocket stack accepts in one message.

A snapshot grows with what members write (proposals of up to 10,000 characters each), and a
snapshot too large for a client's websocket library (1 MiB by default in most) locks every new
socket out of the meeting, so nobody can even withdraw what made it large. If the encoded
snapshot is larger than ``KLUBBA["MAX_SNAPSHOT_BYTES"]``, long strings inside its lists
(proposal texts, descriptions) are shortened, step by step, until it fits; each shortened
object names its shortened keys in ``"truncated"`` and the snapshot's data gets
``"truncated": true``. The full texts stay in the log and in the ``event`` frames. If even the
shortest texts do not bring it under the limit, the texts are not what makes it large (a big
meeting's rosters are): it is then sent whole, since cutting would only lose them, unless it
is over ``WHOLE_UP_TO`` (then the cut one goes: smaller is all that can be done).

A client may also ask for the compact form (``?snapshot=compact``): the two rosters, a row per
seat and per participant, as tables (``columns`` once, then one array per row). At a thousand
seats they are nine tenths of the snapshot, and their keys repeated a thousand times are most
of that: the participants' snapshot goes from 341 KB to 121 KB, under the limit above, so the
proposal texts in it are not cut for the rosters' sake.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings

from realtime.protocol import SNAPSHOT_COMPACT

logger = logging.getLogger(__name__)

#: The snapshot's lists that the compact form sends as tables: short fields, one row per seat
#: or person. (Lists with long texts stay objects: the shortening above works on those.)
TABLES = ("seats", "participants")

#: Largest snapshot sent whole when cutting its texts cannot bring it under the limit: far
#: below the 1 MiB that most websocket libraries accept in one message.
WHOLE_UP_TO = 768 * 1024

#: Longest string kept in a list's object at each step (characters).
STEPS = (2000, 500, 120)


def max_bytes() -> int:
    return int(str(settings.KLUBBA.get("MAX_SNAPSHOT_BYTES", 256 * 1024)))


def shorten(value: Any, limit: int) -> Any:
    """``value`` with every string longer than ``limit`` in an object inside a list cut."""
    if isinstance(value, list):
        return [shorten_object(item, limit) if isinstance(item, dict) else shorten(item, limit)
                for item in value]
    if isinstance(value, dict):
        return {key: shorten(item, limit) for key, item in value.items()}
    return value


def shorten_object(row: dict[str, Any], limit: int) -> dict[str, Any]:
    cut = sorted({*row.get("truncated", ()),
                  *(k for k, v in row.items() if isinstance(v, str) and len(v) > limit)})
    out = {k: (v[:limit] + "…" if isinstance(v, str) and len(v) > limit else shorten(v, limit))
           for k, v in row.items()}
    if cut:
        out["truncated"] = cut
    return out


def fitted(data: dict[str, Any], encode: Callable[[dict[str, Any]], str]) -> str:
    """``encode(data)``, shortened as above if it is over the limit."""
    whole = encode(data)
    limit = max_bytes()
    size = len(whole.encode("utf-8"))
    if size <= limit:
        return whole
    meeting_id = data.get("meeting", {}).get("id")
    for step in STEPS:
        smaller = {key: shorten(value, step) for key, value in data.items()}
        smaller["truncated"] = True
        text = encode(smaller)
        if len(text.encode("utf-8")) <= limit:
            logger.warning("meeting %s: snapshot over %s bytes; texts cut to %s characters",
                           meeting_id, limit, step)
            return text
    if size > WHOLE_UP_TO:  # what a client's library may refuse: the cut one, at least smaller
        logger.error("meeting %s: snapshot is %s bytes even with texts cut to %s characters",
                     meeting_id, len(text.encode("utf-8")), STEPS[-1])
        return text
    # The texts are not what makes it large (a big meeting's rosters are): cutting them
    # would lose them and not bring it under the limit. Sent whole; said once per meeting.
    if meeting_id not in _whole_sent:
        _whole_sent.add(meeting_id)
        logger.warning("meeting %s: snapshot is %s bytes, over %s even with its texts cut, so "
                       "it is sent whole; script clients of big meetings should ask for "
                       "?snapshot=compact", meeting_id, size, limit)
    return whole


#: Meetings whose snapshot this process has sent whole over the limit (said once each).
_whole_sent: set[Any] = set()


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with its roster lists as ``{"columns": [...], "rows": [[...], ...]}`` and
    ``"view": "compact"``. The columns are every key of the list's objects, in the order first
    seen; a row that lacks one has ``null`` there."""
    out = {**data, "view": SNAPSHOT_COMPACT}
    for key in TABLES:
        rows = data.get(key)
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            continue
        columns = list(dict.fromkeys(k for row in rows for k in row))
        out[key] = {"columns": columns,
                    "rows": [[row.get(column) for column in columns] for row in rows]}
    return out
