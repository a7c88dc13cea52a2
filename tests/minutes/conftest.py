"""Fixtures for the minutes tests: a meeting held through the real commands, and a signing CA."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import override_settings

from meetings.commands import (
    adjusters_choose,
    agenda_approve,
    attendance_check_in,
    attendance_check_out,
    item_activate,
    item_close,
    meeting_adjourn,
    meeting_open,
)
from meetings.models import AgendaItem
from tests.conftest import Committee, make_committee

PASSPHRASE = "tests-only-signing-passphrase-0123456789"  # noqa: S105
PNR = "19800101-1234"


@dataclass
class Held:
    c: Committee
    late: object  # members[4], arrives during item 2
    leaver: object  # members[3], leaves during item 3
    absent: object  # members[2], never comes
    adjusters: list


def hold_meeting(c: Committee, *, adjourn: bool = True) -> Held:
    """A scripted meeting: roll call, agenda, adjusters, four items, a late arrival, a leaver."""
    mid = c.meeting.pk
    sec = c.secretary
    # Put a personal identity number in the confidential item's description (public: masked
    # AND withheld) and one in an open item's description (public: masked only).
    AgendaItem.objects.filter(pk=c.items[3].pk).update(
        description=f"Föreläggande mot fastighetsägare {PNR}. Hemlig uppgift XYZZY."
    )
    AgendaItem.objects.filter(pk=c.items[1].pk).update(
        description="Sökanden 800101-1234 ansöker om bygglov för en carport."
    )
    meeting_open(meeting_id=mid, actor=sec)
    chair, m2, m3, m4, m5 = c.members
    attendance_check_in(meeting_id=mid, actor=sec, user_id=chair.pk, remote=False)
    attendance_check_in(meeting_id=mid, actor=sec, user_id=m2.pk, remote=True)
    attendance_check_in(meeting_id=mid, actor=sec, user_id=m4.pk, remote=False)
    attendance_check_in(meeting_id=mid, actor=sec, user_id=c.substitutes[0].pk, remote=True)
    attendance_check_in(meeting_id=mid, actor=sec, user_id=sec.pk, remote=False)
    agenda_approve(meeting_id=mid, actor=sec)
    for n, item in enumerate(c.items):
        item_activate(meeting_id=mid, actor=sec, item_id=item.pk)
        if n == 0:
            adjusters_choose(meeting_id=mid, actor=sec, user_ids=[m2.pk, m4.pk])
        if n == 1:
            attendance_check_in(meeting_id=mid, actor=sec, user_id=m5.pk, remote=False)
        if n == 2:
            attendance_check_out(meeting_id=mid, actor=sec, user_id=m4.pk)
        item_close(meeting_id=mid, actor=sec, item_id=item.pk)
    if adjourn:
        meeting_adjourn(meeting_id=mid, actor=sec)
    return Held(c=c, late=m5, leaver=m4, absent=m3, adjusters=[m2, m4])


@pytest.fixture
def held(db) -> Held:
    return hold_meeting(make_committee())


@pytest.fixture
def signing_dir(tmp_path: Path):
    """A fresh organisation CA for the test, under tmp_path."""
    from minutes.ca_store import init_ca

    directory = tmp_path / "signing"
    with override_settings(KLUBBA={**_klubba(), "SIGNING_DIR": directory,
                                   "SIGNING_KEY_PASSPHRASE": PASSPHRASE}):
        init_ca()
        yield directory


def _klubba() -> dict:
    from django.conf import settings

    return dict(settings.KLUBBA)
