"""Switches for tests that need PostgreSQL or Redis: with KLUBBA_REQUIRE_SERVICES=1 (as in
.ci/run) a missing service is a failure, never a skip."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

REQUIRE_SERVICES = os.environ.get("KLUBBA_REQUIRE_SERVICES") == "1"


def uses_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def require_postgres() -> None:
    if not uses_postgres():
        if REQUIRE_SERVICES:
            pytest.fail("this test needs PostgreSQL and DATABASE_URL is not a PostgreSQL URL")
        pytest.skip("runs on PostgreSQL (set DATABASE_URL); the CI run sets it")


def require_redis() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if REQUIRE_SERVICES:
            pytest.fail("this test needs Redis and REDIS_URL is not set")
        pytest.skip("runs on Redis (set REDIS_URL); the CI run sets it")
    return url
