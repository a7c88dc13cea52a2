"""The user's sessions and API tokens: list, revoke one, log out everywhere."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from identity import sessions
from identity.models import UserSession


def _user(request: HttpRequest) -> Any:
    return request.user  # logged in (login_required)


@never_cache
@login_required
@require_http_methods(["GET"])
def overview(request: HttpRequest) -> HttpResponse:
    rows = UserSession.objects.filter(user=_user(request))
    return render(request, "identity/sessions.html", {
        "sessions": rows, "current_key": request.session.session_key,
        "credentials": sessions.credentials(request.user),
    })


@never_cache
@login_required
@require_POST
def revoke(request: HttpRequest) -> HttpResponse:
    """Revoke one session (``session`` = its row id) or credential (``kind`` and ``id``)."""
    user = request.user
    session_id, kind = request.POST.get("session", ""), request.POST.get("kind", "")
    if session_id.isdigit():
        rows = UserSession.objects.filter(user=_user(request), pk=int(session_id))
        if rows.filter(session_key=request.session.session_key).exists():
            logout(request)  # this very browser: an ordinary logout (closes its sockets)
            return redirect("login")
        if not sessions.revoke(user, rows, by=user):
            return HttpResponse(status=404)
    elif kind and request.POST.get("id", "").isdigit():
        if not sessions.revoke_credential(user, kind, int(request.POST["id"]), by=user):
            return HttpResponse(status=404)
    else:
        return HttpResponse(status=400)
    return redirect("identity:sessions")


@never_cache
@login_required
@require_POST
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    sessions.logout_everywhere(request)
    return redirect("login")
