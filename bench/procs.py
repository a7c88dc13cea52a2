"""Servers under measurement: started in their own process group, always stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.sysinfo import cpu_seconds, rss_bytes

REPO = Path(__file__).resolve().parent.parent


class Server:
    """A server command that prints one JSON line {"host", "port", "pids"} when it listens."""

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

    def url(self, path: str) -> str:
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
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        # Whatever is left in the group (a Daphne that ignored SIGTERM) is killed.
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self._out.close()
        self._log.close()


def python_module(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "KLUBBA_VAR_DIR"}}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env
