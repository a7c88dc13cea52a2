"""Identity tests: django-otp's wait after a wrong code is off unless a test turns it on."""

import pytest
from django.test import override_settings


@pytest.fixture(autouse=True)
def _no_throttle_wait():
    with override_settings(OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0):
        yield


@pytest.fixture
def signing_dir(tmp_path):
    """A fresh organisation CA for the test, under tmp_path."""
    from minutes.ca_store import init_ca
    from tests.support.minutes import PASSPHRASE, klubba_settings

    directory = tmp_path / "signing"
    with override_settings(KLUBBA={**klubba_settings(), "SIGNING_DIR": directory,
                                   "SIGNING_KEY_PASSPHRASE": PASSPHRASE}):
        init_ca()
        yield directory
