"""The second factors: a TOTP app (``otp_totp``) and one-time recovery codes
(``otp_static``), on django-otp. Enrolment, checking a code with a reason for a refusal,
and the administrator's reset.

A session is "verified" when django-otp's session key names one of the user's confirmed
devices (``django_otp.login``); deleting the devices (a reset) therefore unverifies every
session of that user at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import django_otp
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from identity.audit import audit
from identity.passkeys import has_passkey, remove_passkeys
from identity.signals import credentials_revoked

RECOVERY_CODES = 10
#: Session keys for the last successful check: when and with what (for step-up).
VERIFIED_AT_SESSION_KEY = "identity_verified_at"
VERIFIED_METHOD_SESSION_KEY = "identity_verified_method"


class CodeRefused(Exception):
    """A code that did not verify; ``reason`` is one of ``wrong``, ``replayed``,
    ``throttled``, ``no_device``, ``malformed``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Check:
    """A second factor checked just now: the method (``totp`` or ``recovery_code``) and when."""

    method: str
    at: Any  # datetime (aware)


def totp_device(user: Any, *, confirmed: bool | None = True) -> TOTPDevice | None:
    devices = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.order_by("pk").first()


def has_second_factor(user: Any) -> bool:
    """A confirmed TOTP app or passkey (recovery codes alone do not count)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists() or has_passkey(user)


def session_verified(session: Any, user: Any) -> bool:
    """Whether this session proved a second factor that the user still has."""
    persistent_id = session.get(DEVICE_ID_SESSION_KEY) if session is not None else None
    if not persistent_id or not getattr(user, "is_authenticated", False):
        return False
    device = Device.from_persistent_id(persistent_id)
    return device is not None and device.user_id == user.pk and device.confirmed


def begin_enrolment(user: Any) -> TOTPDevice:
    """The unconfirmed TOTP device whose secret the QR code shows (one per user, reused
    until confirmed, so reloading the page does not change the code in the app)."""
    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)
    return device


def _looks_replayed(device: TOTPDevice, token: str) -> bool:
    """Whether ``token`` is the code of a step already used (django-otp refuses a step at or
    before ``last_t``; we only tell the user why)."""
    if device.last_t < 0:
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    for t in range(max(device.last_t - device.tolerance, 0), device.last_t + 1):
        totp.time = device.t0 + (t + device.drift) * device.step
        if totp.token() == int(token):
            return True
    return False


def _check_totp(device: TOTPDevice, token: str) -> None:
    if not token.isdigit() or len(token) != device.digits:
        raise CodeRefused("malformed")
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        raise CodeRefused("throttled")
    if device.verify_token(token):
        return
    raise CodeRefused("replayed" if _looks_replayed(device, token) else "wrong")


def confirm_enrolment(request: Any, token: str) -> list[str]:
    """Confirm the new TOTP device with a code from the app; returns fresh recovery codes
    (shown once). The session counts as verified afterwards."""
    user = request.user
    device = totp_device(user, confirmed=False)
    if device is None:
        raise CodeRefused("no_device")
    try:
        _check_totp(device, token.strip())
    except CodeRefused as refused:
        audit("otp.enrol_failed", actor=user, subject=user, reason=refused.reason)
        raise
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(user)
    mark_verified(request, device, method="totp")
    audit("otp.enrolled", actor=user, subject=user, device="totp")
    return codes


def new_recovery_codes(user: Any) -> list[str]:
    """Replace the user's recovery codes with ``RECOVERY_CODES`` new ones."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def mark_verified(request: Any, device: Device, *, method: str) -> Check:
    django_otp.login(request, device)
    now = timezone.now()
    request.session[VERIFIED_AT_SESSION_KEY] = now.isoformat()
    request.session[VERIFIED_METHOD_SESSION_KEY] = method
    return Check(method=method, at=now)


def verify(request: Any, token: str, *, allow_recovery: bool = True, purpose: str = "login"
           ) -> Check:
    """Check a code from the app (or, if allowed, a recovery code) for ``request.user`` and
    mark the session verified. Every refusal is audited with its reason, never the code."""
    user, token = request.user, token.strip().replace(" ", "")
    device = totp_device(user)
    try:
        if device is None:
            raise CodeRefused("no_device")
        if allow_recovery and (not token.isdigit() or len(token) != device.digits):
            return _verify_recovery(request, token, purpose=purpose)
        _check_totp(device, token)
    except CodeRefused as refused:
        audit("otp.failed", actor=user, subject=user, reason=refused.reason, purpose=purpose)
        raise
    check = mark_verified(request, device, method="totp")
    audit("otp.verified", actor=user, subject=user, method="totp", purpose=purpose)
    return check


def _verify_recovery(request: Any, token: str, *, purpose: str) -> Check:
    user = request.user
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise CodeRefused("wrong")
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        raise CodeRefused("throttled")
    if not device.verify_token(token):  # a used code is deleted: a replay is "wrong"
        raise CodeRefused("wrong")
    check = mark_verified(request, device, method="recovery_code")
    left = device.token_set.count()
    audit("otp.verified", actor=user, subject=user, method="recovery_code", purpose=purpose,
          codes_left=left)
    return check


def reset(user: Any, *, by: Any) -> int:
    """The administrator's reset: every second factor of ``user`` is deleted (their sessions
    are no longer verified); they enrol again. Returns how many devices were removed."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        removed += StaticDevice.objects.filter(user=user).delete()[0]
        removed += remove_passkeys(user)
    audit("otp.reset", actor=by, subject=user, removed=removed)
    # Sockets that were let in on the old factor close (they reconnect and verify again).
    credentials_revoked.send(sender=TOTPDevice, user_id=user.pk, session_keys=None,
                             token_ids=None, reason="second_factor_reset")
    return removed


def step_up_max_age() -> int:
    """Seconds a checked second factor counts as fresh for signing (default 5 minutes)."""
    return int(str(settings.KLUBBA.get("STEP_UP_MAX_AGE", 300)))
