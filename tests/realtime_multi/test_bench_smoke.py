"""`python -m bench` at a tiny size still runs end to end and its correctness checks hold: every
client connects, every ballot is acked and counted once, every client ends on the log head.

It guards the benchmark against protocol changes (a renamed command, a new frame). Figures
are never asserted: the machines are shared.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.live]

ROOT = Path(__file__).resolve().parents[2]


def test_the_benchmark_runs_and_its_correctness_checks_hold(tmp_path):
    out = tmp_path / "bench.json"
    # The bench makes its own databases; the suite's settings and services are not its.
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR"}}
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--voters", "6", "--public", "4", "--rounds", "1",
         "--client-workers", "2", "--only", "floors,embedded", "--json", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    results = json.loads(out.read_text())
    assert results["errors"] == {}
    for name in ("websockets", "channels", "local"):
        floor = results["floors"][name]
        assert floor["connected"] == 10 and floor["fanout_ms"]["missing"] == 0, (name, floor)
    klubba = results["klubba"]["embedded"]
    assert "stopped" not in klubba, klubba
    assert klubba["connected"] == 10 and klubba["connect_failed"] == 0
    assert klubba["fanout_ms"]["missing"] == 0
    assert klubba["light_fanout_ms"]["missing"] == 0 and klubba["light_fanout_ms"]["n"] == 10
    storm = klubba["storm"]
    assert storm["acked"] == storm["counted"] == storm["db"]["rows"] == 6, storm
    assert storm["lost_or_duplicate"] == 0
    assert storm["db"]["voters_with_more_than_one"] == 0
    assert klubba["seq"]["all_match"], klubba["seq"]
    assert klubba["closed_by_server"] == 0
    assert "| vote.opened fan-out max = last client (ms)" in proc.stdout
