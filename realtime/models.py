"""Per-user API tokens for scripted websocket clients (bots, integrations, load tests).

Only a SHA-256 hash of the token is stored, plus a short prefix so people can tell their tokens
apart in the admin. The token itself is shown once, when it is created.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "kbt_"
PREFIX_LENGTH = 12  # "kbt_" + 8 characters of the secret: enough to tell tokens apart
#: ``last_used`` is kept to this precision: a reconnect storm of a thousand scripted clients
#: then costs a thousand reads, not a thousand writes on the handshake's database thread.
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or self.user})"

    @classmethod
    def issue(cls, *, user, name: str = "") -> tuple[ApiToken, str]:
        """Create a token; returns the row and the plain token, which is never stored."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        row = cls.objects.create(
            user=user, name=name, prefix=token[:PREFIX_LENGTH], token_hash=hash_token(token)
        )
        return row, token

    @classmethod
    def authenticate(cls, token: str):
        """The active user the token belongs to, or None (unknown, revoked, inactive user)."""
        row = cls.lookup(token)
        return row.user if row is not None else None

    @classmethod
    def lookup(cls, token: str) -> ApiToken | None:
        """The valid token row (its user loaded and active), marked used; or None.

        Read from the database on every handshake, never from a cache: a revoked token is
        refused by the next connection in every process, whatever that process has heard."""
        return cls.lookup_many([token])[0]

    @classmethod
    def lookup_many(cls, tokens: Sequence[str]) -> list[ApiToken | None]:
        """``lookup`` for the tokens of many handshakes at once (``realtime.auth``): one
        read, and at most one write of ``last_used``, for all of them."""
        hashes = [hash_token(t) if t and len(t) <= 200 else None for t in tokens]
        wanted = {h for h in hashes if h}
        rows = {row.token_hash: row for row in cls.objects.select_related("user").filter(
            token_hash__in=wanted, revoked=False).order_by()} if wanted else {}
        valid = {h: row for h, row in rows.items() if row.user.is_active}
        now = timezone.now()
        stale = [row for row in valid.values()
                 if row.last_used is None or now - row.last_used >= LAST_USED_PRECISION]
        if stale:
            cls.objects.filter(pk__in=[row.pk for row in stale]).update(last_used=now)
            for row in stale:
                row.last_used = now
        return [valid.get(h) if h else None for h in hashes]
