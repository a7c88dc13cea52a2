"""The organisation's switch to turn local passwords off (``KLUBBA["LOCAL_PASSWORDS"]``)
when everyone logs in through single sign-on.

It is a backend placed before Django's ``ModelBackend``: with passwords off it refuses a
password login by raising ``PermissionDenied``, which stops ``authenticate()`` from trying
the next backends. ``ModelBackend`` itself stays, so existing sessions (which name it) stay
valid. Superusers keep their password as a break-glass account for when the identity
provider is down."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from identity.audit import audit


def local_passwords_enabled() -> bool:
    return bool(settings.KLUBBA.get("LOCAL_PASSWORDS", True))


class LocalPasswordsSwitch(ModelBackend):
    """Authenticates nobody itself (``ModelBackend`` after it checks the password); it
    inherits ``get_user`` so a session that names it (``force_login`` picks the first
    backend) still finds its user."""

    def authenticate(self, request: Any, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> Any:
        if password is None or local_passwords_enabled():
            return None
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is not None and user.is_superuser:
            return None  # break-glass: ModelBackend checks the password
        audit("login.refused", subject=user, reason="local_passwords_disabled")
        raise PermissionDenied


class PasswordThrottle(AxesBackend):
    """django-axes' lockout check (``identity.throttle``), first of the backends. It
    authenticates nobody; like ``LocalPasswordsSwitch`` it inherits ``get_user`` from
    ``ModelBackend``, because ``force_login`` names the first backend in the session.

    A call without a request (``Client.login`` in tests, a management command) is not a
    login over the web: nobody outside the server can make it, so it is not throttled instead
    of failing with axes' "request required" error."""

    def authenticate(self, request: Any, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
