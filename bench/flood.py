"""What a member's flood costs everyone else (issue 13): ``python -m bench.flood``.

One Daphne (``bench.serve_multi --processes 1``, a fresh SQLite database and the in-memory
channel layer, as the bench's embedded topology), default budgets. The secretary sends
``roll_call.start`` ROUNDS times, one after the other; an observer (another member's socket)
times each event from the secretary's send to its arrival. First without load (baseline),
then while two members flood as fast as their sockets take it: one ``proposal.make``, one
``attendance.check_in`` (already present). Prints one JSON object: the observer's latency
(p50, p99, max, mean, in ms) in both phases, the ratio of medians, and what the floods were
answered. Bounded: ``--rounds`` events per phase, every wait at most 60 s; everything stops
at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from websockets.asyncio.client import connect

from bench.klubba_scenario import klubba_env, prepare
from bench.procs import Server, python_module
from bench.stats import summary_ms

WAIT = 60.0


class Socket:
    def __init__(self, ws) -> None:
        self.ws = ws
        self.arrived: dict[int, float] = {}  # event seq -> arrival time
        self.replies: dict[str, dict] = {}
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for text in self.ws:
            frame = json.loads(text)
            if frame.get("type") == "event":
                self.arrived.setdefault(frame["seq"], time.monotonic())
            elif frame.get("type") == "reply":
                self.replies[frame["id"]] = frame

    async def send(self, frame_id: str, name: str, args: dict) -> None:
        await self.ws.send(json.dumps({"v": 1, "type": "command", "id": frame_id,
                                       "name": name, "args": args}))

    async def until(self, check, what: str) -> None:
        deadline = time.monotonic() + WAIT
        while not check():
            if time.monotonic() > deadline:
                raise TimeoutError(what)
            await asyncio.sleep(0.002)


async def open_socket(server: Server, meeting_id: int, token: str) -> Socket:
    ws = await connect(server.url(f"/ws/meetings/{meeting_id}/"), open_timeout=WAIT,
                       additional_headers={"Authorization": f"Bearer {token}"},
                       max_size=2**22, ping_interval=None)
    return Socket(ws)


async def phase(secretary: Socket, observer: Socket, tag: str, rounds: int) -> list[float]:
    """Seconds from the secretary's send to the observer's event, per round."""
    latencies = []
    for n in range(rounds):
        frame_id = f"{tag}-{n}"
        sent = time.monotonic()
        await secretary.send(frame_id, "roll_call.start", {})
        await secretary.until(lambda i=frame_id: i in secretary.replies, f"reply {frame_id}")
        reply = secretary.replies[frame_id]
        if not reply["ok"]:
            raise RuntimeError(f"secretary refused: {reply}")
        seq = reply["result"]["seq"]
        await observer.until(lambda s=seq: s in observer.arrived, f"event {seq}")
        latencies.append(observer.arrived[seq] - sent)
        await asyncio.sleep(0.25)  # four a second: within the secretary's own budget
    return latencies


async def flood(sock: Socket, name: str, args: dict, stop: asyncio.Event) -> int:
    """Send as fast as the socket takes it until ``stop``; return how many were sent."""
    sent = 0
    while not stop.is_set():
        await sock.send(f"{name}-{sent}", name, args)
        sent += 1
        await asyncio.sleep(0.001)
    return sent


def answered(sock: Socket, name: str) -> dict[str, int]:
    return dict(Counter("ok" if r["ok"] else r["error"]["code"]
                        for i, r in sock.replies.items() if i.startswith(name)))


async def run(rounds: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="klubba-flood-") as tmp:
        log_dir = Path(tmp)
        env = klubba_env(log_dir, "flood")
        info = await prepare(env, 10, log_dir, "flood")
        server = Server("klubba-flood", python_module("bench.serve_multi", "--processes", "1",
                                                      "--port", "0"), env, log_dir)
        sockets: list[Socket] = []
        try:
            mid = info["meeting_id"]
            voters = info["voters"]
            secretary = await open_socket(server, mid, info["secretary"]["token"])
            observer = await open_socket(server, mid, voters[3]["token"])
            proposer = await open_socket(server, mid, voters[1]["token"])
            checker = await open_socket(server, mid, voters[2]["token"])
            sockets = [secretary, observer, proposer, checker]
            await asyncio.sleep(1.0)  # snapshots and presence settle
            baseline = await phase(secretary, observer, "base", rounds)
            stop = asyncio.Event()
            floods = [asyncio.create_task(flood(proposer, "proposal.make", {"kind": "avslag"},
                                                stop)),
                      asyncio.create_task(flood(checker, "attendance.check_in",
                                                {"remote": False}, stop))]
            await asyncio.sleep(0.5)  # the floods are running
            loaded = await phase(secretary, observer, "load", rounds)
            stop.set()
            sent = await asyncio.gather(*floods)
            await asyncio.sleep(1.0)  # the last flood replies arrive
            base_ms, load_ms = summary_ms(baseline), summary_ms(loaded)
            return {
                "rounds": rounds,
                "baseline_ms": base_ms,
                "under_flood_ms": load_ms,
                "ratio_p50": round(load_ms["p50"] / base_ms["p50"], 2),
                "flood_sent": {"proposal.make": sent[0], "attendance.check_in": sent[1]},
                "flood_answered": {"proposal.make": answered(proposer, "proposal.make"),
                                   "attendance.check_in": answered(checker,
                                                                   "attendance.check_in")},
            }
        finally:
            for sock in sockets:
                sock.reader.cancel()
                try:
                    await asyncio.wait_for(sock.ws.close(), 5)
                except Exception:
                    pass
            server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.flood", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args(argv)
    print(json.dumps(asyncio.run(run(args.rounds)), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
