"""Budgets: how much one socket and one user may ask of a server process.

Every command that reaches the domain takes a token from its socket's bucket and from its
user's bucket (shared by the user's sockets in this process); ``sync`` takes one from the
socket's own sync bucket. An empty bucket is answered at once with ``rate_limited`` and the
frame does nothing. A user may hold at most ``MAX_SOCKETS_PER_USER`` sockets in a process;
one more is refused at connect (``too_many_sockets``). The numbers are settings
(``KLUBBA["BUDGETS"]``, docs/protocol.md "Limits"); they are per process, so with N server
processes a user can get up to N times the budget, which is still bounded.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, float] = {
    "COMMANDS_PER_SECOND": 5.0,  # per socket, sustained ...
    "COMMAND_BURST": 20.0,  # ... and at once
    "USER_COMMANDS_PER_SECOND": 10.0,  # per user over all their sockets in a process
    "USER_COMMAND_BURST": 40.0,
    "SYNCS_PER_SECOND": 0.5,  # per socket
    "SYNC_BURST": 3.0,
    "MAX_SOCKETS_PER_USER": 20.0,  # per process, over all meetings
    "RECEIVE_QUEUE": 32.0,  # frames waiting to be handled per socket; more are refused
}


def budget(name: str) -> float:
    """A budget from ``settings.KLUBBA["BUDGETS"]``, else its default (read per use, so
    tests may override settings)."""
    configured = settings.KLUBBA.get("BUDGETS")
    if isinstance(configured, dict) and name in configured:
        return float(configured[name])
    return DEFAULTS[name]


@dataclass
class TokenBucket:
    """``rate`` tokens a second, at most ``burst`` saved up."""

    rate: float
    burst: float
    tokens: float = -1.0
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = self.burst

    def refill(self) -> None:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait(self) -> float:
        """Seconds until a token is there (0 if one is there now)."""
        self.refill()
        if self.tokens >= 1:
            return 0.0
        return (1 - self.tokens) / self.rate if self.rate > 0 else float("inf")

    def take(self) -> None:
        self.tokens -= 1


def take_all(*buckets: TokenBucket) -> float:
    """Take one token from each bucket, or none if one is empty: then the seconds to wait."""
    wait = max(bucket.wait() for bucket in buckets)
    if wait == 0:
        for bucket in buckets:
            bucket.take()
    return wait


@dataclass
class Ledger:
    """This event loop's sockets and buckets per user."""

    sockets: Counter = field(default_factory=Counter)
    buckets: dict[Any, TokenBucket] = field(default_factory=dict)

    def open(self, user_id: Any) -> bool:
        """Count one more socket of ``user_id``; False (and not counted) over the cap."""
        if self.sockets[user_id] >= budget("MAX_SOCKETS_PER_USER"):
            return False
        self.sockets[user_id] += 1
        return True

    def close(self, user_id: Any) -> None:
        self.sockets[user_id] -= 1
        if self.sockets[user_id] <= 0:
            del self.sockets[user_id]
            self.buckets.pop(user_id, None)

    def user_bucket(self, user_id: Any) -> TokenBucket:
        bucket = self.buckets.get(user_id)
        if bucket is None:
            bucket = self.buckets[user_id] = TokenBucket(
                budget("USER_COMMANDS_PER_SECOND"), budget("USER_COMMAND_BURST"))
        return bucket


_ledgers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Ledger] = (
    weakref.WeakKeyDictionary())


def ledger() -> Ledger:
    loop = asyncio.get_running_loop()
    if loop not in _ledgers:
        _ledgers[loop] = Ledger()
    return _ledgers[loop]


def command_bucket() -> TokenBucket:
    return TokenBucket(budget("COMMANDS_PER_SECOND"), budget("COMMAND_BURST"))


def sync_bucket() -> TokenBucket:
    return TokenBucket(budget("SYNCS_PER_SECOND"), budget("SYNC_BURST"))
