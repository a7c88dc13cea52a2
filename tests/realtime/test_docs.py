"""docs/protocol.md documents every error code, every core command and event, and its Python
client example at least compiles."""

from __future__ import annotations

import re
from pathlib import Path

from meetings.errors import error_codes
from realtime.commands.meetings_core import CORE_COMMANDS
from realtime.protocol import WireError

DOC = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text("utf-8")


def test_every_error_code_has_a_row():
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", DOC, flags=re.MULTILINE))
    missing = [code for code in [*WireError, *error_codes()] if code not in rows]
    assert not missing, (
        f"{missing} are not in docs/protocol.md: run `manage.py update_protocol_codes`"
    )


def test_every_core_command_and_event_is_documented():
    for command in CORE_COMMANDS:
        assert f'"name":"{command.name}"' in DOC, command.name
        assert f"| `{command.name}` |" in DOC, command.name
    for event in ("meeting.opened", "meeting.paused", "meeting.resumed", "meeting.adjourned",
                  "roll_call.started", "attendance.checked_in", "attendance.checked_out",
                  "attendance.confirmed", "agenda.approved", "item.activated", "item.closed",
                  "adjusters.chosen", "presence.connected", "presence.lost",
                  "presence.expired", "redacted", "quorum.changed", "agenda.item_added",
                  "agenda.item_changed", "agenda.item_removed", "agenda.reordered",
                  "agenda.attachment_added", "agenda.attachment_removed"):
        assert f'"event":"{event}"' in DOC or f"`{event}`" in DOC, event


def test_the_python_client_example_compiles():
    blocks = re.findall(r"```python\n(.*?)```", DOC, flags=re.DOTALL)
    assert blocks and "Authorization" in blocks[0] and "Bearer" in blocks[0]
    compile(blocks[0], "protocol.md", "exec")
