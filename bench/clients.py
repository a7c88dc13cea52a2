"""Scripted websocket clients spread over several processes, so the client is not the bottleneck.

The coordinator (`ClientPool`) gives every connection a global id ``gid`` and places it on
worker ``gid % workers``. A worker is an asyncio process with the `websockets` client; it keeps
every received text frame with its arrival time (``time.monotonic()``, CLOCK_MONOTONIC, which
is one clock for all processes on a machine) and parses frames only when asked, so the hot
receive path is an append.

Operations (sent over a pipe, answered once each): connect, collect (first frame per connection
matching a pattern), send (one frame per listed connection, all at once), values (a field of
every matching frame), reconnect (from now on, a dropped connection comes back as the browser
client does: jittered exponential backoff, then ``sync since=<last seq>``), close.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import random
import time
from dataclasses import dataclass, field
from typing import Any

from bench.sysinfo import raise_nofile

MAX_FRAME = 2**22


def backoff(attempt: int, base: float = 1.0, cap: float = 30.0) -> float:
    """The browser client's delay before reconnect attempt ``attempt`` (static/klubba/
    meeting.js): 0.1 s plus a uniform share of ``base * 2**attempt`` (at most ``cap``), so a
    thousand clients dropped together do not come back together."""
    return 0.1 + random.uniform(0, min(cap, base * 2 ** attempt))


@dataclass
class Target:
    gid: int
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    origin: str | None = ""  # "": derived from the URL (a browser); None: no Origin (a script)


@dataclass
class _Conn:
    gid: int
    ws: Any = None
    frames: list = field(default_factory=list)  # (t, text)
    parsed: list = field(default_factory=list)  # (t, dict | None), parsed lazily
    closed_at: float | None = None
    close_reason: str = ""
    target: tuple = ()  # (url, headers, origin), to reconnect
    drops: list = field(default_factory=list)  # times the connection was lost
    returns: list = field(default_factory=list)  # times a new socket's first frame arrived
    failures: list = field(default_factory=list)  # (time, why) of each failed reconnect


def _matches(obj: Any, pattern: dict, gid: int) -> bool:
    if not isinstance(obj, dict):
        return False
    for key, want in pattern.items():
        have = obj
        for part in key.split("."):
            if not isinstance(have, dict) or part not in have:
                return False
            have = have[part]
        if isinstance(want, str) and "{gid}" in want:
            want = want.format(gid=gid)
        if have != want:
            return False
    return True


class _Worker:
    def __init__(self, pipe) -> None:
        self.pipe = pipe
        self.conns: dict[int, _Conn] = {}
        self.readers: list[asyncio.Task] = []
        self.auto: dict | None = None  # reconnect policy, once op_reconnect turned it on
        self.tls: Any = None  # SSLContext for wss:// (op_tls: the bench's own CA)

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        inbox: asyncio.Queue = asyncio.Queue()

        def readable() -> None:
            try:
                while self.pipe.poll():
                    inbox.put_nowait(self.pipe.recv())
            except (EOFError, OSError):  # the coordinator is gone: close up and exit
                loop.remove_reader(self.pipe.fileno())
                inbox.put_nowait({"op": "stop", "orphaned": True})

        loop.add_reader(self.pipe.fileno(), readable)
        while True:
            msg = await inbox.get()
            op = msg["op"]
            try:
                result = await getattr(self, "op_" + op)(**msg.get("args", {}))
            except Exception as exc:  # reported to the coordinator, never swallowed
                result = {"error": f"{type(exc).__name__}: {exc}"}
            if not msg.get("orphaned"):
                try:
                    self.pipe.send(result)
                except OSError:
                    return
            if op == "stop":
                return

    def _parse(self, conn: _Conn) -> list:
        for t, text in conn.frames[len(conn.parsed):]:
            try:
                obj = json.loads(text)
            except (ValueError, TypeError):
                obj = None
            if isinstance(obj, dict) and obj.get("type") == "snapshot":
                # Nothing here reads a snapshot's state, and a thousand parsed states of a big
                # meeting are gigabytes of objects that the collector walks in every full pass.
                obj.pop("data", None)
            conn.parsed.append((t, obj))
        return conn.parsed

    async def _reader(self, conn: _Conn) -> None:
        append = conn.frames.append
        clock = time.monotonic
        try:
            async for message in conn.ws:
                append((clock(), message))
        except Exception as exc:
            conn.close_reason = f"{type(exc).__name__}: {exc}"
        finally:
            conn.closed_at = time.monotonic()
            if not conn.close_reason and conn.ws.close_code is not None:
                conn.close_reason = f"closed {conn.ws.close_code} {conn.ws.close_reason}"
            if self.auto is not None and conn.gid in self.conns:
                conn.drops.append(conn.closed_at)
                self.readers.append(asyncio.create_task(self._come_back(conn)))

    def _last_seq(self, conn: _Conn) -> int | None:
        seqs = [obj["seq"] for _t, obj in self._parse(conn) if isinstance(obj, dict)
                and obj.get("type") in ("snapshot", "event", "progress")
                and isinstance(obj.get("seq"), int)]
        return max(seqs) if seqs else None

    async def _come_back(self, conn: _Conn) -> None:
        """Reconnect with backoff; after the new snapshot ask for what was missed in between
        (``sync since=<last seq>``, reply id ``resync-<gid>``), as the browser client does."""
        since = self._last_seq(conn)
        attempt = 0
        while self.auto is not None and conn.gid in self.conns:
            await asyncio.sleep(backoff(attempt, self.auto["base"], self.auto["cap"]))
            attempt += 1
            url, headers, origin = conn.target
            try:
                ws = await self._open(url, headers, origin, 30)
                first = await asyncio.wait_for(ws.recv(), 30)
            except Exception as exc:
                conn.failures.append((time.monotonic(), f"{type(exc).__name__}: {exc}"[:80]))
                continue
            now = time.monotonic()
            conn.ws, conn.closed_at, conn.close_reason = ws, None, ""
            conn.frames.append((now, first))
            conn.returns.append(now)
            if since is not None:
                try:
                    await ws.send(json.dumps({"v": 1, "type": "sync",
                                              "id": f"resync-{conn.gid}", "since": since}))
                except Exception:
                    pass
            await self._reader(conn)  # until this socket ends too (then it comes back again)
            return

    async def op_tls(self, cafile: str) -> dict:
        import ssl

        self.tls = ssl.create_default_context(cafile=cafile)
        return {}

    async def _open(self, url: str, headers: dict, origin: str | None, timeout: float) -> Any:
        from websockets.asyncio.client import connect

        return await connect(url, additional_headers=headers, origin=origin, compression=None,
                             ping_interval=None, max_size=MAX_FRAME, open_timeout=timeout,
                             close_timeout=2, user_agent_header=None,
                             ssl=self.tls if url.startswith("wss:") else None)

    async def op_reconnect(self, base: float = 1.0, cap: float = 30.0) -> dict:
        self.auto = {"base": base, "cap": cap}
        return {"on": len(self.conns)}

    async def op_drops(self) -> dict:
        """Per connection that dropped: drop and return times, and the failed attempts."""
        return {"drops": {c.gid: {"drops": c.drops, "returns": c.returns,
                                  "failures": c.failures}
                          for c in self.conns.values() if c.drops}}

    async def op_connect(self, targets: list, concurrency: int = 32,
                         timeout: float = 60.0, deadline: float | None = None) -> dict:
        sem = asyncio.Semaphore(concurrency)
        durations: list[float] = []
        errors: list[str] = []
        done_at = 0.0

        async def one(gid: int, url: str, headers: dict, origin: str | None) -> None:
            nonlocal done_at
            async with sem:
                start = time.monotonic()
                if deadline is not None and start > deadline:
                    errors.append(f"{gid}: not attempted, the time budget was spent")
                    return
                try:
                    ws = await self._open(url, headers, origin, timeout)
                except Exception as exc:
                    errors.append(f"{gid}: {type(exc).__name__}: {exc}")
                    return
                end = time.monotonic()
                durations.append(end - start)
                done_at = max(done_at, end)
                conn = _Conn(gid=gid, ws=ws, target=(url, headers, origin))
                self.conns[gid] = conn
                self.readers.append(asyncio.create_task(self._reader(conn)))

        jobs = []
        for gid, url, headers, origin in targets:
            if origin == "":
                scheme = "https://" if url.startswith("wss:") else "http://"
                origin = scheme + url.split("://", 1)[1].split("/", 1)[0]
            jobs.append(one(gid, url, headers, origin))
        await asyncio.gather(*jobs)
        return {"durations": durations, "errors": errors, "done_at": done_at}

    async def op_collect(self, pattern: dict, timeout: float, gids: list | None = None) -> dict:
        """First frame per connection matching `pattern`; waits until all have one or timeout."""
        wanted = [self.conns[g] for g in gids if g in self.conns] if gids is not None else list(
            self.conns.values())
        found: dict[int, float] = {}
        gone: set[int] = set()  # closed for good without the frame: no use waiting for them
        deadline = time.monotonic() + timeout
        while True:
            for conn in wanted:
                if conn.gid in found or conn.gid in gone:
                    continue
                closed = conn.closed_at is not None and self.auto is None  # read before parsing
                for t, obj in self._parse(conn):
                    if _matches(obj, pattern, conn.gid):
                        found[conn.gid] = t
                        break
                else:
                    if closed:
                        gone.add(conn.gid)
            if len(found) + len(gone) == len(wanted) or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.01)
        return {"times": found, "missing": [c.gid for c in wanted if c.gid not in found]}

    async def op_send(self, frames: list) -> dict:
        """Send one text frame on each listed connection, all at once; returns send times."""
        sent: dict[int, float] = {}
        errors: list[str] = []

        async def one(gid: int, text: str) -> None:
            conn = self.conns.get(gid)
            if conn is None:
                errors.append(f"{gid}: not connected")
                return
            sent[gid] = time.monotonic()
            try:
                await conn.ws.send(text)
            except Exception as exc:
                errors.append(f"{gid}: {type(exc).__name__}: {exc}")

        await asyncio.gather(*(one(gid, text) for gid, text in frames))
        return {"sent": sent, "errors": errors}

    async def op_values(self, pattern: dict, field: str) -> dict:
        """The `field` of every frame matching `pattern`, per connection, in arrival order."""
        out: dict[int, list] = {}
        for conn in self.conns.values():
            values = []
            for _t, obj in self._parse(conn):
                if _matches(obj, pattern, conn.gid):
                    have = obj
                    for part in field.split("."):
                        have = have.get(part) if isinstance(have, dict) else None
                    values.append(have)
            out[conn.gid] = values
        return {"values": out}

    async def op_seqinfo(self, detail: bool = False) -> dict:
        """Per connection: the last seq it is current with (a snapshot, event or progress
        frame); with `detail`, the snapshot's seq and the event seqs in arrival order, which
        the coordinator compares with what the log says this audience is streamed."""
        out: dict[int, dict] = {}
        for conn in self.conns.values():
            snap = None
            last = None
            events: list[int] = []
            for _t, obj in self._parse(conn):
                if not isinstance(obj, dict) or not isinstance(obj.get("seq"), int):
                    continue
                kind = obj.get("type")
                seq = obj["seq"]
                if kind == "snapshot" and snap is None:
                    snap = seq
                elif kind == "event":
                    events.append(seq)
                elif kind not in ("snapshot", "progress"):
                    continue
                last = seq if last is None else max(last, seq)
            row = {"last": last}
            if detail:
                row.update(snapshot=snap, events=events)
            out[conn.gid] = row
        return {"seqs": out}

    async def op_frames(self, gid: int) -> dict:
        conn = self.conns.get(gid)
        return {"frames": [text for _t, text in conn.frames] if conn else []}

    async def op_status(self) -> dict:
        closed = {c.gid: c.close_reason for c in self.conns.values() if c.closed_at is not None}
        return {"connected": len(self.conns), "closed": closed}

    async def op_close(self) -> dict:
        self.auto = None
        conns = list(self.conns.values())
        self.conns.clear()

        async def one(conn: _Conn) -> None:
            try:
                await asyncio.wait_for(conn.ws.close(), 3)
            except Exception:
                pass

        for i in range(0, len(conns), 200):
            await asyncio.gather(*(one(c) for c in conns[i:i + 200]))
        for task in self.readers:
            task.cancel()
        await asyncio.gather(*self.readers, return_exceptions=True)
        self.readers.clear()
        return {"closed": len(conns)}

    async def op_stop(self) -> dict:
        await self.op_close()
        return {"stopped": True}


def _worker_main(pipe) -> None:
    raise_nofile()
    asyncio.run(_Worker(pipe).run())


class ClientPool:
    """Coordinator side: start workers, fan operations out, gather their answers."""

    def __init__(self, workers: int = 4) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.pipes = []
        self.procs = []
        for _ in range(workers):
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_worker_main, args=(child,), daemon=True)
            proc.start()
            child.close()
            self.pipes.append(parent)
            self.procs.append(proc)

    @property
    def workers(self) -> int:
        return len(self.pipes)

    def per_worker(self, total: int) -> int:
        return max(1, total // self.workers)

    def worker_of(self, gid: int) -> int:
        return gid % self.workers

    async def _ask(self, index: int, op: str, args: dict, timeout: float) -> dict:
        pipe = self.pipes[index]
        pipe.send({"op": op, "args": args})
        loop = asyncio.get_running_loop()
        ready = await loop.run_in_executor(None, pipe.poll, timeout)
        if not ready:
            raise TimeoutError(f"client worker {index} did not answer {op} in {timeout}s")
        result = pipe.recv()
        if isinstance(result, dict) and "error" in result:
            raise RuntimeError(f"client worker {index} failed {op}: {result['error']}")
        return result

    async def all(self, op: str, per_worker: list[dict] | None = None, wait: float = 300,
                  **args: Any) -> list[dict]:
        """Run `op` on every worker at once (per-worker args override shared ones)."""
        jobs = []
        for i in range(self.workers):
            merged = dict(args)
            if per_worker is not None:
                merged.update(per_worker[i])
            jobs.append(self._ask(i, op, merged, wait))
        return await asyncio.gather(*jobs)

    def split(self, items: list, key=lambda item: item[0]) -> list[list]:
        parts: list[list] = [[] for _ in range(self.workers)]
        for item in items:
            parts[self.worker_of(key(item))].append(item)
        return parts

    async def connect(self, targets: list[Target], concurrency: int = 32,
                      timeout: float = 120, deadline: float | None = None) -> dict:
        """Connect every target; connect time is measured from here to the last handshake."""
        parts = self.split([(t.gid, t.url, t.headers, t.origin) for t in targets])
        start = time.monotonic()
        results = await self.all("connect", [{"targets": p} for p in parts],
                                 wait=(deadline - time.monotonic() if deadline else timeout)
                                 + timeout + 60,
                                 concurrency=concurrency, timeout=timeout, deadline=deadline)
        durations = [d for r in results for d in r["durations"]]
        errors = [e for r in results for e in r["errors"]]
        done_at = max((r["done_at"] for r in results if r["done_at"]), default=start)
        return {"start": start, "total_s": done_at - start, "durations": durations,
                "errors": errors, "connected": len(durations)}

    async def collect(self, pattern: dict, timeout: float, gids: list[int] | None = None) -> dict:
        if gids is None:
            per = None
        else:
            per = [{"gids": p} for p in self.split(gids, key=lambda g: g)]
        results = await self.all("collect", per, wait=timeout + 60, pattern=pattern,
                                 timeout=timeout, gids=None)
        times: dict[int, float] = {}
        missing: list[int] = []
        for r in results:
            times.update({int(k): v for k, v in r["times"].items()})
            missing.extend(r["missing"])
        return {"times": times, "missing": missing}

    async def send(self, frames: list[tuple[int, str]]) -> dict:
        parts = self.split(frames)
        results = await self.all("send", [{"frames": p} for p in parts], wait=120)
        sent: dict[int, float] = {}
        errors: list[str] = []
        for r in results:
            sent.update({int(k): v for k, v in r["sent"].items()})
            errors.extend(r["errors"])
        return {"sent": sent, "errors": errors}

    async def values(self, pattern: dict, field: str) -> dict[int, list]:
        results = await self.all("values", pattern=pattern, field=field, wait=120)
        out: dict[int, list] = {}
        for r in results:
            out.update({int(k): v for k, v in r["values"].items()})
        return out

    async def seqinfo(self, detail: bool = False) -> dict[int, dict]:
        results = await self.all("seqinfo", detail=detail, wait=300)
        out: dict[int, dict] = {}
        for r in results:
            out.update({int(k): v for k, v in r["seqs"].items()})
        return out

    async def frames(self, gid: int) -> list[str]:
        result = await self._ask(self.worker_of(gid), "frames", {"gid": gid}, 60)
        return result["frames"]

    async def status(self) -> dict:
        results = await self.all("status", wait=60)
        closed: dict[int, str] = {}
        for r in results:
            closed.update({int(k): v for k, v in r["closed"].items()})
        return {"connected": sum(r["connected"] for r in results), "closed": closed}

    async def tls(self, cafile: str) -> None:
        await self.all("tls", cafile=cafile, wait=60)

    async def reconnect(self, base: float = 1.0, cap: float = 30.0) -> None:
        await self.all("reconnect", base=base, cap=cap, wait=60)

    async def drops(self) -> dict[int, dict]:
        results = await self.all("drops", wait=60)
        out: dict[int, dict] = {}
        for r in results:
            out.update({int(k): v for k, v in r["drops"].items()})
        return out

    async def close_all(self) -> None:
        await self.all("close", wait=120)

    def stop(self) -> None:
        for pipe in self.pipes:
            try:
                pipe.send({"op": "stop"})
            except (OSError, BrokenPipeError):
                pass
        for proc in self.procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()
                proc.join(timeout=5)
