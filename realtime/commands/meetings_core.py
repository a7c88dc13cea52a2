"""Wire names for the foundation's meeting-control and attendance commands."""

from __future__ import annotations

from meetings import commands as c
from realtime.commands.registry import (
    ID,
    ID_LIST,
    SHORT_TEXT,
    WireCommand,
    object_schema,
)

NO_ARGS = object_schema()

CORE_COMMANDS = [
    WireCommand("meeting.open", c.meeting_open, NO_ARGS),
    WireCommand("meeting.pause", c.meeting_pause, object_schema({"reason": SHORT_TEXT})),
    WireCommand("meeting.resume", c.meeting_resume, NO_ARGS),
    WireCommand("meeting.adjourn", c.meeting_adjourn, NO_ARGS),
    WireCommand("roll_call.start", c.roll_call_start, NO_ARGS),
    WireCommand(
        "attendance.check_in", c.attendance_check_in,
        object_schema({"user_id": ID, "remote": {"type": "boolean"}}),
    ),
    WireCommand(
        "attendance.check_out", c.attendance_check_out, object_schema({"user_id": ID}),
    ),
    WireCommand(
        "attendance.confirm", c.attendance_confirm,
        object_schema({"user_ids": ID_LIST}, required=["user_ids"]),
    ),
    WireCommand("agenda.approve", c.agenda_approve, NO_ARGS),
    WireCommand("item.activate", c.item_activate, object_schema({"item_id": ID}, ["item_id"])),
    WireCommand(
        "item.close", c.item_close,
        object_schema({"item_id": ID, "without_decision": {"type": "boolean"},
                       "reason": {"type": "string", "maxLength": 500}}, ["item_id"]),
    ),
    WireCommand(
        "adjusters.choose", c.adjusters_choose,
        object_schema({"user_ids": {**ID_LIST, "maxItems": 10}}, required=["user_ids"]),
    ),
]
