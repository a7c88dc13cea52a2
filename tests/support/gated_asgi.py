"""An ASGI application whose import waits until a gate file exists (``KLUBBA_TEST_GATE``).

It stands in for a Daphne that is still loading Django: while the gate is closed the process
cannot serve, and a test can look at what its port does meanwhile."""

from __future__ import annotations

import os
import time

_GATE = os.environ.get("KLUBBA_TEST_GATE", "")
_deadline = time.monotonic() + 60  # never blocks a run for longer
while _GATE and not os.path.exists(_GATE) and time.monotonic() < _deadline:
    time.sleep(0.02)


async def application(scope, receive, send) -> None:  # noqa: ANN001 - the ASGI signature
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": f"pid {os.getpid()}".encode()})
