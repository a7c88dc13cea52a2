"""The floors: the same clients and the same N against servers with no Klubba code.

(a) a raw `websockets` broadcast server; (b) a bare Channels consumer doing ``group_send`` to
one group, served by Daphne (in-memory layer); (c) the process-local fan-out under Daphne, the
reference; and (c) served as the production topology is: two Daphnes on the Redis layer behind
nginx with TLS. What Klubba costs is read against these, each topology against its own.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

from websockets.asyncio.client import connect

from bench.clients import ClientPool, Target
from bench.procs import Server, base_env, python_module
from bench.stats import median_of, summary_ms


async def fanout_rounds(pool: ClientPool, server: Server, path: str, rounds: int,
                        warmup: int = 1, timeout: float = 60) -> dict:
    """Trigger `warmup + rounds` broadcasts; latency = trigger sent -> each client's receipt."""
    per_round = []
    origin = f"http://{server.host}:{server.port}"
    tls = server.front.client_tls() if server.front is not None else None
    async with connect(server.url(path), origin=origin, compression=None,
                       ping_interval=None, ssl=tls) as trigger:
        for r in range(warmup + rounds):
            cpu0 = server.cpu()
            t0 = time.monotonic()
            await trigger.send(f"fire:{r}")
            got = await pool.collect({"type": "bcast", "round": str(r)}, timeout=timeout)
            lat = [t - t0 for t in got["times"].values()]
            stats = summary_ms(lat)
            stats["missing"] = len(got["missing"])
            stats["server_cpu_s"] = round(server.cpu() - cpu0, 3)
            if r >= warmup:
                per_round.append(stats)
            await asyncio.sleep(0.3)
    return {"rounds": per_round, "p50": median_of(per_round, "p50"),
            "p99": median_of(per_round, "p99"), "max": median_of(per_round, "max"),
            "missing": max((r["missing"] for r in per_round), default=0)}


async def ping_storm(pool: ClientPool, gids: list[int], timeout: float) -> dict:
    """Every listed client sends a protocol ping at once; latency = its send -> its pong.
    The same burst as the vote storm without any database work: the stack's share."""
    pings = [(gid, json.dumps({"v": 1, "type": "ping", "id": f"ping-{gid}"})) for gid in gids]
    sent = await pool.send(pings)
    pongs = await pool.collect({"type": "pong", "id": "ping-{gid}"}, timeout=timeout, gids=gids)
    return {**summary_ms([t - sent["sent"][g] for g, t in pongs["times"].items()
                          if g in sent["sent"]]), "missing": len(pongs["missing"])}


async def measure(pool: ClientPool, server: Server, path: str, n: int, args: Any,
                  pingers: int = 0) -> dict:
    rounds = args.rounds
    await asyncio.sleep(0.5)
    rss0 = server.rss()
    conn = await pool.connect([Target(gid=i, url=server.url(path)) for i in range(n)],
                              concurrency=pool.per_worker(args.connect_concurrency))
    await asyncio.sleep(1.0)
    rss1 = server.rss()
    try:
        fanout = await fanout_rounds(pool, server, path, rounds)
        pings = await ping_storm(pool, list(range(pingers)), timeout=60) if pingers else None
    finally:
        await pool.close_all()
    connected = conn["connected"]
    return {
        "clients": n,
        "connected": connected,
        "connect_errors": conn["errors"][:5],
        "connect_failed": len(conn["errors"]),
        "connect_total_s": round(conn["total_s"], 3),
        "connect_each_ms": summary_ms(conn["durations"]),
        "rss_before_mb": round(rss0 / 2**20, 1),
        "rss_after_mb": round(rss1 / 2**20, 1),
        "rss_per_conn_kb": round((rss1 - rss0) / max(connected, 1) / 1024, 1),
        "fanout_ms": fanout,
        **({"ping_storm_ms": pings} if pings else {}),
    }


async def run_websockets_floor(pool: ClientPool, n: int, args: Any, log_dir: Path) -> dict:
    server = Server("floor-websockets", python_module("bench.floor_ws"), base_env(), log_dir)
    try:
        return await measure(pool, server, "/", n, args, pingers=args.voters)
    finally:
        server.stop()


async def run_channels_floor(pool: ClientPool, n: int, args: Any, log_dir: Path,
                             redis_url: str | None = None) -> dict:
    env = base_env(DJANGO_SETTINGS_MODULE="bench.floor_settings")
    name = "floor-channels"
    if redis_url:
        env["BENCH_FLOOR_REDIS_URL"] = redis_url
        name += "-redis"
    server = Server(name, python_module("bench.serve_multi", "--processes", "1", "--port", "0",
                                        "--app", "bench.floor_channels:application"),
                    env, log_dir)
    try:
        return await measure(pool, server, "/", n, args)
    finally:
        server.stop()


async def run_local_floor(pool: ClientPool, n: int, args: Any, log_dir: Path,
                          redis_url: str | None = None, processes: int = 1,
                          front: bool = False) -> dict:
    """Floor (c); with `front`, behind nginx with TLS (bench/nginx.py), each Daphne on its
    own port, as the production topology runs."""
    env = base_env(DJANGO_SETTINGS_MODULE="bench.floor_settings")
    name = "floor-local"
    if redis_url:
        env["BENCH_FLOOR_REDIS_URL"] = env["REDIS_URL"] = redis_url
        name += f"-redis-x{processes}"
    server = Server(name, python_module("bench.serve_multi", "--processes", str(processes),
                                        "--port", "0", *(["--separate-ports"] if front else []),
                                        "--app", "bench.floor_local:application"),
                    env, log_dir)
    try:
        if front:
            from bench.nginx import Nginx

            server.front = Nginx(server.info["ports"], log_dir / f"{name}-nginx")
            await pool.tls(str(server.front.cert))
        return await measure(pool, server, "/ws/floor/", n, args)
    finally:
        if server.front is not None:
            server.front.stop()
        server.stop()


async def run_redis_floors(pool: ClientPool, n: int, args: Any, log_dir: Path,
                           which: str, front: bool = False) -> dict:
    """The production shape of floors (b) and (c): N Daphnes on one Redis layer. Uses (and
    flushes) the bench's Redis db."""
    import redis

    r = redis.Redis.from_url(args.redis_url, socket_timeout=10)
    r.flushdb()
    try:
        if which == "channels":
            env = base_env(DJANGO_SETTINGS_MODULE="bench.floor_settings",
                           BENCH_FLOOR_REDIS_URL=args.redis_url, REDIS_URL=args.redis_url)
            server = Server(f"floor-channels-redis-x{args.processes}",
                            python_module("bench.serve_multi", "--processes",
                                          str(args.processes), "--port", "0", "--app",
                                          "bench.floor_channels:application"), env, log_dir)
            try:
                return await measure(pool, server, "/", n, args)
            finally:
                server.stop()
        return await run_local_floor(pool, n, args, log_dir, redis_url=args.redis_url,
                                     processes=args.processes, front=front)
    finally:
        r.flushdb()
        r.close()
