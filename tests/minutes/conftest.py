"""Fixtures for the minutes tests: a meeting held through the real commands, and a signing CA."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client, override_settings

from tests.support.committee import make_committee
from tests.support.minutes import (
    PASSPHRASE,
    Held,
    Live,
    hold_live_meeting,
    hold_meeting,
    klubba_settings,
)


@pytest.fixture
def held(db) -> Held:
    return hold_meeting(make_committee())


@pytest.fixture
def signing_dir(tmp_path: Path):
    """A fresh organisation CA for the test, under tmp_path."""
    from minutes.ca_store import init_ca

    directory = tmp_path / "signing"
    with override_settings(KLUBBA={**klubba_settings(), "SIGNING_DIR": directory,
                                   "SIGNING_KEY_PASSPHRASE": PASSPHRASE}):
        init_ca()
        yield directory


@pytest.fixture
def live(db) -> Live:
    return hold_live_meeting(make_committee())


@pytest.fixture
def client() -> Client:
    """The pages in English: the tests read the English source strings (Swedish is default,
    whatever Accept-Language says; English is the visitor's choice, the language cookie)."""
    client = Client()
    client.cookies["django_language"] = "en"
    return client
