"""Per-user API tokens for scripted websocket clients (bots, integrations, load tests).

Only a SHA-256 hash of the token is stored, plus a short prefix so people can tell their tokens
apart in the admin. The token itself is shown once, when it is created.
"""

from __future__ import annotations

import hashlib
import secrets
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
        if not token or len(token) > 200:
            return None
        row = (
            cls.objects.select_related("user")
            .filter(token_hash=hash_token(token), revoked=False).first()
        )
        if row is None or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used is None or now - row.last_used >= LAST_USED_PRECISION:
            cls.objects.filter(pk=row.pk).update(last_used=now)
            row.last_used = now
        return row
