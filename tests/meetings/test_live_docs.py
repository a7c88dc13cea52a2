"""docs/protocol.md documents every live-meeting command, its events and its error codes."""

from __future__ import annotations

import re
from pathlib import Path

from realtime.commands.meetings_live import LIVE_COMMANDS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text("utf-8")
SECTION = DOC.split("## Live meeting commands", 1)[1].split("\n## ", 1)[0]

EVENTS = ["substitute.called_in", "substitute.released", "recusal.declared",
          "recusal.recorded", "recusal.withdrawn", "speaker.requested", "speaker.withdrawn",
          "speaker.floor_given", "speaker.done", "proposal.made", "proposal.withdrawn"]


def test_every_live_command_has_a_heading_and_an_example():
    for command in LIVE_COMMANDS:
        assert f"### `{command.name}`" in SECTION, command.name
        assert f'"name": "{command.name}"' in SECTION, command.name


def test_every_live_event_is_shown():
    for event in EVENTS:
        assert f'"event": "{event}"' in SECTION, event


def test_every_argument_is_named():
    for command in LIVE_COMMANDS:
        heading = SECTION.split(f"### `{command.name}`", 1)[1].split("\n### ", 1)[0]
        for name in command.args_schema["properties"]:
            assert f"`{name}`" in heading, (command.name, name)


def test_error_codes_named_in_the_section_exist():
    table = set(re.findall(r"^\| `([a-z_]+)` \|", DOC, flags=re.MULTILINE))
    named = set(re.findall(r"Errors: (.*?)\.\n\n", SECTION, flags=re.DOTALL))
    # Explanations in parentheses may name settings or values; the codes are outside them.
    codes = {c for line in named
             for c in re.findall(r"`([a-z_]+)`", re.sub(r"\([^()]*\)", "", line))}
    assert codes and codes <= table, codes - table
