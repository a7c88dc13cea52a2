"""The Klubba scenario: V voters and P public viewers follow one meeting over websockets.

Two topologies, each with a fresh database made through Django's own management commands:
- embedded: one Daphne process, SQLite file in a temp dir, in-memory channel layer;
- production: N Daphne processes on one port (``bench.serve_multi``), one Redis channel layer
  (its own Redis db, flushed before and after), PostgreSQL (a bench database created here and
  dropped after).

Measured: connect time (handshake to snapshot), server RSS per connection, fan-out of
``vote.opened`` from the secretary's command to every client, the vote storm (every voter
casts at once: ack latency, ballots/s), close + tally, and correctness (ballots counted =
acked, no duplicate, every client's last seq = the log's head, no gap or duplicate on the way).
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import sys
import time
from pathlib import Path
from typing import Any

from websockets.asyncio.client import connect

from bench.clients import ClientPool, Target, backoff
from bench.floors import ping_storm
from bench.nginx import Nginx
from bench.procs import REPO, Server, base_env, python_module
from bench.stats import median_of, summary_ms
from bench.storm import floor_storm, klubba_storm


class Driver:
    """The secretary's socket, in the coordinator: sends commands and waits for replies."""

    def __init__(self, url: str, token: str, tls: Any = None) -> None:
        self.url = url
        self.tls = tls
        self.token = token
        self.frames: list[tuple[float, dict]] = []
        self.changed = asyncio.Event()
        self.counter = 0

    async def __aenter__(self) -> Driver:
        await self._open()
        return self

    async def _open(self) -> None:
        self.ws = await connect(self.url, additional_headers={"Authorization":
                                                              f"Bearer {self.token}"},
                                compression=None, ping_interval=None, max_size=2**24,
                                open_timeout=60, user_agent_header=None, ssl=self.tls)
        self.reader = asyncio.create_task(self._read())

    async def _reopen(self, deadline: float) -> None:
        """The secretary's socket dropped (its process was killed): back with backoff."""
        attempt = 0
        while time.monotonic() < deadline:
            await asyncio.sleep(backoff(attempt))
            attempt += 1
            try:
                await self._open()
                return
            except Exception:
                continue

    async def __aexit__(self, *exc: object) -> None:
        self.reader.cancel()
        try:
            await asyncio.wait_for(self.ws.close(), 3)
        except Exception:
            pass

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                try:
                    obj = json.loads(message)
                except ValueError:
                    continue
                self.frames.append((time.monotonic(), obj))
                self.changed.set()
        except Exception:  # dropped: command() reopens
            pass

    async def wait_for(self, pred, timeout: float) -> tuple[float, dict] | None:
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for t, obj in self.frames[seen:]:
                if pred(obj):
                    return t, obj
            seen = len(self.frames)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), remaining)
            except TimeoutError:
                return None

    async def command(self, name: str, args: dict, timeout: float = 60) -> dict:
        """Send and wait for the reply; if the socket drops first, reconnect and send again
        with the same id (the server answers a repeated id with the first outcome)."""
        self.counter += 1
        frame_id = f"drv-{self.counter}-{secrets.token_hex(3)}"
        text = json.dumps({"v": 1, "type": "command", "id": frame_id, "name": name,
                           "args": args})
        sent = time.monotonic()
        deadline = sent + timeout
        while time.monotonic() < deadline:
            if self.reader.done():
                await self._reopen(deadline)
            try:
                await self.ws.send(text)
            except Exception:
                continue
            while time.monotonic() < deadline:
                got = await self.wait_for(
                    lambda o: o.get("type") == "reply" and o.get("id") == frame_id,
                    min(1.0, max(0.01, deadline - time.monotonic())))
                if got is not None:
                    t, reply = got
                    return {"sent": sent, "replied": t, "ms": round((t - sent) * 1000, 2),
                            "reply": reply}
                if self.reader.done():
                    break  # dropped before the answer: send again on a new socket
        raise TimeoutError(f"no reply to {name} in {timeout}s")


async def helper(env: dict, *args: str, timeout: float = 600) -> dict:
    """Run ``bench.meeting_setup`` (Django in its own process) and parse its JSON line."""
    proc = await asyncio.create_subprocess_exec(
        *python_module("bench.meeting_setup", *args), env=env, cwd=REPO,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    if proc.returncode != 0:
        raise RuntimeError(f"meeting_setup {args[0]} failed:\n{err.decode()[-3000:]}")
    return json.loads(out.decode().strip().splitlines()[-1])


async def manage(env: dict, *args: str, timeout: float = 300) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(REPO / "manage.py"), *args, env=env, cwd=REPO,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    if proc.returncode != 0:
        raise RuntimeError(f"manage {' '.join(args)} failed:\n{out.decode()[-3000:]}")


def klubba_env(log_dir: Path, name: str, **extra: str) -> dict:
    var = log_dir / name
    var.mkdir(exist_ok=True)
    return base_env(KLUBBA_VAR_DIR=str(var), KLUBBA_SECRET_KEY=secrets.token_urlsafe(40),
                    KLUBBA_ALLOWED_HOSTS="127.0.0.1,localhost", KLUBBA_LOG_LEVEL="WARNING",
                    DJANGO_SETTINGS_MODULE="klubba.settings", **extra)


async def note_closed(pool: ClientPool, out: dict) -> None:
    """Sockets the server closed on its own (e.g. a layer error such as redis-py's "Timeout
    reading" under load, see ../shared/architecture.md pitfalls) and why."""
    status = await pool.status()
    out["closed_by_server"] = len(status["closed"])
    if status["closed"]:
        out["close_reasons"] = sorted(set(status["closed"].values()))[:5]


async def quiesce(pool: ClientPool, env: dict, meeting_id: int, timeout: float) -> dict:
    """Wait until every client's last seq is the log's head (or the timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        head = (await helper(env, "head", "--meeting", str(meeting_id)))["seq"]
        seqs = await pool.seqinfo()
        behind = [g for g, row in seqs.items() if row["last"] != head]
        if not behind or time.monotonic() > deadline:
            return {"head": head, "behind": len(behind), "clients": len(seqs)}
        await asyncio.sleep(1.0)


async def scenario(pool: ClientPool, server: Server, info: dict, env: dict,
                   args: Any, out: dict, storm: bool = False) -> dict:
    meeting_id = info["meeting_id"]
    voters = info["voters"][: args.voters]
    out.update(processes=len(server.pids), setup=info["timing"])
    part_url = server.url(f"/ws/meetings/{meeting_id}/{args.snapshot_query}")
    public_url = server.url(f"/ws/public/meetings/{meeting_id}/{args.snapshot_query}")
    phase_timeout = max(60.0, (args.voters + args.public) * 0.1)
    deadline = time.monotonic() + args.budget

    def left(floor: float = 5.0) -> float:
        return max(floor, deadline - time.monotonic())

    def spent(phase: str) -> bool:
        if time.monotonic() < deadline:
            return False
        out["stopped"] = f"time budget of {args.budget:.0f} s spent during {phase}"
        return True

    front = server.front
    if front is not None:
        await pool.tls(str(front.cert))
    async with Driver(part_url, info["secretary"]["token"],
                      front.client_tls() if front is not None else None) as driver:
        if await driver.wait_for(lambda o: o.get("type") == "snapshot", 60) is None:
            raise RuntimeError("the secretary got no snapshot")
        await asyncio.sleep(1.0)
        rss0 = server.rss()
        cpu0 = server.cpu()

        # --- connect ----------------------------------------------------------------------
        targets = [Target(gid=i, url=part_url, origin=None,
                          headers={"Authorization": f"Bearer {v['token']}"})
                   for i, v in enumerate(voters)]
        # Behind nginx a browser's Origin is the site's (port 443): the proxy passes Host
        # without a port, as in production (deploy/nginx/klubba.conf).
        origin = "https://127.0.0.1" if front is not None else ""
        targets += [Target(gid=len(voters) + j, url=public_url, origin=origin)
                    for j in range(args.public)]
        voter_gids = [t.gid for t in targets[: len(voters)]]
        with server.phase("connect"):
            conn = await pool.connect(targets, timeout=min(phase_timeout, left()),
                                      deadline=deadline,
                                      concurrency=pool.per_worker(args.connect_concurrency))
            snaps = await pool.collect({"type": "snapshot"}, timeout=left())
        ready = [t - conn["start"] for t in snaps["times"].values()]
        out["connected"] = len(snaps["times"])
        out["connect_errors"] = conn["errors"][:5]
        out["connect_failed"] = len(conn["errors"]) + len(snaps["missing"])
        out["connect_total_s"] = round(max(ready), 3) if ready else None
        out["connect_each_ms"] = summary_ms(conn["durations"])
        settled = await quiesce(pool, env, meeting_id, left())
        out["after_connect"] = {**settled, "server_cpu_s": round(server.cpu() - cpu0, 2),
                                "settle_s": round(time.monotonic() - conn["start"], 2)}
        await asyncio.sleep(1.0)
        rss1 = server.rss()
        out["rss_before_mb"] = round(rss0 / 2**20, 1)
        out["rss_after_mb"] = round(rss1 / 2**20, 1)
        out["rss_per_conn_kb"] = round((rss1 - rss0) / max(out["connected"], 1) / 1024, 1)
        if spent("connect") or settled["behind"]:
            out.setdefault("stopped", f"{settled['behind']} clients still behind the log "
                                      f"after connecting")
            await note_closed(pool, out)
            await pool.close_all()
            return out

        # --- a light event: meeting.pause -> every client has meeting.paused -----------------
        # (the realtime path on its own: the command does almost nothing; then resume)
        light = []
        for r in range(args.rounds):
            reason = f"bench {r}"
            paused = await driver.command("meeting.pause", {"reason": reason}, timeout=left(30))
            if not paused["reply"].get("ok"):
                raise RuntimeError(f"meeting.pause refused: {paused['reply']}")
            got = await pool.collect({"type": "event", "event": "meeting.paused",
                                      "data.reason": reason}, timeout=left(30))
            light.append({**summary_ms([t - paused["sent"] for t in got["times"].values()]),
                          "missing": len(got["missing"]), "reply_ms": paused["ms"]})
            resumed = await driver.command("meeting.resume", {}, timeout=left(30))
            if not resumed["reply"].get("ok"):
                raise RuntimeError(f"meeting.resume refused: {resumed['reply']}")
            await pool.collect({"type": "event", "event": "meeting.resumed",
                                "seq": resumed["reply"]["result"]["seq"]}, timeout=left(30))
            await asyncio.sleep(0.3)
        out["light_fanout_ms"] = rounds_summary(light)

        # --- fan-out: vote.open -> every client has vote.opened ----------------------------
        # Every round but the last is voided again; the last vote stays open for the storm.
        opens = []
        vote_id = None
        for r in range(args.rounds):
            cpu0 = server.cpu()
            with server.phase("fanout"):
                opened = await driver.command("vote.open", {
                    "item_id": info["item_id"], "kind": "open",
                    "main_proposal_id": info["main_proposal_id"]}, timeout=left(30))
                if not opened["reply"].get("ok"):
                    raise RuntimeError(f"vote.open refused: {opened['reply']}")
                vote_id = opened["reply"]["result"]["vote_id"]
                got = await pool.collect({"type": "event", "event": "vote.opened",
                                          "data.vote_id": vote_id}, timeout=left(30))
            opens.append({**summary_ms([t - opened["sent"] for t in got["times"].values()]),
                          "missing": len(got["missing"]), "reply_ms": opened["ms"],
                          "server_cpu_s": round(server.cpu() - cpu0, 2)})
            if r < args.rounds - 1:
                voided = await driver.command("vote.void", {"vote_id": vote_id,
                                                            "reason": "bench round"},
                                              timeout=left(30))
                if not voided["reply"].get("ok"):
                    raise RuntimeError(f"vote.void refused: {voided['reply']}")
            await asyncio.sleep(0.5)
        out["fanout_ms"] = rounds_summary(opens)
        out["vote_open_reply_ms"] = out["fanout_ms"]["reply_ms"]

        # --- ping storm: the same burst of frames without the database (the stack's share) ---
        with server.phase("pings"):
            out["ping_storm_ms"] = await ping_storm(pool, voter_gids,
                                                    timeout=min(args.storm_timeout, left(30)))
        await asyncio.sleep(0.5)

        # --- vote storm --------------------------------------------------------------------
        cpu0 = server.cpu()
        frames = [(gid, json.dumps({"v": 1, "type": "command", "id": f"storm-{gid}",
                                    "name": "ballot.cast",
                                    "args": {"vote_id": vote_id,
                                             "choice": "ja" if gid % 3 else "nej"}}))
                  for gid in voter_gids]
        with server.phase("storm"):
            sent = await pool.send(frames)
            acks = await pool.collect({"type": "reply", "id": "storm-{gid}"},
                                      timeout=min(args.storm_timeout, left(30)),
                                      gids=voter_gids)
        oks = await pool.values({"type": "reply", "id": "storm-{gid}"}, "ok")
        codes = await pool.values({"type": "reply", "id": "storm-{gid}", "ok": False},
                                  "error.code")
        ack_lat = [t - sent["sent"][g] for g, t in acks["times"].items() if g in sent["sent"]]
        acked = sum(1 for g in voter_gids if oks.get(g) and oks[g][0] is True)
        refused: dict[str, int] = {}
        for g in voter_gids:
            for code in codes.get(g, [])[:1]:
                refused[code] = refused.get(code, 0) + 1
        span = (max(acks["times"].values()) - min(sent["sent"].values())) if acks[
            "times"] else None
        out["storm"] = storm = {"voters": len(voter_gids), "sent": len(sent["sent"]),
                 "send_errors": sent["errors"][:5], "acked": acked, "refused": refused,
                 "no_reply": len(acks["missing"]), "ack_ms": summary_ms(ack_lat),
                 "ballots_per_s": round(acked / span, 1) if span else None,
                 "server_cpu_s": round(server.cpu() - cpu0, 2)}

        # --- close and tally ---------------------------------------------------------------
        closed = await driver.command("vote.close", {"vote_id": vote_id}, timeout=left(30))
        storm["close_ms"] = closed["ms"]
        storm["close_ok"] = bool(closed["reply"].get("ok"))
        if not storm["close_ok"]:
            storm["close_error"] = closed["reply"].get("error")
        got = await pool.collect({"type": "event", "event": "vote.closed"},
                                 timeout=left(30))
        storm["closed_fanout_ms"] = {
            **summary_ms([t - closed["sent"] for t in got["times"].values()]),
            "missing": len(got["missing"])}
        db = await helper(env, "ballots", "--vote", str(vote_id))
        storm["db"] = db
        counted = (db.get("result") or {}).get("total")
        storm["counted"] = counted
        storm["lost_or_duplicate"] = (
            abs((counted or 0) - acked) + db["voters_with_more_than_one"]
            + abs(db["rows"] - acked))

        # --- every client saw everything, in order -----------------------------------------
        settled = await quiesce(pool, env, meeting_id, left(30))
        detail = await pool.seqinfo(detail=True)
        streamed = await helper(env, "streamed", "--meeting", str(meeting_id))
        check = stream_check(detail, streamed, set(voter_gids), settled["head"])
        out["seq"] = {"head": settled["head"], "clients": len(detail), **check}
        await note_closed(pool, out)
        # Over the clients that connected (failed handshakes are counted under connect).
        out["seq"]["all_match"] = (out["seq"]["behind"] == 0 and out["seq"]["with_gaps"] == 0
                                   and out["seq"]["with_duplicates"] == 0
                                   and out["seq"]["out_of_order"] == 0)

        # --- reconnect storm: kill -9 one process, every client back and synced ----------
        if storm and len(server.pids) > 1 and not spent("the seq check"):
            with server.phase("reconnect"):
                out["reconnect_storm"] = await klubba_storm(
                    pool, server, driver, helper, env, meeting_id, set(voter_gids),
                    timeout=max(60.0, (args.voters + args.public) * 0.06))
    await pool.close_all()
    if out.get("reconnect_storm", {}).get("dropped"):
        out["reconnect_storm"]["floor"] = await floor_storm(
            pool, out["reconnect_storm"]["dropped"], server.log_path.parent,
            timeout=max(60.0, (args.voters + args.public) * 0.06))
    return out


def rounds_summary(rounds: list[dict]) -> dict:
    """The median over rounds of each figure (as the floors report), with the rounds kept."""
    keys = [k for k in rounds[0] if isinstance(rounds[0][k], int | float)]
    return {**{k: median_of(rounds, k) for k in keys},
            "missing": max(r["missing"] for r in rounds), "rounds": rounds}


def stream_check(detail: dict[int, dict], streamed: dict[str, list[int]], voters: set[int],
                 head: int) -> dict:
    """Compare what each client received after its snapshot with what the log says its
    audience is streamed: nothing missing (gaps), nothing twice, nothing out of order."""
    behind = gaps = dups = disorder = 0
    most = 0
    for gid, row in detail.items():
        audience = "participants" if gid in voters else "public"
        snap = row["snapshot"] or 0
        expected = [s for s in streamed[audience] if s > snap]
        got = row["events"]
        behind += row["last"] != head
        gaps += bool(set(expected) - set(got))
        dups += len(got) != len(set(got))
        disorder += got != sorted(got)
        most = max(most, len(got))
    return {"behind": behind, "with_gaps": gaps, "with_duplicates": dups,
            "out_of_order": disorder, "events_per_client_max": most}


def daphne_args(args: Any) -> list[str]:
    if args.daphne_connect_timeout is None:
        return []
    return ["--", "--websocket_connect_timeout", str(args.daphne_connect_timeout)]


async def prepare(env: dict, voters: int, log_dir: Path, name: str) -> dict:
    started = time.monotonic()
    await manage(env, "migrate", "--noinput")
    out_file = log_dir / f"{name}-meeting.json"
    await helper(env, "create", "--voters", str(voters), "--out", str(out_file))
    info = json.loads(out_file.read_text())
    info["timing"]["total_s"] = round(time.monotonic() - started, 2)
    return info


async def run_embedded(pool: ClientPool, args: Any, log_dir: Path, out: dict) -> dict:
    env = klubba_env(log_dir, "embedded")
    info = await prepare(env, args.voters, log_dir, "embedded")
    server = Server("klubba-embedded", python_module("bench.serve_multi", "--processes", "1",
                                                     "--port", "0", *daphne_args(args)),
                    env, log_dir)
    try:
        return await scenario(pool, server, info, env, args, out)
    finally:
        server.stop()


def _pg(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=5)


async def run_production(pool: ClientPool, args: Any, log_dir: Path, out: dict) -> dict:
    import redis

    dbname = f"klubba_bench_{os.getpid()}"
    admin_url = args.postgres_url
    base = admin_url.rsplit("/", 1)[0]
    with _pg(admin_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        conn.execute(f'CREATE DATABASE "{dbname}"')
    r = redis.Redis.from_url(args.redis_url, socket_timeout=10)
    r.flushdb()
    env = klubba_env(log_dir, "production", DATABASE_URL=f"{base}/{dbname}",
                     REDIS_URL=args.redis_url, KLUBBA_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    server = None
    front = None
    try:
        info = await prepare(env, args.voters, log_dir, "production")
        r.flushdb()  # the setup's own publications went nowhere; start the layer clean
        behind = [] if args.no_nginx else ["--separate-ports"]
        server = Server("klubba-production",
                        python_module("bench.serve_multi", "--processes", str(args.processes),
                                      "--port", "0", *behind, *daphne_args(args)), env, log_dir)
        if not args.no_nginx:
            front = server.front = Nginx(server.info["ports"], log_dir / "nginx")
            out["front"] = "nginx (TLS, deploy/nginx/klubba.conf)"
        return await scenario(pool, server, info, env, args, out,
                              storm="storm" not in args.skip)
    finally:
        if front is not None:
            front.stop()
        if server is not None:
            server.stop()
        try:
            r.flushdb()
        finally:
            r.close()
        with _pg(admin_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


async def run_all(pool: ClientPool, args: Any, parts: set[str], log_dir: Path, results: dict,
                  part) -> None:
    if "embedded" in parts:
        await part("klubba", "embedded", lambda out: run_embedded(pool, args, log_dir, out))
    if "production" in parts:
        await part("klubba", f"production x{args.processes}"
                   + ("" if args.no_nginx else " nginx"),
                   lambda out: run_production(pool, args, log_dir, out))
    if "minutes" in parts:
        from bench import minutes_bench

        await part("klubba", "minutes", lambda out: minutes_bench.run(args, log_dir))
