"""Helpers for the identity tests: codes from a TOTP device as the phone app computes them,
an enrolled user, and the body's second-factor rule."""

from __future__ import annotations

from base64 import b32decode
from typing import Any

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from identity.models import BodySecurity


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The six digits the authenticator app shows now (or ``steps_ahead`` steps later)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0 - steps_ahead * device.step, device.digits, device.drift):0{device.digits}d}"  # noqa: E501


def secret_code(secret: str) -> str:
    """What an app that scanned the base32 ``secret`` shows (SHA-1, 6 digits, 30 s).

    Blind to the drift a device syncs when it accepts a code; after the first code, use
    :func:`code_for` with the device.
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
