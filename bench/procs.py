"""Servers under measurement: started in their own process group, always stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.sysinfo import cpu_seconds, rss_bytes

REPO = Path(__file__).resolve().parent.parent


class Server:
    """A server command that prints one JSON line {"host", "port", "pids"} when it listens."""

    #: When set (``python -m bench --profile DIR``), every server process is sampled by py-spy.
    profile_dir: Path | None = None
    #: With ``--profile-phase connect|fanout|pings|storm``, only during that phase of the scenario.
    profile_phase: str | None = None

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_dir: Path,
                 ready_timeout: float = 60) -> None:
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self.out_path = log_dir / f"{name}.out"
        self._out = open(self.out_path, "w")
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(argv, env=env, cwd=REPO, stdout=self._out, stderr=self._log,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        self.info = self._wait_ready(ready_timeout)
        self.host: str = self.info["host"]
        self.port: int = self.info["port"]
        self.pids: list[int] = self.info["pids"]
        self.profilers: list[subprocess.Popen] = []
        if Server.profile_dir is not None and Server.profile_phase is None:
            self._start_profilers(Server.profile_dir)

    def phase(self, name: str) -> _Phase:
        """``with server.phase("storm"):`` samples the servers during that phase only, when
        ``--profile-phase`` names it."""
        return _Phase(self, name)

    def _start_profilers(self, out_dir: Path, tag: str = "") -> None:
        """py-spy (installed by hand, not a dependency) samples each process into
        collapsed stacks: ``<name>-<pid>.txt``, one line per stack with its sample count."""
        spy = Path(sys.executable).parent / "py-spy"
        if not spy.exists():
            print("[bench] --profile: py-spy is not installed in the venv", file=sys.stderr)
            return
        out_dir.mkdir(parents=True, exist_ok=True)
        for pid in self.pids:
            self.profilers.append(subprocess.Popen(
                [str(spy), "record", "--pid", str(pid), "--rate", "200", "--format", "raw",
                 "--nonblocking", "--output", str(out_dir / f"{self.name}{tag}-{pid}.txt")],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))

    def _wait_ready(self, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.log_tail()}")
            text = self.out_path.read_text()
            for line in text.splitlines():
                if line.startswith("{"):
                    return json.loads(line)
            time.sleep(0.05)
        self.stop()
        raise TimeoutError(f"{self.name} not ready in {timeout}s:\n{self.log_tail()}")

    def restarts(self) -> list[dict]:
        """What the supervisor printed after restarting a process (``bench.serve_multi``):
        ``{"restarted": index, "pid": new pid, "pids": [...]}`` each; keeps ``pids`` current."""
        lines = [json.loads(line) for line in self.out_path.read_text().splitlines()
                 if line.startswith("{") and '"restarted"' in line]
        if lines:
            self.pids = lines[-1]["pids"]
        return lines

    #: A load balancer in front (``bench.nginx.Nginx``): clients go through it.
    front: Any = None

    def url(self, path: str) -> str:
        if self.front is not None:
            return self.front.url(path)
        return f"ws://{self.host}:{self.port}{path}"

    def rss(self) -> int:
        return sum(rss_bytes(pid) for pid in self.pids)

    def cpu(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.pids)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text().splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        self._stop_profilers()
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass

    def _stop_profilers(self) -> None:
        for spy in self.profilers:
            if spy.poll() is None:
                spy.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
            try:
                spy.wait(timeout=20)
            except subprocess.TimeoutExpired:
                spy.kill()
                spy.wait()
        self.profilers = []


def python_module(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "KLUBBA_VAR_DIR"}}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


class _Phase:
    def __init__(self, server: Server, name: str) -> None:
        self.server = server
        self.active = Server.profile_dir is not None and Server.profile_phase == name
        self.name = name

    def __enter__(self) -> None:
        if self.active:
            self.server._start_profilers(Server.profile_dir, f"-{self.name}")

    def __exit__(self, *exc: object) -> None:
        if self.active:
            self.server._stop_profilers()
