"""Browser tests: one real Daphne process and one Chromium for the whole package.

Daphne serves the test database (a file for SQLite; the same PostgreSQL test database when
DATABASE_URL is set) and uses REDIS_URL when set. Chromium is Debian's /usr/bin/chromium,
driven by Python Playwright; it is never downloaded. Without it the tests skip, unless
KLUBBA_REQUIRE_SERVICES=1, where a missing browser is a failure."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from tests.support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    SIGNING_PASSPHRASE,
    WAIT,
    Server,
    Site,
    free_port,
    server_env,
    settle,
    wait_listening,
)
from tests.support.services import REQUIRE_SERVICES


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


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
