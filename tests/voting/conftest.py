"""Fixtures for the voting tests: a committee meeting with an active item, through the
real meeting commands (no rows written behind the commands' backs)."""

from __future__ import annotations

import pytest

from tests.support.committee import make_committee
from tests.support.voting import Live, start_item


@pytest.fixture
def live(db) -> Live:
    return start_item(make_committee())
