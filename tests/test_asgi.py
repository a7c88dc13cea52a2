"""The server process tunes Python's garbage collector (long full collections stalled every
socket in the benchmark); ``KLUBBA_GC_THRESHOLDS=0`` keeps Python's defaults."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = ("import gc, json, klubba.asgi; "
         "print(json.dumps({'thresholds': gc.get_threshold(), 'frozen': gc.get_freeze_count()}))")


def thresholds_after_loading_the_application(**env: str) -> dict:
    """Load the application in a fresh process with the real settings' defaults (the test
    settings switch the tuning off for the test process)."""
    base = {k: v for k, v in os.environ.items() if k != "KLUBBA_GC_THRESHOLDS"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**base, "DJANGO_SETTINGS_MODULE": "klubba.settings", "KLUBBA_DEBUG": "1",
             "PYTHONPATH": str(ROOT), **env},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_server_collects_less_often_and_freezes_what_it_loaded():
    probe = thresholds_after_loading_the_application()
    assert probe["thresholds"] == [10000, 50, 1000]
    assert probe["frozen"] > 10000  # Django, Channels and the apps are out of the way


def test_the_tuning_can_be_switched_off():
    probe = thresholds_after_loading_the_application(KLUBBA_GC_THRESHOLDS="0")
    assert probe["thresholds"] == [700, 10, 10] and probe["frozen"] == 0
