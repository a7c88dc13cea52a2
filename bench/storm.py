"""The reconnect storm: ``kill -9`` one Daphne of the production topology with every client
connected, and measure until every client is back and synced; then the same number of
clients against the raw ``websockets`` floor, killed and restarted the same way.

Klubba side: the supervisor (``bench.serve_multi``) restarts only the killed process, on the
socket it kept open. The clients (``bench.clients``) come back with the browser client's
jittered exponential backoff and ask ``sync since=<last seq>``. Meanwhile the secretary (whose
own socket may be one of the dropped) pauses and resumes the meeting, so the log moves during
the storm. Correct means: every dropped client came back, every client's last seq is the log's
head, and each received every event of its audience's stream after its first snapshot exactly
once (order is not checked across a reconnect: a sync's events arrive after live ones).
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.clients import ClientPool, Target
from bench.procs import Server, base_env, python_module
from bench.stats import summary_ms

#: Backoff of the bench clients: the browser's (static/klubba/meeting.js).
BASE_S, CAP_S = 1.0, 30.0


def _after(times: list[float], start: float) -> dict:
    return summary_ms([t - start for t in times])


def _attempts(drops: dict) -> dict:
    """How hard the way back was: failed attempts per client, and why they failed."""
    failed = [len(row.get("failures", [])) for row in drops.values()]
    reasons = Counter(why for row in drops.values() for _t, why in row.get("failures", []))
    return {"failed": sum(failed), "clients_with_failures": sum(1 for n in failed if n),
            "most_failed": max(failed, default=0), "reasons": reasons.most_common(3)}


async def klubba_storm(pool: ClientPool, server: Server, driver: Any, helper, env: dict,
                       meeting_id: int, voter_gids: set[int], timeout: float) -> dict:
    out: dict[str, Any] = {}
    victim_index = len(server.pids) - 1
    victim = server.pids[victim_index]
    siblings = [p for p in server.pids if p != victim]
    await pool.reconnect(BASE_S, CAP_S)
    killed = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    # The log moves while the clients come back: two pauses and resumes.
    for r in range(2):
        await asyncio.sleep(0.5)
        await driver.command("meeting.pause", {"reason": f"storm {r}"}, timeout=timeout)
        await driver.command("meeting.resume", {}, timeout=timeout)
    deadline = killed + timeout
    restarted = None
    while time.monotonic() < deadline and restarted is None:
        lines = server.restarts()
        restarted = next((line for line in lines if line["restarted"] == victim_index), None)
        if restarted is None:
            await asyncio.sleep(0.1)
    out["supervisor_restarted"] = restarted is not None
    # When the supervisor started the new process (CLOCK_MONOTONIC is one clock for all the
    # machine's processes); it listens once it has loaded the application, later.
    out["restart_s"] = round(restarted["at"] - killed, 2) if restarted is not None else None
    out["siblings_kept"] = all(p in server.pids for p in siblings) and all(
        os.path.exists(f"/proc/{p}") for p in siblings)
    # Who dropped: every connection of the killed process (a second look catches late ones).
    await asyncio.sleep(1.0)
    drops = await pool.drops()
    dropped = sorted(drops)
    out["dropped"] = len(dropped)
    back = await pool.collect({"type": "reply", "id": "resync-{gid}"},
                              timeout=max(5.0, deadline - time.monotonic()), gids=dropped)
    drops = await pool.drops()  # again: now with the times they came back
    returns = {g: row["returns"][0] for g, row in drops.items() if row["returns"]}
    out["sync_after_back_ms"] = summary_ms([back["times"][g] - returns[g] for g in returns
                                            if g in back["times"]])
    out["not_back"] = len(dropped) - len(returns)
    out["reconnects"] = _attempts(drops)
    out["back_ms"] = _after(list(returns.values()), killed)  # new snapshot
    out["synced_ms"] = _after(list(back["times"].values()), killed)  # sync answered
    out["not_synced"] = len(back["missing"])
    head = (await helper(env, "head", "--meeting", str(meeting_id)))["seq"]
    while time.monotonic() < deadline:
        seqs = await pool.seqinfo()
        if all(row["last"] == head for row in seqs.values()):
            break
        await asyncio.sleep(0.5)
        head = (await helper(env, "head", "--meeting", str(meeting_id)))["seq"]
    out["all_at_head_s"] = round(time.monotonic() - killed, 2)
    detail = await pool.seqinfo(detail=True)
    streamed = await helper(env, "streamed", "--meeting", str(meeting_id))
    behind = gaps = dups = 0
    for gid, row in detail.items():
        audience = "participants" if gid in voter_gids else "public"
        expected = {s for s in streamed[audience] if s > (row["snapshot"] or 0)}
        behind += row["last"] != head
        gaps += bool(expected - set(row["events"]))
        dups += len(row["events"]) != len(set(row["events"]))
    out.update(head=head, behind=behind, with_gaps=gaps, with_duplicates=dups)
    out["counts"] = [out["not_back"] + out["not_synced"], behind, gaps, dups]
    out["correct"] = (out["not_back"] == 0 and out["not_synced"] == 0 and behind == 0
                      and gaps == 0 and dups == 0 and out["dropped"] > 0)
    return out


async def floor_storm(pool: ClientPool, count: int, log_dir: Path, timeout: float) -> dict:
    """``count`` clients on the raw ``websockets`` floor; kill -9 it, start it again on the
    same port at once (the supervisor's part), time until every client is back."""
    server = Server("floor-ws-storm", python_module("bench.floor_ws", "--hello"), base_env(),
                    log_dir)
    restarted: Server | None = None
    try:
        path = server.url("/")
        targets = [Target(gid=i, url=path) for i in range(count)]
        await pool.connect(targets, concurrency=pool.per_worker(16), timeout=60)
        await pool.collect({"type": "snapshot"}, timeout=60)
        await pool.reconnect(BASE_S, CAP_S)
        killed = time.monotonic()
        os.kill(server.pids[0], signal.SIGKILL)
        server.stop()
        restarted = Server("floor-ws-storm-2", python_module(
            "bench.floor_ws", "--hello", "--port", str(server.port)), base_env(), log_dir)
        up = time.monotonic() - killed
        await asyncio.sleep(1.0)
        drops = await pool.drops()
        deadline = killed + timeout
        while time.monotonic() < deadline:
            drops = await pool.drops()
            if len(drops) >= count and all(row["returns"] for row in drops.values()):
                break
            await asyncio.sleep(0.2)
        returns = [row["returns"][0] for row in drops.values() if row["returns"]]
        return {"clients": count, "dropped": len(drops), "not_back": count - len(returns),
                "server_up_s": round(up, 2), "back_ms": _after(returns, killed)}
    finally:
        await pool.close_all()
        server.stop()
        if restarted is not None:
            restarted.stop()
