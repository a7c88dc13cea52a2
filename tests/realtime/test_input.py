"""Strings no database takes (NUL, lone surrogates) and ids with a trailing newline are refused
at the protocol edge as ``invalid_argument``/``bad_frame`` naming the field: no client input
reaches the domain in a form that makes ``internal_error`` (issue 13). Runs on SQLite and,
with DATABASE_URL set, on PostgreSQL, where a NUL used to be a psycopg DataError."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.commands import item_activate, meeting_open
from realtime.commands import registry
from realtime.protocol import parse_client_frame
from realtime.textcheck import string_problem
from tests.support.committee import make_committee, roll_call_and_agenda
from tests.support.sockets import db, participant

pytestmark = pytest.mark.django_db(transaction=True)

#: Budgets out of the way: these tests send many commands from one socket on purpose.
UNLIMITED = {"COMMAND_BURST": 1e9, "USER_COMMAND_BURST": 1e9, "SYNC_BURST": 1e9}
BAD = ["a\x00b", "\ud800", "x\udfffy", "\udc00\ud800"]


def string_fields(schema: dict) -> list[tuple[str, bool]]:
    """(property, is a list of strings) for every string argument of a command schema."""
    found = []
    for key, prop in schema.get("properties", {}).items():
        options = prop.get("oneOf", [prop])
        for option in options:
            if option.get("type") == "string":
                found.append((key, False))
            elif option.get("type") == "array" and option.get("items", {}).get(
                    "type") == "string":
                found.append((key, True))
    return found


def args_for(schema: dict, ids: dict[str, int]) -> dict[str, Any]:
    """Schema-valid values for the required non-string arguments."""
    args: dict[str, Any] = {}
    for key in schema.get("required", []):
        prop = schema["properties"][key]
        option = prop.get("oneOf", [prop])[0]
        if "enum" in option:
            args[key] = option["enum"][0]
        elif option.get("type") == "integer":
            args[key] = ids.get(key, 1)
        elif option.get("type") == "array" and option["items"].get("type") == "integer":
            args[key] = [ids.get(key.rstrip("s"), 1)]
        elif option.get("type") == "array":
            args[key] = ["x"]
        elif option.get("type") == "string":
            args[key] = "x"
    return args


def committee_in_session():
    c = make_committee()
    m, s = c.meeting.pk, c.secretary
    meeting_open(meeting_id=m, actor=s)
    roll_call_and_agenda(c)
    item_activate(meeting_id=m, actor=s, item_id=c.items[0].pk)
    ids = {"item_id": c.items[0].pk, "user_id": c.members[1].pk, "user_id_": c.members[1].pk}
    return c, ids


STRING_COMMANDS = [(name, key, many) for name in registry.names()
                   for key, many in string_fields(registry.get(name).args_schema)]


def test_there_are_string_arguments_to_check():
    names = {name for name, _, _ in STRING_COMMANDS}
    assert {"meeting.pause", "recusal.record", "vote.open", "proposal.make"} <= names


async def test_every_string_argument_refuses_nul_and_lone_surrogates(settings, caplog):
    settings.KLUBBA = {**settings.KLUBBA, "BUDGETS": UNLIMITED}
    c, ids = await db(committee_in_session)()
    client = await participant(c.meeting.pk, user=c.secretary)
    with caplog.at_level(logging.INFO):
        for name, key, many in STRING_COMMANDS:
            schema = registry.get(name).args_schema
            for bad in BAD:
                args = {**args_for(schema, ids), key: [bad] if many else bad}
                reply = await client.command(name, args)
                assert not reply["ok"], (name, key, reply)
                error = reply["error"]
                assert error["code"] == "invalid_argument", (name, key, bad, error)
                assert error["details"]["field"] == (f"{key}/0" if many else key), error
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    await client.close()


def test_an_id_with_a_trailing_newline_is_refused():
    for frame in ({"v": 1, "type": "ping", "id": "p1\n"},
                  {"v": 1, "type": "sync", "id": "s1\n", "since": 0},
                  {"v": 1, "type": "command", "id": "c1\n", "name": "meeting.open"}):
        with pytest.raises(Exception) as caught:
            parse_client_frame(json.dumps(frame), max_bytes=16384)
        assert caught.value.code == "bad_frame", frame
    with pytest.raises(Exception) as caught:
        parse_client_frame(json.dumps({"v": 1, "type": "command", "id": "c2",
                                       "name": "meeting.open\n"}), max_bytes=16384)
    assert caught.value.code == "bad_frame" and caught.value.frame_id == "c2"


@pytest.mark.parametrize(("value", "field"), [
    ({"a": "ok", "b": ["x", "y\x00"]}, "b/1"),
    ({"k\ud800": 1}, "k\ud800"),
    ({"a": "😀 ok"}, None),
    ({"a": "x" * 10_001}, "a"),
])
def test_string_problem_names_the_field(value, field):
    problem = string_problem(value)
    assert (problem[0] if problem else None) == field


def test_every_string_schema_has_a_max_length():
    schema = registry.object_schema({"text": {"type": "string"}})
    with pytest.raises(ValueError, match="maxLength"):
        registry.register(registry.WireCommand("test.unbounded", lambda **kw: None, schema))


any_text = st.text(alphabet=st.one_of(st.characters(codec=None, categories=None),
                                      st.sampled_from(["\x00", "\ud800", "\udfff", "\n"])),
                   max_size=300)


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=st.tuples(st.sampled_from(STRING_COMMANDS), any_text))
def _fuzz(runner, case):
    runner(case)


def test_fuzzed_strings_never_make_an_internal_error(settings, caplog):
    settings.KLUBBA = {**settings.KLUBBA, "BUDGETS": UNLIMITED}
    c, ids = committee_in_session()
    loop = asyncio.new_event_loop()
    try:
        client = loop.run_until_complete(participant(c.meeting.pk, user=c.secretary))

        def runner(case) -> None:
            (name, key, many), text = case
            schema = registry.get(name).args_schema
            args = {**args_for(schema, ids), key: [text] if many else text}
            reply = loop.run_until_complete(client.command(name, args))
            if not reply["ok"]:
                assert reply["error"]["code"] != "internal_error", (name, args, reply)
            if string_problem(text) is not None:
                assert reply["error"]["code"] == "invalid_argument", (name, args, reply)

        with caplog.at_level(logging.INFO):
            _fuzz(runner)
        assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
        loop.run_until_complete(client.close())
    finally:
        loop.close()
