"""Browser tests: one real Daphne process and one Chromium for the whole package.

Daphne serves the test database (a file for SQLite; the same PostgreSQL test database when
DATABASE_URL is set) and uses REDIS_URL when set. Chromium is Debian's /usr/bin/chromium,
driven by Python Playwright; it is never downloaded. Without it the tests skip, unless
KLUBBA_REQUIRE_SERVICES=1, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import override_settings

from tests.conftest import REQUIRE_SERVICES

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


@pytest.fixture(scope="package")
def browser_server(django_db_setup, django_db_blocker) -> Iterator[Server]:
    """One Daphne for the package, on the test database."""
    if not os.path.exists(CHROMIUM):
        if REQUIRE_SERVICES:
            pytest.fail(f"{CHROMIUM} is missing and KLUBBA_REQUIRE_SERVICES=1")
        pytest.skip(f"browser tests need {CHROMIUM}")
    signing_dir = Path(tempfile.mkdtemp(prefix="klubba-browser-ca-"))
    with django_db_blocker.unblock():
        env = server_env(signing_dir)
    port = free_port()
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
         "klubba.asgi:application"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    server = Server(url=f"http://127.0.0.1:{port}", signing_dir=signing_dir, log=log)
    try:
        wait_listening(port, process)
        yield server
    except BaseException:
        sys.stderr.write(f"--- daphne\n{server.tail()}")
        raise
    finally:
        process.terminate()
        try:
            process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="package")
def chromium(browser_server) -> Iterator[object]:
    """One Chromium for the package. Playwright's sync API runs an event loop on this thread,
    so Django's async-safety check must be told that ORM calls from the tests are fine."""
    from playwright.sync_api import sync_playwright

    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def signing(browser_server) -> Iterator[Path]:
    """The organisation CA the server signs with (created fresh for each test's database)."""
    from django.conf import settings

    from minutes.ca_store import ca_exists, init_ca

    klubba = {**settings.KLUBBA, "SIGNING_DIR": browser_server.signing_dir,
              "SIGNING_KEY_PASSPHRASE": SIGNING_PASSPHRASE}
    with override_settings(KLUBBA=klubba):
        if not ca_exists():
            init_ca()
        yield browser_server.signing_dir


@pytest.fixture
def site(browser_server, chromium, request) -> Iterator[Site]:
    s = Site(browser_server, chromium)
    try:
        yield s
    finally:
        failed = getattr(request.node, "rep_call", None)
        if failed is not None and failed.failed:
            s.dump(request.node.name)
            sys.stderr.write(f"--- daphne\n{browser_server.tail()}")
        s.close()
        settle()


def settle() -> None:
    """Wait until the server has recorded the closed sockets (presence), so the database
    flush after the test does not race with its writes (PostgreSQL: a deadlock)."""
    from meetings.models import Participant

    deadline = time.monotonic() + WAIT
    while Participant.objects.filter(connected=True).exists() and time.monotonic() < deadline:
        time.sleep(0.1)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


class Site:
    """Browser contexts (one per person) on the test server."""

    def __init__(self, server: Server, browser: object) -> None:
        self.server = server
        self.browser = browser
        self.contexts: list = []
        self.pages: dict[str, object] = {}

    def url(self, path: str) -> str:
        return self.server.url + path

    def page(self, name: str, *, width: int = 1280, height: int = 900):
        context = self.browser.new_context(viewport={"width": width, "height": height},
                                           locale="sv-SE")
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
