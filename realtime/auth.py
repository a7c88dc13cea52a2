"""Who is on the other end of a websocket: origin checks, session or API token.

Browsers send an ``Origin`` header and the session cookie; a page on another site could open a
socket with the user's cookie (cross-site websocket hijacking), so a present ``Origin`` must
be the socket's own origin or a trusted one, by scheme, host and port (``realtime.origins``).
Scripted clients send no ``Origin``; they must present an API token, and any cookie they
send is ignored, so a session can never be used without an origin check.
"""

from __future__ import annotations

import logging
from importlib import import_module
from urllib.parse import parse_qs

from channels.auth import AuthMiddleware
from channels.middleware import BaseMiddleware
from channels.security.websocket import WebsocketDenier
from channels.sessions import CookieMiddleware
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from realtime.coalesce import Coalescer
from realtime.models import ApiToken
from realtime.origins import origin_allowed

logger = logging.getLogger(__name__)


def header(scope: dict, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value
    return None


def presented_token(scope: dict) -> str | None:
    """The token from ``Authorization: Bearer <token>`` or else from ``?token=<token>``.

    Returns "" for an Authorization header that is present but not a bearer token, so a
    malformed credential is refused instead of silently ignored.
    """
    authorization = header(scope, b"authorization")
    if authorization is not None:
        scheme, _, token = authorization.decode("latin1").strip().partition(" ")
        return token.strip() if scheme.lower() == "bearer" else ""
    query = parse_qs(scope.get("query_string", b"").decode("latin1"))
    values = query.get("token")
    return values[0] if values else None


class OriginOrTokenValidator:
    """A present ``Origin`` must be allowed (``realtime.origins``); no ``Origin`` needs a token.

    Settings are read per connection, so settings overrides in tests apply.
    """

    def __init__(self, application) -> None:
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            raise ValueError("OriginOrTokenValidator only guards websockets")
        raw_origin = header(scope, b"origin")
        if raw_origin is not None:
            if not origin_allowed(scope, raw_origin.decode("latin1")):
                logger.info("websocket refused: origin %r not allowed for host %r",
                            raw_origin[:100], (header(scope, b"host") or b"")[:100])
                return await WebsocketDenier()(scope, receive, send)
        else:
            if not presented_token(scope):
                logger.info("websocket refused: no Origin header and no API token")
                return await WebsocketDenier()(scope, receive, send)
            scope = {
                **scope,
                "headers": [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"cookie"],
            }
        return await self.application(scope, receive, send)


class SessionFromCookieMiddleware(BaseMiddleware):
    """Channels' ``SessionMiddleware`` without its ``send`` wrapper.

    That wrapper checks, for every frame sent to every socket, whether the session changed
    and must be saved; a websocket never changes the session (logging in and out happens over
    HTTP), and at a thousand sockets the check was a fifth of a broadcast's time. The session
    is looked up lazily from the cookie, as Channels does."""

    async def __call__(self, scope, receive, send):
        if "session" not in scope:
            key = scope.get("cookies", {}).get(settings.SESSION_COOKIE_NAME)
            scope = {**scope, "session": import_module(settings.SESSION_ENGINE).SessionStore(key)}
        return await self.inner(scope, receive, send)


def session_auth(inner):
    """Cookie -> session (read only) -> ``scope["user"]``, for websockets."""
    return CookieMiddleware(SessionFromCookieMiddleware(AuthMiddleware(inner)))


#: The tokens of handshakes that arrive together are looked up together (one query).
token_lookups: Coalescer[str, ApiToken | None] = Coalescer(
    lambda _key, tokens: ApiToken.lookup_many(tokens), "token-lookup")


class TokenAuthMiddleware(BaseMiddleware):
    """Sets ``scope["user"]`` from an API token when one is presented (it wins over the session).

    ``scope["auth"]`` says how the user was identified ("token", "session" or None) and
    ``scope["auth_error"]`` is "invalid_token" for an unknown or revoked token;
    ``scope["token_id"]`` is the token's id.
    """

    async def __call__(self, scope, receive, send):
        scope = dict(scope)
        token = presented_token(scope)
        if token is not None:
            row = await token_lookups(None, token)
            scope["user"] = row.user if row is not None else AnonymousUser()
            scope["auth"] = "token" if row is not None else None
            if row is None:
                scope["auth_error"] = "invalid_token"
            else:
                scope["token_id"] = row.pk  # realtime.revocation closes it on revoke
        else:
            user = scope.get("user")
            scope["auth"] = "session" if getattr(user, "is_authenticated", False) else None
        return await self.inner(scope, receive, send)
