"""Identity tests: django-otp's wait after a wrong code is off unless a test turns it on."""

import pytest
from django.test import override_settings


@pytest.fixture(autouse=True)
def _no_throttle_wait():
    with override_settings(OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0):
        yield
