"""Shared fixtures: a small committee that every domain test can hold a meeting in.

When KLUBBA_REQUIRE_SERVICES=1 (as in .ci/run), a missing PostgreSQL or Redis is a failure,
never a skip."""

from __future__ import annotations

import os

import pytest

from tests.support.committee import Committee, make_committee
from tests.support.services import REQUIRE_SERVICES


def pytest_sessionstart(session: pytest.Session) -> None:
    if not REQUIRE_SERVICES:
        return
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
    if missing:
        raise pytest.UsageError(f"KLUBBA_REQUIRE_SERVICES=1 but {missing} not set")
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=3).ping()


@pytest.fixture
def committee(db) -> Committee:
    return make_committee()


@pytest.fixture(autouse=True)
def _fresh_channel_layers():
    """Channels caches one layer per process; a Redis layer's locks belong to the event loop
    that first used them, so every test starts and ends with no cached layer."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def _fresh_page_states():
    """Rendered page states are remembered per meeting and log head (``web.state``); ids and
    the empty log's head repeat between tests."""
    from web.state import forget_recent_states

    forget_recent_states()
    yield
    forget_recent_states()
