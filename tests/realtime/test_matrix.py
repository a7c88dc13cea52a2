"""Role x command matrix for the wire commands.

Table-driven: add a command with ``SETUPS[name]`` (bring the meeting into a state where the
command can work and return its args) and a row in ``EXPECTED`` (role -> "ok" or the error
code). Roles: the anonymous public (public socket), a logged-in non-member (participant socket
is refused), a non-serving substitute, a member, a member recused on the active item, the
secretary and the chair (the body lets the chair run the meeting).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from meetings.commands import (
    agenda_approve,
    attendance_check_in,
    item_activate,
    item_close,
    meeting_open,
    meeting_pause,
)
from meetings.models import Recusal
from tests.support.committee import UNDECIDED, Committee
from tests.support.sockets import matrix_cell

pytestmark = pytest.mark.django_db(transaction=True)

OK = "ok"


def running(c: Committee) -> None:
    """Open, agenda approved, members 2-4 present, item 2 active; member 4 recused on it."""
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    for member in c.members[1:4]:
        attendance_check_in(meeting_id=c.meeting.pk, actor=c.secretary, user_id=member.pk)
    agenda_approve(meeting_id=c.meeting.pk, actor=c.secretary)  # after the roll call: quorum
    item_activate(meeting_id=c.meeting.pk, actor=c.secretary, item_id=c.items[1].pk)
    Recusal.objects.create(item=c.items[1], user=c.members[3], reason="Släkt")


def between_items(c: Committee) -> None:
    running(c)
    item_close(meeting_id=c.meeting.pk, actor=c.secretary, item_id=c.items[1].pk, **UNDECIDED)


def setup_open(c: Committee) -> dict:
    return {}


def setup_pause(c: Committee) -> dict:
    running(c)
    return {"reason": "Paus"}


def setup_resume(c: Committee) -> dict:
    running(c)
    meeting_pause(meeting_id=c.meeting.pk, actor=c.secretary)
    return {}


def setup_adjourn(c: Committee) -> dict:
    between_items(c)
    return {}


def setup_running(c: Committee) -> dict:
    running(c)
    return {}


def setup_check_in(c: Committee) -> dict:
    """The present members were checked in remote; checking in in the room is a change (a
    repeat that changes nothing logs nothing: tests/meetings/test_budgets.py)."""
    running(c)
    return {"remote": False}


def setup_check_out(c: Committee) -> dict:
    """Everyone a role stands for is present (checking out the absent logs nothing)."""
    running(c)
    for person in (c.secretary, c.chair, c.substitutes[0]):
        attendance_check_in(meeting_id=c.meeting.pk, actor=c.secretary, user_id=person.pk,
                            remote=False)
    return {}


def setup_confirm(c: Committee) -> dict:
    running(c)
    attendance_check_in(meeting_id=c.meeting.pk, actor=c.members[4])  # self check-in
    return {"user_ids": [c.members[4].pk]}


def setup_activate(c: Committee) -> dict:
    between_items(c)
    return {"item_id": c.items[2].pk}


def setup_close(c: Committee) -> dict:
    running(c)
    return {"item_id": c.items[1].pk, **UNDECIDED}


def setup_adjusters(c: Committee) -> dict:
    running(c)
    return {"user_ids": [c.members[1].pk, c.members[2].pk]}


def setup_approve(c: Committee) -> dict:
    """Open, the roll call held (members 2-4: a quorum); no item before the agenda."""
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    for member in c.members[1:4]:
        attendance_check_in(meeting_id=c.meeting.pk, actor=c.secretary, user_id=member.pk)
    return {}


SETUPS: dict[str, Callable[[Committee], dict]] = {
    "meeting.open": setup_open,
    "meeting.pause": setup_pause,
    "meeting.resume": setup_resume,
    "meeting.adjourn": setup_adjourn,
    "roll_call.start": setup_running,
    "attendance.check_in": setup_check_in,
    "attendance.check_out": setup_check_out,
    "attendance.confirm": setup_confirm,
    "agenda.approve": setup_approve,
    "item.activate": setup_activate,
    "item.close": setup_close,
    "adjusters.choose": setup_adjusters,
}

ROLES: dict[str, Callable[[Committee], object]] = {
    "public": lambda c: None,
    "outsider": lambda c: c.outsider,
    "substitute": lambda c: c.substitutes[0],
    "member": lambda c: c.members[2],
    "recused": lambda c: c.members[3],
    "secretary": lambda c: c.secretary,
    "chair": lambda c: c.chair,
}

CONTROL = {"public": "permission_denied", "outsider": "not_a_participant",
           "substitute": "permission_denied", "member": "permission_denied",
           "recused": "permission_denied", "secretary": OK, "chair": OK}
#: Under ``chair_ensures`` (the default) confirming a remote participant is the presiding
#: person's act; the secretary may do it as their clerk.
PRESIDING_ACT = {**CONTROL, "substitute": "not_presiding", "member": "not_presiding",
                 "recused": "not_presiding"}
SELF_SERVICE = {"public": "permission_denied", "outsider": "not_a_participant",
                "substitute": OK, "member": OK, "recused": OK, "secretary": OK, "chair": OK}

EXPECTED: dict[str, dict[str, str]] = {
    "meeting.open": CONTROL,
    "meeting.pause": CONTROL,
    "meeting.resume": CONTROL,
    "meeting.adjourn": CONTROL,
    "roll_call.start": CONTROL,
    "attendance.check_in": SELF_SERVICE,
    "attendance.check_out": SELF_SERVICE,
    "attendance.confirm": PRESIDING_ACT,  # a remote self check-in (setup_confirm)
    "agenda.approve": CONTROL,
    "item.activate": CONTROL,
    "item.close": CONTROL,
    "adjusters.choose": CONTROL,
}

CELLS = [(command, role, expected)
         for command, row in EXPECTED.items() for role, expected in row.items()]


def test_every_command_has_a_setup_and_every_role_a_cell():
    assert set(SETUPS) == set(EXPECTED)
    assert all(set(row) == set(ROLES) for row in EXPECTED.values())


@pytest.mark.parametrize(("command", "role", "expected"), CELLS,
                         ids=[f"{cmd}-{role}" for cmd, role, _ in CELLS])
async def test_cell(command: str, role: str, expected: str):
    await matrix_cell(command=command, role=role, expected=expected, setups=SETUPS,
                      roles=ROLES, exact_result=True)
