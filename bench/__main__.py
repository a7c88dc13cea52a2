"""`python -m bench`: floors, the Klubba scenario on both topologies, a table and JSON.

Defaults: V=1000 voters, P=1000 public viewers, production topology with one Daphne per CPU.
Everything runs on 127.0.0.1 with free ports and is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

from bench import floors, report
from bench.clients import ClientPool
from bench.sysinfo import machine, raise_nofile

RESULTS = Path(__file__).resolve().parent / "results"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--voters", type=int, default=1000)
    parser.add_argument("--public", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2,
                        help="Daphne processes in the production topology")
    parser.add_argument("--client-workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3,
                        help="measured rounds per floor and per Klubba fan-out (the median "
                             "is reported)")
    parser.add_argument("--quick", action="store_true",
                        help="200 voters, 200 public viewers, fewer rounds (a smoke run)")
    parser.add_argument("--only", default="floors,embedded,production,minutes",
                        help="comma-separated parts to run; also: redis-floors (opt-in)")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL",
                                                              "redis://127.0.0.1:6379/9"),
                        help="Redis database the production topology uses (FLUSHED)")
    parser.add_argument("--postgres-url", default=os.environ.get(
        "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="PostgreSQL server; a bench database is created on it and dropped after")
    parser.add_argument("--connect-concurrency", type=int, default=16,
                        help="websocket handshakes in flight at once, over all client workers")
    parser.add_argument("--budget", type=float, default=120,
                        help="seconds each Klubba topology may take once its server runs; "
                             "what is not reached by then is reported as such")
    parser.add_argument("--daphne-connect-timeout", type=int, default=None, metavar="S",
                        help="Daphne's --websocket_connect_timeout for the Klubba servers "
                             "(default: Daphne's own, 5 s)")
    parser.add_argument("--storm-timeout", type=float, default=120,
                        help="seconds to wait for every ballot's reply")
    parser.add_argument("--profile", type=Path, default=None, metavar="DIR",
                        help="sample every server process with py-spy into DIR")
    parser.add_argument("--no-nginx", action="store_true",
                        help="production topology without nginx in front (the Daphnes share "
                             "one port with SO_REUSEPORT)")
    parser.add_argument("--skip", default="",
                        help="comma-separated phases to leave out: storm (the reconnect "
                             "storm of the production topology)")
    parser.add_argument("--profile-phase", choices=["connect", "fanout", "pings", "storm",
                                                    "reconnect"],
                        default=None,
                        help="with --profile: sample only during this phase of the scenario")
    parser.add_argument("--growth", default="", metavar="N,N,...",
                        help="run everything once per total client count N (half voters, "
                             "half public), e.g. 500,1000,2000,4000, and print each figure "
                             "per N beside the floors at the same N")
    parser.add_argument("--snapshot", choices=["full", "compact", "head"], default="full",
                        help="what the Klubba clients ask for on connect: the full state "
                             "(a script's client), ?snapshot=compact (the same with the "
                             "rosters as tables) or ?snapshot=head, the stream's position "
                             "only (Klubba's pages, which read their state over HTTP)")
    parser.add_argument("--json", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args(argv)
    args.snapshot_query = "" if args.snapshot == "full" else f"?snapshot={args.snapshot}"
    if args.quick:
        args.voters = min(args.voters, 200)
        args.public = min(args.public, 200)
        args.rounds = min(args.rounds, 2)
    return args


async def run(args: argparse.Namespace, log_dir: Path, results: dict) -> dict:
    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    n = args.voters + args.public
    results.update({"machine": machine(), "params": {
        "voters": args.voters, "public": args.public, "processes": args.processes,
        "client_workers": args.client_workers, "rounds": args.rounds, "quick": args.quick,
        "budget_s": args.budget, "connect_concurrency": args.connect_concurrency,
        "daphne_connect_timeout": args.daphne_connect_timeout, "snapshot": args.snapshot},
        "floors": {}, "klubba": {}, "errors": {}})
    pool = ClientPool(args.client_workers)
    try:
        async def part(section: str, name: str, func) -> None:
            """Run one part; `func(out)` fills `out`, which is kept even if the part fails."""
            started = time.monotonic()
            print(f"[bench] {section}/{name} ...", flush=True)
            out: dict = {}
            results[section][name] = out
            load_before = os.getloadavg()[0]
            try:
                out.update(await func(out) or {})
            except Exception as exc:
                results["errors"][f"{section}/{name}"] = f"{type(exc).__name__}: {exc}"
                traceback.print_exc()
                try:
                    await pool.close_all()
                except Exception:
                    pass
            out["elapsed_s"] = round(time.monotonic() - started, 1)
            # Other work on the machine skews every figure: keep the load next to them.
            out["loadavg_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
            print(f"[bench] {section}/{name} done in {out['elapsed_s']}s "
                  f"(load {out['loadavg_1min']})", flush=True)

        if "floors" in parts:
            await part("floors", "websockets",
                       lambda out: floors.run_websockets_floor(pool, n, args, log_dir))
            await part("floors", "channels",
                       lambda out: floors.run_channels_floor(pool, n, args, log_dir))
            await part("floors", "local",
                       lambda out: floors.run_local_floor(pool, n, args, log_dir))
            if "production" in parts and not args.no_nginx:  # production's own reference
                await part("floors", "local-front", lambda out: floors.run_redis_floors(
                    pool, n, args, log_dir, "local", front=True))
        if "redis-floors" in parts:  # opt-in: the floors in the production shape
            await part("floors", "channels-redis",
                       lambda out: floors.run_redis_floors(pool, n, args, log_dir, "channels"))
            await part("floors", "local-redis",
                       lambda out: floors.run_redis_floors(pool, n, args, log_dir, "local"))
        if parts & {"embedded", "production", "minutes"}:
            try:
                from bench import klubba_scenario
            except ImportError as exc:
                results["errors"]["klubba"] = f"not available: {exc}"
            else:
                await klubba_scenario.run_all(pool, args, parts, log_dir, results, part)
    finally:
        pool.stop()
    return results


async def run_interruptible(args: argparse.Namespace, log_dir: Path, results: dict) -> None:
    """SIGTERM/SIGINT cancel the run, so every finally block stops what it started."""
    task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, task.cancel)
    try:
        await run(args, log_dir, results)
    except asyncio.CancelledError:
        results.setdefault("errors", {})["run"] = "interrupted (SIGTERM/SIGINT)"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    raise_nofile()
    if args.profile is not None:
        from bench.procs import Server

        Server.profile_dir = args.profile.resolve()
        Server.profile_phase = args.profile_phase
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="klubba-bench-") as tmp:
        log_dir = Path(tmp)
        results: dict = {}
        sizes = [int(n) for n in args.growth.split(",") if n.strip()]
        if sizes:
            results["growth"] = {}
            for n in sizes:
                args.voters, args.public = n // 2, n - n // 2
                print(f"[bench] growth: N = {n}", flush=True)
                one: dict = {}
                asyncio.run(run_interruptible(args, log_dir, one))
                results["growth"][str(n)] = one
                if "run" in one.get("errors", {}):
                    break
            results["errors"] = {f"N={n}: {k}": v for n, one in results["growth"].items()
                                 for k, v in one.get("errors", {}).items()}
            results["machine"] = next(iter(results["growth"].values())).get("machine", {})
        else:
            asyncio.run(run_interruptible(args, log_dir, results))
        results["elapsed_s"] = round(time.monotonic() - started, 1)
        failed = report.broken(results)
        if results["errors"] or failed:  # the servers' logs are what explains either
            keep = RESULTS / "logs"
            keep.mkdir(parents=True, exist_ok=True)
            for log in log_dir.glob("*.log"):
                (keep / log.name).write_text(log.read_text(errors="replace"))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, sort_keys=True))
    print()
    print(report.growth_table(results) if "growth" in results else report.table(results))
    for line in failed:
        print(f"CHECK FAILED {line}")
    print(f"\nJSON: {args.json}   elapsed: {results['elapsed_s']} s")
    return 1 if results["errors"] or failed else 0


if __name__ == "__main__":
    sys.exit(main())
