"""Transport limits on a real Daphne (issue 13): a client frame just over 1 MiB (Daphne's old
default limit) is answered ``frame_too_large`` and the socket stays open, because the
application's limit (1 MiB) is below the transport limit (2 MiB) that ``bench.serve_multi``
(like ``make demo``) sets explicitly."""

from __future__ import annotations

import json
import sys
import tempfile

import pytest
from channels.db import database_sync_to_async

from tests.realtime_multi.test_multi_process import (
    open_client,
    server_env,
    start_servers,
    stop_servers,
)
from tests.support.committee import make_committee

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


async def test_a_frame_over_one_mib_gets_frame_too_large_and_the_socket_lives(monkeypatch):
    c = await database_sync_to_async(make_committee)(name="Ramnämnden")
    env = server_env("")
    env.pop("REDIS_URL", None)
    monkeypatch.setattr("tests.realtime_multi.test_multi_process.PROCESSES", 1)
    log = tempfile.TemporaryFile()
    proc, info = start_servers(env, log)
    client = None
    try:
        url = f"ws://127.0.0.1:{info['port']}/ws/public/meetings/{c.meeting.pk}/"
        client = await open_client(url, info, "public", token=None)
        frame = {"v": 1, "type": "ping", "id": "huge", "pad": ""}
        frame["pad"] = "x" * (1_048_577 - len(json.dumps(frame)))
        text = json.dumps(frame)
        assert len(text.encode()) == 1_048_577
        await client.ws.send(text)
        answer = await client.wait_for(lambda f: f.get("type") == "error", "an error frame")
        assert answer["error"]["code"] == "frame_too_large"
        assert answer["error"]["details"]["bytes"] == 1_048_577
        await client.ws.send(json.dumps({"v": 1, "type": "ping", "id": "alive"}))
        await client.wait_for(lambda f: f.get("type") == "pong", "a pong")
    except BaseException:
        log.seek(0)
        sys.stderr.write(f"--- serve_multi\n{log.read().decode(errors='replace')[-4000:]}")
        raise
    finally:
        if client is not None:
            await client.close()
        stop_servers(proc)
        log.close()
