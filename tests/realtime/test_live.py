"""Two real Daphne processes on one Redis channel layer: a command sent to process A reaches a
client of process B (and a public client of B, as the public sees it). Scripted clients use the
``websockets`` package with a Bearer token, exactly as docs/protocol.md shows."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
import websockets
from django.db import connection

from tests.support.committee import make_committee
from tests.support.services import require_redis
from tests.support.sockets import api_token, db

pytestmark = [pytest.mark.live, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
WAIT = 30  # seconds: an upper bound for slow shared machines, not a timing assertion


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(redis_url: str) -> dict[str, str]:
    """The environment that makes a subprocess use this test's database and Redis."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "REDIS_URL": redis_url,
           "PYTHONPATH": str(ROOT)}
    db_settings = connection.settings_dict
    if db_settings["ENGINE"].endswith("sqlite3"):
        env["KLUBBA_SQLITE_PATH"] = str(db_settings["NAME"])
        env.pop("DATABASE_URL", None)
    else:
        user = quote(db_settings["USER"] or "")
        password = quote(db_settings["PASSWORD"] or "")
        auth = f"{user}:{password}@" if password else f"{user}@"
        env["DATABASE_URL"] = (
            f"postgres://{auth}{db_settings['HOST'] or '127.0.0.1'}:"
            f"{db_settings['PORT'] or 5432}/{db_settings['NAME']}"
        )
    return env


async def wait_listening(port: int, process: subprocess.Popen) -> None:
    deadline = asyncio.get_running_loop().time() + WAIT
    while asyncio.get_running_loop().time() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"daphne on port {port} exited with {process.returncode}")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.2)
    raise AssertionError(f"daphne on port {port} did not start in {WAIT}s")


async def next_frame(ws, predicate) -> dict:
    async def read() -> dict:
        while True:
            frame = json.loads(await ws.recv())
            if predicate(frame):
                return frame

    return await asyncio.wait_for(read(), WAIT)


async def test_an_event_made_on_process_a_reaches_a_client_on_process_b():
    redis_url = require_redis()
    c = await db(make_committee)()
    secretary_token = await db(api_token)(c.secretary)
    member_token = await db(api_token)(c.members[1])
    env = server_env(redis_url)
    ports = [free_port(), free_port()]
    logs = [tempfile.TemporaryFile() for _ in ports]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
             "klubba.asgi:application"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        for port, log in zip(ports, logs, strict=True)
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            await wait_listening(port, process)
        path = f"/ws/meetings/{c.meeting.pk}/"
        a, b = (f"ws://127.0.0.1:{port}" for port in ports)
        async with (
            websockets.connect(a + path, open_timeout=WAIT,
                               additional_headers={"Authorization": f"Bearer {secretary_token}"})
            as sec,
            websockets.connect(b + path, open_timeout=WAIT,
                               additional_headers={"Authorization": f"Bearer {member_token}"})
            as member,
            websockets.connect(f"{b}/ws/public/meetings/{c.meeting.pk}/", open_timeout=WAIT,
                               origin=f"http://127.0.0.1:{ports[1]}") as watcher,
        ):
            for ws in (sec, member, watcher):
                snapshot = await next_frame(ws, lambda f: True)
                assert snapshot["type"] == "snapshot" and snapshot["seq"] == 0
            await sec.send(json.dumps({"v": 1, "type": "command", "id": "live-open",
                                       "name": "meeting.open", "args": {}}))
            reply = await next_frame(sec, lambda f: f["type"] == "reply")
            assert reply["ok"] and reply["result"]["seq"] == 1, reply
            seen = await next_frame(member, lambda f: f["type"] == "event")
            assert (seen["seq"], seen["event"]) == (1, "meeting.opened")
            public_seen = await next_frame(watcher, lambda f: f["type"] == "event")
            assert (public_seen["seq"], public_seen["event"]) == (1, "meeting.opened")
            # ...and back: the member's check-in on B reaches the secretary on A.
            await member.send(json.dumps({"v": 1, "type": "command", "id": "live-in",
                                          "name": "attendance.check_in", "args": {}}))
            reply = await next_frame(member, lambda f: f["type"] == "reply")
            assert reply["ok"], reply
            back = await next_frame(sec, lambda f: f.get("event") == "attendance.checked_in")
            assert back["data"]["user_id"] == c.members[1].pk
    except BaseException:
        for port, log in zip(ports, logs, strict=True):
            log.seek(0)
            sys.stderr.write(f"--- daphne :{port}\n{log.read().decode(errors='replace')[-4000:]}")
        raise
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        for log in logs:
            log.close()
