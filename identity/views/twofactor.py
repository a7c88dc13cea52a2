"""Pages for the second factor: overview, enrolment (QR code, recovery codes), verification
at login, and the organisation administrator's reset."""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from identity import factors
from identity.audit import audit
from identity.messages import refusal_text
from identity.passkeys import has_passkey
from identity.qr import qr_svg


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return "/"


@never_cache
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(request, "identity/overview.html", {
        "has_factor": factors.has_second_factor(user),
        "verified": factors.session_verified(request.session, user),
        "codes_left": factors.recovery_codes_left(user),
    })


@never_cache
@sensitive_post_parameters("token")
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up the app: QR code and secret, then a code from the app confirms it."""
    user = request.user
    if factors.has_second_factor(user) and not factors.session_verified(request.session, user):
        return _to('identity:verify', request.get_full_path())
    error = None
    if request.method == "POST":
        try:
            codes = factors.confirm_enrolment(request, request.POST.get("token", ""))
        except factors.CodeRefused as refused:
            error = refusal_text(refused.reason)
        else:
            return render(request, "identity/recovery_codes.html",
                          {"codes": codes, "next": _next(request), "enrolled": True})
    device = factors.begin_enrolment(user)
    context = {
        "qr": qr_svg(device.config_url),
        "secret": b32encode(device.bin_key).decode().rstrip("="),
        "error": error, "next": _next(request),
    }
    return render(request, "identity/enrol.html", context, status=400 if error else 200)


@never_cache
@sensitive_post_parameters("token")
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of logging in: a code from the app or a recovery code."""
    if not factors.has_second_factor(request.user):
        return _to('identity:enrol', _next(request))
    error = None
    if request.method == "POST":
        try:
            factors.verify(request, request.POST.get("token", ""))
        except factors.CodeRefused as refused:
            error = refusal_text(refused.reason)
        else:
            return redirect(_next(request))
    return render(request, "identity/verify.html", {
        "error": error, "next": _next(request), "has_passkey": has_passkey(request.user),
        "has_totp": factors.totp_device(request.user) is not None,
    }, status=400 if error else 200)


@never_cache
@login_required
@require_http_methods(["POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working); needs a verified session."""
    if not factors.session_verified(request.session, request.user):
        return _to('identity:verify', reverse('identity:overview'))
    codes = factors.new_recovery_codes(request.user)
    audit("otp.recovery_codes_renewed", actor=request.user, subject=request.user)
    return render(request, "identity/recovery_codes.html", {"codes": codes, "next": "/"})


@never_cache
@login_required
@permission_required("identity.reset_second_factor", raise_exception=True)
@require_http_methods(["GET", "POST"])
def reset(request: HttpRequest) -> HttpResponse:
    """The organisation administrator removes a member's second factor (a lost phone)."""
    message = error = None
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        target = get_user_model().objects.filter(username=username).first()
        if target is None:
            error = _("There is no user with that username.")
        else:
            removed = factors.reset(target, by=request.user)
            message = _("The second factor of %(name)s was reset (%(count)s removed). They "
                        "enrol again at their next login.") % {
                "name": target.get_full_name() or target.get_username(), "count": removed}
    return render(request, "identity/reset.html", {"message": message, "error": error},
                  status=400 if error else 200)


def _to(name: str, next_url: str) -> HttpResponse:
    return redirect(f"{reverse(name)}?{urlencode({'next': next_url})}")
