"""Malformed, oversized, unknown and random frames: always exactly one error frame (or error
reply), the connection stays open, a valid command still works, and no traceback is logged."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from django.conf import settings as django_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.commands import meeting_open
from realtime.commands import registry
from realtime.protocol import is_plain_frame, parse_client_frame, validator
from tests.support.committee import make_committee
from tests.support.sockets import Client, db, open_socket, participant, public

pytestmark = pytest.mark.django_db(transaction=True)

MAX = 16 * 1024  # the limit these pure parser tests pass in


async def answer_then_alive(client: Client, text: str) -> dict:
    """Send ``text``; return the one non-event answer; prove the socket is alive with a ping."""
    await client.send_text(text)
    answer = await client.wait_for(lambda f: f["type"] not in ("event", "progress"))
    await client.send({"v": 1, "type": "ping", "id": "alive"})
    nxt = await client.wait_for(lambda f: f["type"] not in ("event", "progress"))
    assert nxt == {"v": 1, "type": "pong", "id": "alive"}, ("second answer", nxt)
    return answer


def error_code(answer: dict) -> str:
    if answer["type"] == "error":
        return answer["error"]["code"]
    assert answer["type"] == "reply" and answer["ok"] is False, answer
    return answer["error"]["code"]


CASES = [
    ("{", "bad_frame", None),
    ("", "bad_frame", None),
    ("null", "bad_frame", None),
    ("[1, 2]", "bad_frame", None),
    ('"command"', "bad_frame", None),
    ("NaN", "bad_frame", None),
    ("[" * 5000 + "]" * 5000, "bad_frame", None),
    ('{"v": 1, "type": "command", "id": "a", "name": "meeting.pause", "args": {"reason": NaN}}',
     "bad_frame", None),
    (json.dumps({"v": 1, "type": "dance", "id": "d1"}), "bad_frame", "d1"),
    (json.dumps({"v": 2, "type": "ping", "id": "v2"}), "unsupported_version", "v2"),
    (json.dumps({"type": "ping", "id": "nov"}), "bad_frame", "nov"),
    (json.dumps({"v": 1, "type": "command", "name": "meeting.open"}), "bad_frame", None),
    (json.dumps({"v": 1, "type": "command", "id": "x" * 65, "name": "meeting.open"}),
     "bad_frame", None),
    (json.dumps({"v": 1, "type": "command", "id": "n1", "name": "meeting.fly"}),
     "unknown_command", "n1"),
    (json.dumps({"v": 1, "type": "command", "id": "n2", "name": 7}), "bad_frame", "n2"),
    (json.dumps({"v": 1, "type": "command", "id": "a1", "name": "item.activate",
                 "args": {"item_id": "two"}}), "invalid_argument", "a1"),
    (json.dumps({"v": 1, "type": "command", "id": "a2", "name": "item.activate",
                 "args": {}}), "invalid_argument", "a2"),
    (json.dumps({"v": 1, "type": "command", "id": "a3", "name": "item.activate",
                 "args": {"item_id": 1, "extra": True}}), "invalid_argument", "a3"),
    (json.dumps({"v": 1, "type": "command", "id": "a4", "name": "item.activate",
                 "args": []}), "bad_frame", "a4"),
    (json.dumps({"v": 1, "type": "command", "id": "a5", "name": "attendance.confirm",
                 "args": {"user_ids": [1.5]}}), "invalid_argument", "a5"),
    (json.dumps({"v": 1, "type": "sync", "id": "s1", "since": -1}), "bad_frame", "s1"),
    (json.dumps({"v": 1, "type": "sync", "id": "s2", "since": "3"}), "bad_frame", "s2"),
    (json.dumps({"v": 1, "type": "command", "id": "big", "name": "meeting.pause",
                 "args": {"reason": "x" * int(django_settings.KLUBBA["MAX_FRAME_BYTES"])}}),
     "frame_too_large", None),
    (json.dumps({"v": 1, "type": "command", "id": "b1", "name": "item.activate",
                 "args": {"item_id": 999999}}), "item_not_found", "b1"),
]


async def test_each_bad_frame_gets_its_documented_error_and_the_socket_lives(caplog):
    c = await db(make_committee)()
    await db(meeting_open)(meeting_id=c.meeting.pk, actor=c.secretary)
    client = await participant(c.meeting.pk, user=c.secretary)
    with caplog.at_level(logging.INFO):
        for text, code, frame_id in CASES:
            answer = await answer_then_alive(client, text)
            assert error_code(answer) == code, (text[:80], answer)
            assert answer["error"]["message"]
            if frame_id is None:
                assert answer["type"] == "error", answer
            else:
                assert answer["id"] == frame_id, answer
        await client.ws.send_to(bytes_data=b"\x00\x01")
        answer = await client.wait_for(lambda f: f["type"] not in ("event", "progress"))
        assert error_code(answer) == "bad_frame"
        reply = await client.command("roll_call.start")
        assert reply["ok"], reply
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    assert not [r for r in caplog.records if "x" * 100 in r.getMessage()], "frame logged"
    await client.close()


async def test_public_socket_refuses_every_command_but_answers_ping_and_sync():
    c = await db(make_committee)()
    watcher = await public(c.meeting.pk)
    for name in registry.names():
        reply = await watcher.command(name, {})
        assert reply["error"]["code"] == "permission_denied", (name, reply)
    answer = await answer_then_alive(watcher, json.dumps({"v": 1, "type": "sync", "id": "s",
                                                           "since": 0}))
    assert answer["ok"] and answer["result"]["events"] == 0
    await watcher.close()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
frame_like = st.fixed_dictionaries(
    {},
    optional={
        "v": st.sampled_from([1, 2, "1", None, 1.0]),
        "type": st.sampled_from(["command", "sync", "ping", "event", "", 3]),
        "id": st.one_of(st.text(max_size=70), st.integers()),
        "name": st.one_of(st.sampled_from(["item.activate", "meeting.pause",
                                           "attendance.confirm", "nope.nope"]), st.text()),
        "args": json_values,
        "since": json_values,
    },
)
garbage = st.one_of(
    st.text(max_size=200),
    json_values.map(json.dumps),
    frame_like.map(json.dumps),
)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(garbage, min_size=1, max_size=5))
def _property(runner, texts):
    runner(texts)


def test_random_frames_always_get_one_answer_and_the_socket_lives(caplog):
    """Hypothesis garbage on one long-lived member socket (commands a member may not run are
    refused; the few a member may run are fine either way)."""
    c = make_committee()
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    loop = asyncio.new_event_loop()
    try:
        client = loop.run_until_complete(participant(c.meeting.pk, user=c.members[2]))

        def runner(texts: list[str]) -> None:
            for text in texts:
                answer = loop.run_until_complete(answer_then_alive(client, text))
                if answer["type"] == "reply" and answer["ok"]:
                    continue  # a random frame that happens to be a valid ping/sync/command
                assert answer["type"] in ("error", "reply", "pong"), answer
                if answer["type"] != "pong":
                    assert error_code(answer)

        with caplog.at_level(logging.INFO):
            _property(runner)
            reply = loop.run_until_complete(client.command("attendance.check_in", {}))
        assert reply["ok"], reply
        assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
        loop.run_until_complete(client.close())
    finally:
        loop.close()


@pytest.mark.parametrize(("headers", "query", "message"), [
    ([(b"accept-language", b"en-GB,en;q=0.9")], "", "There is no such command."),
    ([], "?lang=en", "There is no such command."),
    ([], "", "Det finns inget sådant kommando."),
])
async def test_messages_follow_the_clients_language(headers, query, message):
    c = await db(make_committee)()
    accepted, _, client = await open_socket(f"/ws/public/meetings/{c.meeting.pk}/{query}",
                                            headers=headers)
    assert accepted
    await client.recv()  # snapshot
    reply = await client.command("no.such")
    assert reply["error"] == {"code": "unknown_command", "message": message,
                              "details": {"name": "no.such"}}
    await client.close()


async def test_a_bug_in_a_handler_is_an_internal_error_and_the_socket_lives(monkeypatch, caplog):
    def broken(**kwargs):
        raise ZeroDivisionError("a genuine bug")

    command = registry.WireCommand("test.broken", broken, registry.object_schema())
    monkeypatch.setitem(registry._commands, command.name, command)
    monkeypatch.setitem(registry._validators, command.name,
                        registry.Draft202012Validator(command.args_schema))
    c = await db(make_committee)()
    client = await participant(c.meeting.pk, user=c.secretary)
    with caplog.at_level(logging.INFO):
        reply = await client.command("test.broken", {})
    assert reply["error"]["code"] == "internal_error" and reply["error"]["details"] == {}
    assert "a genuine bug" not in json.dumps(reply)
    assert [r for r in caplog.records if r.exc_info], "a genuine bug keeps its traceback"
    assert (await client.command("meeting.open"))["ok"]
    await client.close()


command_like = st.fixed_dictionaries(
    {"v": st.sampled_from([1, 1.0, True, 2, "1"]),
     "type": st.sampled_from(["command", "sync", "ping"]),
     "id": st.one_of(st.from_regex(r"[A-Za-z0-9._:~-]{1,64}", fullmatch=True),
                     st.text(max_size=70), st.just("x\n")),
     "name": st.one_of(st.sampled_from(["item.activate", "ballot.cast", "a.b", "Ab.c", "a..b",
                                        "ballot.cast\n", "a" * 65 + ".b"]), st.text(max_size=70)),
     "args": json_values},
    optional={"since": json_values, "extra": json_values},
)
ping_like = st.fixed_dictionaries(
    {"v": st.sampled_from([1, 1.0, True, 2]),
     "type": st.sampled_from(["ping", "command", "sync"]),
     "id": st.one_of(st.from_regex(r"[A-Za-z0-9._:~-]{1,64}", fullmatch=True),
                     st.text(max_size=70), st.just("x\n"), st.integers())},
    optional={"name": st.just("a.b"), "args": json_values},
)


@settings(max_examples=400, deadline=None)
@given(document=st.one_of(command_like, ping_like))
def test_the_fast_path_accepts_only_what_the_schema_accepts(document):
    """``is_plain_frame`` skips the schema for everyday command and ping frames; it must never
    let through a frame the schema would refuse."""
    if is_plain_frame(document):
        assert validator("client-frame").is_valid(document), document


@pytest.mark.parametrize("frame", [
    {"v": 1, "type": "command", "id": "storm-12", "name": "ballot.cast",
     "args": {"vote_id": 3, "choice": "ja"}},
    {"v": 1, "type": "ping", "id": "p-1"},
])
def test_the_fast_path_takes_everyday_frames(frame):
    assert is_plain_frame(frame)
    assert parse_client_frame(json.dumps(frame), max_bytes=MAX) == frame
