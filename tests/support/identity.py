"""Helpers for the identity tests: codes from a TOTP device as the phone app computes them,
an enrolled user, and the body's second-factor rule."""

from __future__ import annotations

import time
from base64 import b32decode
from typing import Any

from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from identity.models import BodySecurity


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The six digits the authenticator app shows now (or ``steps_ahead`` steps later)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0 - steps_ahead * device.step, device.digits, device.drift):0{device.digits}d}"  # noqa: E501


def fresh_code(device: TOTPDevice) -> str:
    """A code the device accepts now and has not seen: its current step, or the step after
    the last one it accepted (a code is good once), waiting if that is out of tolerance."""
    device.refresh_from_db()

    def now() -> int:  # the device's step now, its synced drift included
        return TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()

    while device.last_t + 1 - now() > device.tolerance:
        time.sleep(0.5)
    return code_for(device, steps_ahead=max(0, device.last_t + 1 - now()))


def secret_code(secret: str) -> str:
    """What an app that scanned the base32 ``secret`` shows (SHA-1, 6 digits, 30 s).

    Blind to the drift a device syncs when it accepts a code; after the first code, use
    :func:`fresh_code` with the device.
    """
    key = b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, 30, 0, 6, 0):06d}"


def enrolled(user: Any) -> TOTPDevice:
    """A confirmed TOTP device for ``user`` (as after enrolment)."""
    return TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)


def require_second_factor(body: Any, *, voters: bool = False) -> BodySecurity:
    return BodySecurity.objects.update_or_create(
        body=body, defaults={"require_second_factor_officers": True,
                             "require_second_factor_voters": voters})[0]
