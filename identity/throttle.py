"""Password guessing: the login and signing passwords share one counter per user.

django-axes counts failed password logins per username (settings ``AXES_*``) and refuses a
locked-out username in ``AxesStandaloneBackend`` before any backend checks the password. The
signing page checks the same password again (``minutes.commands.justering``), so its failures
are counted here in the same place: a guesser with a stolen session gets no more tries at
signing than at the login page, and a lockout at either place locks both. Single sign-on
logins carry no username and are never counted.

Every failure and lockout is an ``identity.AuditEntry``: the user it concerns when the name is
a known username (a mistyped name might be a password typed in the wrong field, so an unknown
name is not recorded), and where it happened. Never the password.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from identity.audit import audit

#: ``sender`` of the failures the signing page reports (the login's come from Django).
SIGNING = "klubba.signing"


def locked_text() -> str:
    minutes = max(1, round(get_cool_off().total_seconds() / 60)) if get_cool_off() else 0
    return ngettext(
        "Too many wrong passwords: the account is locked. Try again in %(minutes)d minute, "
        "or ask the administrator to unlock it.",
        "Too many wrong passwords: the account is locked. Try again in %(minutes)d minutes, "
        "or ask the administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def _credentials(user: Any) -> dict[str, str]:
    return {"username": user.get_username()}


def password_locked(request: HttpRequest, user: Any) -> bool:
    """Is ``user`` locked out (too many wrong passwords at login or at signing)?"""
    return not AxesProxyHandler.is_allowed(request, _credentials(user))


def signing_password_failed(request: HttpRequest, user: Any) -> bool:
    """Count a wrong signing password (as a failed login); True if the user is now locked.

    axes marks the request as locked out for its middleware, which would answer with the
    login page; the signing page shows the refusal itself, so the mark is taken off."""
    user_login_failed.send(sender=SIGNING, credentials=_credentials(user), request=request)
    request.axes_locked_out = False  # type: ignore[attr-defined]
    return password_locked(request, user)


def _known_user(credentials: dict[str, Any] | None) -> Any:
    username = (credentials or {}).get("username")
    if not isinstance(username, str) or not username:
        return None
    return get_user_model()._default_manager.filter(username=username).first()


@receiver(user_login_failed, dispatch_uid="klubba-password-failed")
def _audit_failure(sender: Any, credentials: dict[str, Any], request: Any = None,
                   **_kwargs: Any) -> None:
    if not (credentials or {}).get("username"):
        return  # single sign-on and other logins without a password
    user = _known_user(credentials)
    audit("password.failed", subject=user, where="signing" if sender == SIGNING else "login",
          known_user=user is not None)


@receiver(user_locked_out, dispatch_uid="klubba-password-locked")
def _audit_lockout(sender: Any, request: Any = None, username: str | None = None,
                   **_kwargs: Any) -> None:
    user = _known_user({"username": username})
    where = "signing" if getattr(request, "resolver_match", None) and \
        request.resolver_match.url_name == "minutes_sign" else "login"
    audit("password.locked_out", subject=user, where=where, known_user=user is not None)


def lockout_response(request: HttpRequest, *_args: Any, **_kwargs: Any) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the login page again, with the lockout message (429)."""
    from identity.views.login import login_context

    username = request.POST.get("username", "") if request.method == "POST" else ""
    form = AuthenticationForm(request, initial={"username": username})
    context = {**login_context(), "form": form, "locked": locked_text(),
               "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)
