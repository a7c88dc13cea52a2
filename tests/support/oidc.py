"""A real OpenID Connect provider (tests/oidc_provider/, django-oidc-provider) in its own
process and SQLite file, and a Klubba Daphne configured to log in through it."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.browser import ROOT, WAIT, free_port, server_env, wait_listening

CLIENT_ID = "klubba-tests"
CLIENT_SECRET = "oidc-tests-only-client-secret"  # noqa: S105 - test-only


@dataclass
class Provider:
    url: str  # the issuer, e.g. http://127.0.0.1:PORT/openid
    log: object

    def tail(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-4000:]


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=WAIT)
    except subprocess.TimeoutExpired:
        process.kill()


@contextmanager
def provider(redirect_uri: str, users: list[str]) -> Iterator[Provider]:
    """The provider on a free port; ``users`` as ``"name:password:first:last"`` (their
    ``sub`` is ``urn:test-idp:<6-digit pk>``, pk in the given order from 1)."""
    workdir = Path(tempfile.mkdtemp(prefix="klubba-idp-"))
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
           "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
           "OIDC_TEST_DB": str(workdir / "idp.sqlite3")}
    subprocess.run([sys.executable, "-m", "tests.oidc_provider.setup", redirect_uri,
                    CLIENT_ID, CLIENT_SECRET, *users], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=120)
    port = free_port()
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_listening(port, process)
        yield Provider(url=f"http://127.0.0.1:{port}/openid", log=log)
    finally:
        _stop(process)


def klubba_env(signing_dir: Path, issuer: str, **extra: str) -> dict[str, str]:
    """Klubba's environment for single sign-on through the test provider."""
    return {**server_env(signing_dir),
            "KLUBBA_OIDC_CLIENT_ID": CLIENT_ID, "KLUBBA_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "KLUBBA_OIDC_ISSUER": issuer,
            "KLUBBA_OIDC_AUTHORIZATION_ENDPOINT": f"{issuer}/authorize",
            "KLUBBA_OIDC_TOKEN_ENDPOINT": f"{issuer}/token",
            "KLUBBA_OIDC_USERINFO_ENDPOINT": f"{issuer}/userinfo",
            "KLUBBA_OIDC_JWKS_ENDPOINT": f"{issuer}/jwks",
            "KLUBBA_OIDC_PROVIDER_NAME": "Testkommunens inloggning", **extra}


@contextmanager
def klubba(port: int, env: dict[str, str]) -> Iterator[object]:
    """Daphne on ``port`` with ``env``; yields its log file."""
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
         "klubba.asgi:application"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_listening(port, process)
        yield log
    finally:
        _stop(process)


@contextmanager
def sso_site(django_db_blocker, users: list[str],
             **extra_env: str) -> Iterator[tuple[str, str, object, Path]]:
    """(Klubba's URL, the issuer, Chromium, the CA directory): a real OpenID Connect provider,
    a Klubba Daphne that trusts it and a Chromium, stopped when the block ends. Server logs
    are printed when the block fails."""
    import os

    import pytest
    from playwright.sync_api import sync_playwright

    from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
    from tests.support.services import REQUIRE_SERVICES

    if not os.path.exists(CHROMIUM):
        if REQUIRE_SERVICES:
            pytest.fail(f"{CHROMIUM} is missing and KLUBBA_REQUIRE_SERVICES=1")
        pytest.skip(f"browser tests need {CHROMIUM}")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with provider(f"{url}/oidc/callback/", users) as idp:
        signing_dir = Path(tempfile.mkdtemp(prefix="klubba-sso-ca-"))
        with django_db_blocker.unblock():
            env = klubba_env(signing_dir, idp.url, **extra_env)
        with klubba(port, env) as log:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield url, idp.url, browser, signing_dir
            except BaseException:
                log.seek(0)  # type: ignore[attr-defined]
                sys.stderr.write(log.read().decode(errors="replace")[-6000:])  # type: ignore[attr-defined]
                sys.stderr.write(idp.tail())
                raise
            finally:
                browser.close()
                playwright.stop()
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
