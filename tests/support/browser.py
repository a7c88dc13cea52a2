"""The live server and Chromium used by the browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
OUTPUT = ROOT / "test-output" / "browser"
WAIT = 30  # seconds: an upper bound for slow shared machines, never a timing assertion
SIGNING_PASSPHRASE = "browser-tests-only-signing-passphrase-0123"  # noqa: S105
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(signing_dir: Path) -> dict[str, str]:
    """The environment that makes Daphne use this test run's database, Redis and CA."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.browser.server_settings",
           "PYTHONPATH": str(ROOT), "KLUBBA_SIGNING_DIR": str(signing_dir),
           "KLUBBA_SIGNING_KEY_PASSPHRASE": SIGNING_PASSPHRASE}
    env.pop("KLUBBA_DEBUG", None)
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        env["KLUBBA_SQLITE_PATH"] = str(db["NAME"])
        env.pop("DATABASE_URL", None)
    else:
        user = quote(db["USER"] or "")
        password = quote(db["PASSWORD"] or "")
        auth = f"{user}:{password}@" if password else f"{user}@"
        env["DATABASE_URL"] = (
            f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    return env


def wait_listening(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"daphne exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"daphne on port {port} did not start in {WAIT}s")


@dataclass
class Server:
    url: str
    signing_dir: Path
    log: object

    def tail(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-6000:]


def settle() -> None:
    """Wait until the server has recorded the closed sockets (presence), so the database
    flush after the test does not race with its writes (PostgreSQL: a deadlock)."""
    from meetings.models import Participant

    deadline = time.monotonic() + WAIT
    while Participant.objects.filter(connected=True).exists() and time.monotonic() < deadline:
        time.sleep(0.1)


class Site:
    """Browser contexts (one per person) on the test server."""

    def __init__(self, server: Server, browser: object) -> None:
        self.server = server
        self.browser = browser
        self.contexts: list = []
        self.pages: dict[str, object] = {}

    def url(self, path: str) -> str:
        return self.server.url + path

    def page(self, name: str, *, width: int = 1280, height: int = 900, locale: str = "sv-SE"):
        """A new browser (context) for one person; ``locale`` sets its Accept-Language."""
        context = self.browser.new_context(viewport={"width": width, "height": height},
                                           locale=locale)
        context.set_default_timeout(WAIT * 1000)
        self.contexts.append(context)
        page = context.new_page()
        self.pages[name] = page
        return page

    def login(self, page, user, password: str | None = None) -> None:
        page.goto(self.url("/accounts/login/"))
        page.fill("#id_username", user.get_username())
        page.fill("#id_password", password or f"pw-{user.get_username()}")
        page.click("form.panel button[type=submit]")
        page.wait_for_url(self.url("/"))

    def screenshot(self, page, name: str) -> Path:
        OUTPUT.mkdir(parents=True, exist_ok=True)
        path = OUTPUT / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def dump(self, test_name: str) -> None:
        for name, page in self.pages.items():
            try:
                self.screenshot(page, f"FAILED-{test_name}-{name}")
            except Exception:  # noqa: BLE001 - best effort on a failed test
                pass

    def close(self) -> None:
        for context in self.contexts:
            context.close()
