"""Fixtures for the API tests: a fresh signing CA (the minutes workflow signs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from tests.support.minutes import PASSPHRASE, klubba_settings


@pytest.fixture
def signing_dir(tmp_path: Path):
    from minutes.ca_store import init_ca

    directory = tmp_path / "signing"
    with override_settings(KLUBBA={**klubba_settings(), "SIGNING_DIR": directory,
                                   "SIGNING_KEY_PASSPHRASE": PASSPHRASE}):
        init_ca()
        yield directory
