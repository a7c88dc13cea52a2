"""``Authorization: Bearer <token>`` with the API tokens the websocket uses
(``realtime.models.ApiToken``; ``klubba create_api_token``). Only a hash of a token is stored;
a revoked token or an inactive user is refused (``invalid_token``). There is no session and
no cookie, so no CSRF: a browser's cookies never authenticate an API call.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.security import HttpBearer

from realtime.models import ApiToken


class InvalidToken(Exception):
    """A token was presented and is not valid (unknown, revoked, inactive user)."""


class BearerToken(HttpBearer):
    openapi_description = "An API token: `klubba create_api_token <username>`."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = ApiToken.lookup(token)
        if row is None:
            raise InvalidToken
        request.user = row.user
        return row.user


def caller(request: HttpRequest) -> User:
    """The authenticated person (the token's user)."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)  # noqa: S101 - every operation requires the token
    return user
