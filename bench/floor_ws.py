"""Floor (a): a raw `websockets` broadcast server, one process, no framework.

Every connection joins one set; a text frame ``fire:<round>`` broadcasts one frame to all of
them with ``websockets.broadcast`` (one write per socket, no per-connection task). Prints
``{"host", "port", "pids"}`` as one JSON line once it listens.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time

from websockets.asyncio.server import broadcast, serve

from bench.serve_multi import listening_socket
from bench.sysinfo import raise_nofile

# Pads a broadcast to the size of a typical Klubba event frame, so the floors carry as many bytes.
PAD = "x" * 300


async def run(host: str, port: int, hello: bool = False) -> None:
    clients: set = set()

    async def handler(ws) -> None:
        clients.add(ws)
        if hello:  # the reconnect storm's floor: a first frame, as Klubba's snapshot
            await ws.send(json.dumps({"type": "snapshot", "seq": 0}))
        try:
            async for message in ws:
                if isinstance(message, str) and message.startswith("fire:"):
                    text = json.dumps({"type": "bcast", "round": message[5:],
                                       "ts": time.monotonic(), "pad": PAD})
                    broadcast(clients, text)
                elif isinstance(message, str) and message.startswith("{"):
                    frame = json.loads(message)  # a protocol ping: the ping-storm floor
                    if frame.get("type") == "ping":
                        await ws.send(json.dumps({"v": 1, "type": "pong", "id": frame["id"]}))
        finally:
            clients.discard(ws)

    sock = listening_socket(host, port, reuseport=False, backlog=4096)
    async with serve(handler, sock=sock, compression=None, max_size=2**20):
        print(json.dumps({"host": host, "port": sock.getsockname()[1], "pids": [os.getpid()]}),
              flush=True)
        await asyncio.Future()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--hello", action="store_true",
                        help="send each new connection one first frame (bench.storm)")
    args = parser.parse_args()
    raise_nofile()
    try:
        asyncio.run(run(args.host, args.port, args.hello))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
