"""A user's sessions and credentials: the list, revoking one, logging out everywhere, and the
idle timeout.

Every login writes a ``UserSession`` row (``user_logged_in``); a logout deletes it. Revoking
deletes the session from Django's session store (the browser is logged out at its next
request) and sends ``identity.signals.credentials_revoked``, on which the socket layer closes
that session's open websockets.

API tokens belong to ``realtime`` (which identity may not import): it registers a
``CredentialSource`` here, so the sessions page lists and revokes them too.

Idle timeout (``KLUBBA["SESSION_IDLE_TIMEOUT"]`` seconds, 0 = off): a session not seen for
that long is logged out at its next request and its sockets are refused. A page request sees
the session; so does every open websocket of the session (``touch``, called periodically by
``realtime.revocation``), so a member whose meeting page is open is never logged out
mid-meeting, however long they only listen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any, Protocol
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout, user_logged_in, user_logged_out
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from identity.audit import audit
from identity.models import UserSession
from identity.signals import credentials_revoked

#: A page request refreshes ``last_seen_at`` at most this often (seconds): fewer writes.
SEEN_GRANULARITY = 60


def idle_timeout() -> int:
    """Seconds a session may go unseen before it is logged out (0: never)."""
    return int(str(settings.KLUBBA.get("SESSION_IDLE_TIMEOUT", 0)))


def touch_interval() -> float:
    """How often open sockets refresh their sessions (seconds): well within the timeout."""
    timeout = idle_timeout()
    return max(min(timeout / 4, 300.0), 5.0) if timeout else 300.0


# --- credentials of other apps (API tokens) ------------------------------------------------


@dataclass(frozen=True)
class Credential:
    """One credential listed on the sessions page."""

    kind: str
    id: int
    name: str
    created: datetime
    last_used: datetime | None


class CredentialSource(Protocol):
    kind: str

    def list(self, user: Any) -> list[Credential]: ...

    def revoke(self, user: Any, credential_id: int) -> bool:
        """Revoke the user's credential (closing its sockets); False if it is not theirs."""


_sources: dict[str, CredentialSource] = {}


def register_source(source: CredentialSource) -> None:
    _sources[source.kind] = source


def credentials(user: Any) -> list[Credential]:
    return [c for source in _sources.values() for c in source.list(user)]


def revoke_credential(user: Any, kind: str, credential_id: int, *, by: Any) -> bool:
    source = _sources.get(kind)
    if source is None or not source.revoke(user, credential_id):
        return False
    audit("credential.revoked", actor=by, subject=user, kind=kind, id=credential_id)
    return True


# --- sessions ------------------------------------------------------------------------------


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def record(request: HttpRequest, user: Any) -> UserSession | None:
    """The row of ``request``'s session (created if missing)."""
    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    if not key:
        return None
    row, _created = UserSession.objects.update_or_create(
        session_key=key, defaults={
            "user": user, "last_seen_at": timezone.now(),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
            "ip": _client_ip(request),
        })
    return row


def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None:
        record(request, user)


def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if not key or user is None:
        return
    UserSession.objects.filter(session_key=key).delete()
    credentials_revoked.send(sender=UserSession, user_id=user.pk, session_keys=[key],
                             token_ids=None, reason="logout")


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="identity.sessions.logged_in")
    user_logged_out.connect(_logged_out, dispatch_uid="identity.sessions.logged_out")


def _delete_stored(keys: list[str]) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store(session_key=key).delete()


def revoke(user: Any, rows: Any, *, by: Any, reason: str = "revoked") -> int:
    """End the sessions ``rows`` (a queryset of the user's ``UserSession``): their browsers
    are logged out and their sockets closed."""
    keys = list(rows.filter(user=user).values_list("session_key", flat=True))
    if not keys:
        return 0
    _delete_stored(keys)
    UserSession.objects.filter(session_key__in=keys).delete()
    audit("session.revoked", actor=by, subject=user, count=len(keys), reason=reason)
    credentials_revoked.send(sender=UserSession, user_id=user.pk, session_keys=keys,
                             token_ids=None, reason=reason)
    return len(keys)


def logout_everywhere(request: HttpRequest) -> int:
    """Every session of the user ends, this one too (API tokens stay: revoke them one by
    one)."""
    user = request.user
    count = revoke(user, UserSession.objects.all(), by=user, reason="logout_everywhere")
    logout(request)
    return count


def touch(session_keys: list[str]) -> int:
    """The sessions have an open websocket: they are in use (``realtime.revocation``)."""
    if not session_keys:
        return 0
    return UserSession.objects.filter(session_key__in=session_keys).update(
        last_seen_at=timezone.now())


def idle_expired(row: UserSession | None, now: datetime | None = None) -> bool:
    timeout = idle_timeout()
    if not timeout or row is None:
        return False
    return (now or timezone.now()) - row.last_seen_at > timedelta(seconds=timeout)


def session_idle_expired(session: Any) -> bool:
    """For the socket's connect: the session exists but was idle too long."""
    key = getattr(session, "session_key", None)
    if not key or not idle_timeout():
        return False
    return idle_expired(UserSession.objects.filter(session_key=key).first())


class IdleTimeoutMiddleware:
    """After ``AuthenticationMiddleware``: a session idle for longer than the timeout is
    logged out (audited) and sent to the login page; others are marked seen."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.session.session_key:
            expired = self.seen(request, user)
            if expired is not None:
                return expired
        return self.get_response(request)

    def seen(self, request: HttpRequest, user: Any) -> HttpResponse | None:
        row = UserSession.objects.filter(session_key=request.session.session_key).first()
        now = timezone.now()
        if row is None or row.user_id != user.pk:
            record(request, user)
            return None
        if idle_expired(row, now):
            audit("session.idle_timeout", subject=user,
                  idle_seconds=int((now - row.last_seen_at).total_seconds()))
            logout(request)
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('login')}?{query}")
        if not row.user_agent and request.META.get("HTTP_USER_AGENT"):
            record(request, user)  # a login without a browser's request (e.g. a script)
        elif now - row.last_seen_at > timedelta(seconds=SEEN_GRANULARITY):
            UserSession.objects.filter(pk=row.pk).update(last_seen_at=now)
        return None
