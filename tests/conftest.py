"""Shared fixtures: a small committee that every domain test can hold a meeting in.

When KLUBBA_REQUIRE_SERVICES=1 (as in .ci/run), a missing PostgreSQL or Redis is a failure,
never a skip.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from meetings.models import AgendaItem, Body, BodyRole, Meeting, Seat, Substitute

REQUIRE_SERVICES = os.environ.get("KLUBBA_REQUIRE_SERVICES") == "1"


def pytest_sessionstart(session: pytest.Session) -> None:
    if not REQUIRE_SERVICES:
        return
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
    if missing:
        raise pytest.UsageError(f"KLUBBA_REQUIRE_SERVICES=1 but {missing} not set")
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=3).ping()


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


@dataclass
class Committee:
    body: Body
    meeting: Meeting
    secretary: object
    chair: object
    members: list = field(default_factory=list)  # members[0] is the chair
    substitutes: list = field(default_factory=list)
    outsider: object = None
    items: list = field(default_factory=list)


def make_committee(*, seats: int = 5, substitutes: int = 2, name: str = "Testnämnden") -> Committee:
    User = get_user_model()

    def user(username: str, first: str, last: str):
        return User.objects.create_user(
            username=username, password="pw-" + username, first_name=first, last_name=last
        )

    body = Body.objects.create(name=name, seats_count=seats, organisation="Testby kommun")
    secretary = user(f"{name}-sekr", "Sekre", "Terare")
    BodyRole.objects.create(body=body, user=secretary, role=BodyRole.Role.SECRETARY)
    members = []
    for n in range(1, seats + 1):
        member = user(f"{name}-m{n}", f"Ledamot{n}", "Efternamn")
        Seat.objects.create(body=body, number=n, member=member, party="S" if n % 2 else "M")
        members.append(member)
    BodyRole.objects.create(body=body, user=members[0], role=BodyRole.Role.CHAIR)
    subs = []
    for n in range(1, substitutes + 1):
        sub = user(f"{name}-e{n}", f"Ersattare{n}", "Efternamn")
        Substitute.objects.create(body=body, user=sub, call_in_order=n, party="S" if n % 2 else "M")
        subs.append(sub)
    outsider = user(f"{name}-x", "Utom", "Stående")
    meeting = Meeting.objects.create(
        body=body, title="Sammanträde", starts_at=timezone.now() + timedelta(hours=1),
        is_public=True,
    )
    items = [
        AgendaItem.objects.create(meeting=meeting, position=i, title=title,
                                  prepared_proposal=f"Förslag {i}", confidential=conf)
        for i, (title, conf) in enumerate(
            [("Upprop", False), ("Bygglov", False), ("Detaljplan", False),
             ("Sekretessärende", True)], start=1)
    ]
    return Committee(body=body, meeting=meeting, secretary=secretary, chair=members[0],
                     members=members, substitutes=subs, outsider=outsider, items=items)


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
