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
