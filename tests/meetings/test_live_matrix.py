"""Role x command matrix for the live-meeting wire commands (substitutes, jäv, speakers,
proposals): every cell either works or returns the documented error code, with nothing logged.

Roles: the anonymous public (public socket), a logged-in non-member (participant socket is
refused), a present substitute who does not serve, a serving member, a member recused on the
active item, the secretary and the chair (the body lets the chair run the meeting).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from meetings.commands import (
    attendance_check_in,
    item_activate,
    item_close,
    meeting_open,
    proposal_make,
    recusal_record,
    speaker_give_floor,
    speaker_request,
    substitute_call_in,
)
from meetings.models import Body
from realtime.commands.meetings_live import LIVE_COMMANDS
from tests.support.committee import UNDECIDED, Committee, roll_call_and_agenda
from tests.support.sockets import _no_leftover_presence_timers, db, matrix_cell  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

OK = "ok"


def running(c: Committee) -> None:
    """Members 1-4 and both substitutes present; item 2 active; member 4 recused on it."""
    mid = c.meeting.pk
    meeting_open(meeting_id=mid, actor=c.secretary)
    for person in [*c.members[:4], *c.substitutes]:
        attendance_check_in(meeting_id=mid, actor=c.secretary, user_id=person.pk, remote=False)
    roll_call_and_agenda(c, present=[])
    item_activate(meeting_id=mid, actor=c.secretary, item_id=c.items[1].pk)
    recusal_record(meeting_id=mid, actor=c.secretary, item_id=c.items[1].pk,
                   user_id=c.members[3].pk)


def between_items(c: Committee) -> None:
    running(c)
    item_close(meeting_id=c.meeting.pk, actor=c.secretary, item_id=c.items[1].pk, **UNDECIDED)


def setup_call_in(c: Committee) -> dict:
    between_items(c)
    return {"seat_number": 5, "user_id": c.substitutes[1].pk}


def setup_release(c: Committee) -> dict:
    between_items(c)
    substitute_call_in(meeting_id=c.meeting.pk, actor=c.secretary, seat_number=5,
                       user_id=c.substitutes[1].pk)
    return {"seat_number": 5}


def setup_declare(c: Committee) -> dict:
    running(c)
    return {"item_id": c.items[2].pk, "reason": "Närstående"}


def setup_record(c: Committee) -> dict:
    running(c)
    return {"item_id": c.items[2].pk, "user_id": c.members[2].pk}


def setup_withdraw_recusal(c: Committee) -> dict:
    running(c)
    return {"item_id": c.items[1].pk, "user_id": c.members[3].pk}


def setup_request(c: Committee) -> dict:
    running(c)
    return {"kind": "speak"}


def setup_withdraw_request(c: Committee) -> dict:
    running(c)
    event = speaker_request(meeting_id=c.meeting.pk, actor=c.members[2])
    return {"request_id": event.payload["request_id"]}


def setup_give_floor(c: Committee) -> dict:
    running(c)
    speaker_request(meeting_id=c.meeting.pk, actor=c.members[1])
    return {}


def setup_done(c: Committee) -> dict:
    running(c)
    speaker_request(meeting_id=c.meeting.pk, actor=c.members[2])
    speaker_give_floor(meeting_id=c.meeting.pk, actor=c.secretary)
    return {}


def setup_time_add(c: Committee) -> dict:
    Body.objects.filter(pk=c.body.pk).update(speaking_time_seconds=120)
    setup_done(c)
    return {"seconds": 60}


def setup_make(c: Committee) -> dict:
    running(c)
    return {"kind": "avslag"}


def setup_withdraw_proposal(c: Committee) -> dict:
    running(c)
    event = proposal_make(meeting_id=c.meeting.pk, actor=c.members[2], kind="avslag")
    return {"proposal_id": event.payload["proposal_id"]}


def setup_presiding(c: Committee) -> dict:
    """The chair is recused on the active item: the secretary hands over to a member."""
    running(c)
    recusal_record(meeting_id=c.meeting.pk, actor=c.secretary, item_id=c.items[1].pk,
                   user_id=c.chair.pk)
    return {"user_id": c.members[1].pk}


SETUPS: dict[str, Callable[[Committee], dict]] = {
    "presiding.change": setup_presiding,
    "substitute.call_in": setup_call_in,
    "substitute.release": setup_release,
    "recusal.declare": setup_declare,
    "recusal.record": setup_record,
    "recusal.withdraw": setup_withdraw_recusal,
    "speaker.request": setup_request,
    "speaker.withdraw": setup_withdraw_request,
    "speaker.give_floor": setup_give_floor,
    "speaker.done": setup_done,
    "speaker.time_add": setup_time_add,
    "proposal.make": setup_make,
    "proposal.withdraw": setup_withdraw_proposal,
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

DENIED = "permission_denied"
CONTROL = {"public": DENIED, "outsider": "not_a_participant", "substitute": DENIED,
           "member": DENIED, "recused": DENIED, "secretary": OK, "chair": OK}
# The member's own request/proposal/speech, which the secretary and chair may also handle.
OWN_OR_CONTROL = CONTROL | {"member": OK}

EXPECTED: dict[str, dict[str, str]] = {
    "presiding.change": CONTROL,
    "substitute.call_in": CONTROL,
    "substitute.release": CONTROL,
    "recusal.declare": {"public": DENIED, "outsider": "not_a_participant", "substitute": OK,
                        "member": OK, "recused": OK, "secretary": DENIED, "chair": OK},
    "recusal.record": CONTROL,
    "recusal.withdraw": CONTROL,
    "speaker.request": {"public": DENIED, "outsider": "not_a_participant", "substitute": OK,
                        "member": OK, "recused": "recused",
                        "secretary": "speaking_not_allowed", "chair": OK},
    "speaker.withdraw": OWN_OR_CONTROL,
    "speaker.give_floor": CONTROL,
    "speaker.done": OWN_OR_CONTROL,
    # A presiding act (the chair, or the secretary as clerk), not the meeting's controls.
    "speaker.time_add": CONTROL | {"substitute": "not_presiding", "member": "not_presiding",
                                   "recused": "not_presiding"},
    "proposal.make": {"public": DENIED, "outsider": "not_a_participant",
                      "substitute": "not_serving", "member": OK, "recused": "recused",
                      "secretary": "not_serving", "chair": OK},
    "proposal.withdraw": OWN_OR_CONTROL,
}

CELLS = [(command, role, expected)
         for command, row in EXPECTED.items() for role, expected in row.items()]


def test_every_live_command_has_a_setup_and_every_role_a_cell():
    assert set(SETUPS) == set(EXPECTED) == {command.name for command in LIVE_COMMANDS}
    assert all(set(row) == set(ROLES) for row in EXPECTED.values())


@pytest.mark.parametrize(("command", "role", "expected"), CELLS,
                         ids=[f"{cmd}-{role}" for cmd, role, _ in CELLS])
async def test_cell(command: str, role: str, expected: str):
    await matrix_cell(command=command, role=role, expected=expected, setups=SETUPS,
                      roles=ROLES, exact_result=False)
