"""Jäv: declared, recorded and withdrawn; a recused person does not count for quorum and may
not take part; a substitute serves the seat for that item only."""

import pytest

from meetings.commands import (
    attendance_check_out,
    recusal_declare,
    recusal_record,
    recusal_withdraw,
    speaker_give_floor,
    speaker_request,
    substitute_call_in,
)
from meetings.errors import CommandError
from meetings.models import MeetingEvent, Participant, Recusal, SpeakerRequest
from meetings.quorum import quorum_of, require_quorum
from meetings.roster import require_may_take_part, roster_proposals, serving_seats
from tests.meetings.live import activate, change, check_in, close, meeting, refused, server, start


def declare(c, who, index, **kw):
    return recusal_declare(meeting_id=c.meeting.pk, actor=who, item_id=c.items[index].pk, **kw)


def activated_proposals(c) -> list:
    """The roster proposals carried by the latest item.activated event."""
    event = MeetingEvent.objects.filter(meeting=c.meeting, type="item.activated").last()
    return event.payload["roster_proposals"]


def take_part_code(c, who) -> str | None:
    try:
        require_may_take_part(meeting(c), who)
    except CommandError as err:
        return err.code
    return None


def test_declared_jav_on_a_pending_item_applies_when_it_is_active(committee):
    c = committee
    m = c.members[2]
    start(c)
    event = declare(c, m, 1, reason="Delägare i bolaget", command_id="jav-1")
    assert event.type == "recusal.declared"
    assert event.payload == {
        "item_id": c.items[1].pk, "item_title": "Bygglov", "active": False,
        "user_id": m.pk, "name": m.get_full_name(), "role": "member", "seat": 3,
        "reason": "Delägare i bolaget", "recorded_by": None, "speech_ended": None,
        "requests_withdrawn": [], "quorum": None, "roster_proposals": None,
    }
    assert declare(c, m, 1, command_id="jav-1").pk == event.pk
    activate(c, 0)
    assert take_part_code(c, m) is None  # not recused on item 1
    close(c, 0)
    activated = activate(c, 1)
    assert activated.payload["roster"][2]["recused"] is True
    assert activated.payload["quorum"]["serving_present"] == 4
    assert take_part_code(c, m) == "recused"


def test_quorum_changes_with_jav_on_the_active_item(committee):
    c = committee
    start(c, present=c.members[:3])
    activate(c, 0)
    assert require_quorum(meeting(c)).serving_present == 3
    event = declare(c, c.members[1], 0)
    assert event.payload["quorum"] == {"seats": 5, "serving_present": 2, "required": 3,
                                       "reached": False}
    with pytest.raises(CommandError) as info:
        require_quorum(meeting(c))
    assert info.value.code == "no_quorum"
    assert info.value.details["serving_present"] == 2 and info.value.details["required"] == 3
    back = recusal_withdraw(meeting_id=c.meeting.pk, actor=c.secretary, item_id=c.items[0].pk,
                            user_id=c.members[1].pk)
    assert back.type == "recusal.withdrawn" and back.payload["quorum"]["reached"] is True
    assert require_quorum(meeting(c)).reached


def test_a_substitute_serves_a_recused_members_seat_for_that_item_only(committee):
    c = committee
    m, e1 = c.members[2], c.substitutes[0]
    mid = start(c, substitutes=[e1])
    declare(c, m, 1)
    activate(c, 0)
    # Between items the member still serves; the substitute comes in on the jäv item.
    close(c, 0)
    activate(c, 1)
    (row,) = roster_proposals(meeting(c))
    assert (row.seat_number, row.reason, row.substitute_user_id) == (3, "recused", e1.pk)
    assert activated_proposals(c) == [row.as_dict()]
    assert row.change_allowed_now is True
    assert quorum_of(meeting(c)).serving_present == 4
    event = substitute_call_in(meeting_id=mid, actor=c.secretary, seat_number=3, user_id=e1.pk)
    assert event.payload["roster_changes"] == [change(3, m, e1, "recused")]
    assert event.payload["only_item_id"] == c.items[1].pk
    assert event.payload["quorum"]["serving_present"] == 5
    assert take_part_code(c, e1) is None
    assert take_part_code(c, m) == "recused"
    closed = close(c, 1)
    assert closed.payload["roster_changes"] == [change(3, e1, m, "recusal_ended")]
    assert server(c, 3) == m.pk
    nxt = activate(c, 2)
    assert nxt.payload["roster_changes"] == []
    assert nxt.payload["roster"][2]["user_id"] == m.pk
    assert take_part_code(c, m) is None and take_part_code(c, e1) == "not_serving"


def test_leaving_the_room_for_jav_is_not_stepping_out(committee):
    c = committee
    m, e1 = c.members[2], c.substitutes[0]
    mid = start(c, substitutes=[e1])
    declare(c, m, 1)
    activate(c, 0)
    close(c, 0)
    activate(c, 1)
    checked_out = attendance_check_out(meeting_id=mid, actor=m)
    assert checked_out.payload["stepped_out"] is False
    substitute_call_in(meeting_id=mid, actor=c.secretary, seat_number=3, user_id=e1.pk)
    check_in(c, m)
    close(c, 1)
    assert server(c, 3) == m.pk
    assert not Participant.objects.get(meeting_id=mid, user=m).stepped_out


def test_withdrawing_jav_on_the_active_item_gives_the_seat_back_at_once(committee):
    c = committee
    m, e1 = c.members[2], c.substitutes[0]
    mid = start(c, substitutes=[e1])
    activate(c, 0)
    recusal_record(meeting_id=mid, actor=c.secretary, item_id=c.items[0].pk, user_id=m.pk)
    substitute_call_in(meeting_id=mid, actor=c.secretary, seat_number=3, user_id=e1.pk)
    event = recusal_withdraw(meeting_id=mid, actor=c.secretary, item_id=c.items[0].pk,
                             user_id=m.pk)
    assert event.payload["roster_changes"] == [change(3, e1, m, "recusal_withdrawn")]
    assert server(c, 3) == m.pk
    assert close(c, 0).payload["roster_changes"] == []


def test_a_recused_substitute_is_not_called_in_on_that_item(committee):
    c = committee
    e1 = c.substitutes[0]
    mid = start(c, substitutes=[e1])
    declare(c, c.members[2], 0)
    declare(c, e1, 0)
    activate(c, 0)
    assert roster_proposals(meeting(c))[0].substitute_user_id is None
    refused("recused", substitute_call_in, meeting_id=mid, actor=c.secretary, seat_number=3,
            user_id=e1.pk)


def test_secretary_records_jav_for_someone(committee):
    c = committee
    m = c.members[3]
    mid = start(c)
    event = recusal_record(meeting_id=mid, actor=c.secretary, item_id=c.items[2].pk,
                           user_id=m.pk, reason="Närstående")
    assert event.type == "recusal.recorded"
    assert event.payload["recorded_by"] == {"user_id": c.secretary.pk,
                                            "name": c.secretary.get_full_name()}
    assert Recusal.objects.get(item=c.items[2], user=m).recorded_by_id == c.secretary.pk
    refused("permission_denied", recusal_record, meeting_id=mid, actor=c.members[1],
            item_id=c.items[2].pk, user_id=m.pk)
    refused("already_recused", recusal_record, meeting_id=mid, actor=c.secretary,
            item_id=c.items[2].pk, user_id=m.pk)
    refused("invalid_argument", recusal_record, meeting_id=mid, actor=c.secretary,
            item_id=c.items[2].pk, user_id=c.secretary.pk)
    refused("user_not_found", recusal_record, meeting_id=mid, actor=c.secretary,
            item_id=c.items[2].pk, user_id=c.outsider.pk)


def test_declare_and_withdraw_refusals(committee):
    c = committee
    m = c.members[1]
    mid = start(c)
    refused("permission_denied", declare, c, c.secretary, 1)
    refused("not_a_participant", declare, c, c.outsider, 1)
    refused("item_not_found", recusal_declare, meeting_id=mid, actor=m, item_id=999999)
    declare(c, m, 1)
    refused("already_recused", declare, c, m, 1)
    activate(c, 0)
    close(c, 0)
    refused("item_closed", declare, c, m, 0)
    refused("not_recused", recusal_withdraw, meeting_id=mid, actor=c.secretary,
            item_id=c.items[2].pk, user_id=m.pk)
    refused("permission_denied", recusal_withdraw, meeting_id=mid, actor=m,
            item_id=c.items[1].pk, user_id=m.pk)
    refused("item_closed", recusal_withdraw, meeting_id=mid, actor=c.secretary,
            item_id=c.items[0].pk, user_id=m.pk)


def test_declaring_jav_ends_the_speech_and_withdraws_requests(committee):
    c = committee
    m = c.members[1]
    mid = start(c)
    activate(c, 0)
    speaker_request(meeting_id=mid, actor=m)
    speaker_request(meeting_id=mid, actor=m, kind="reply")
    speaker_give_floor(meeting_id=mid, actor=c.secretary)  # the reply goes first
    event = declare(c, m, 0)
    assert event.payload["speech_ended"]["user_id"] == m.pk
    assert len(event.payload["requests_withdrawn"]) == 1
    assert not SpeakerRequest.objects.filter(
        item=c.items[0], user=m, state__in=["waiting", "speaking"]
    ).exists()


def test_require_may_take_part_codes(committee):
    c = committee
    e1, e2 = c.substitutes
    start(c, present=c.members[:4], substitutes=[e1])
    activate(c, 0)
    declare(c, c.members[1], 0)
    assert take_part_code(c, c.members[0]) is None
    assert take_part_code(c, c.outsider) == "not_a_participant"
    assert take_part_code(c, c.members[1]) == "recused"
    assert take_part_code(c, e1) == "not_serving"
    assert take_part_code(c, c.secretary) == "not_serving"
    assert take_part_code(c, c.members[4]) == "not_present"
    seat = require_may_take_part(meeting(c), c.members[0])
    assert seat.seat_number == 1 and seat.may_decide
    assert [s.may_decide for s in serving_seats(meeting(c))] == [True, False, True, True,
                                                                 False]
