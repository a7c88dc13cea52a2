"""Foundation commands: what they change, who may call them, and in which state."""

import pytest

from meetings.commands import (
    adjusters_choose,
    agenda_approve,
    attendance_check_in,
    attendance_check_out,
    attendance_confirm,
    item_activate,
    item_close,
    meeting_adjourn,
    meeting_open,
    meeting_pause,
    meeting_resume,
    roll_call_start,
)
from meetings.errors import CommandError
from meetings.models import Adjuster, AgendaItem, Meeting, MeetingEvent, Participant
from meetings.quorum import quorum_of
from tests.support.committee import UNDECIDED, make_committee, roll_call_and_agenda


def refused(code: str, func, **kwargs) -> CommandError:
    """Run a command that must be refused; assert the code and that nothing was logged."""
    before = MeetingEvent.objects.count()
    with pytest.raises(CommandError) as info:
        func(**kwargs)
    assert info.value.code == code, info.value
    assert str(info.value.message)
    assert MeetingEvent.objects.count() == before
    return info.value


def opened(c):
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    return c.meeting.pk


def test_open_seeds_attendance_and_logs_the_first_event(committee):
    c = committee
    event = meeting_open(meeting_id=c.meeting.pk, actor=c.secretary, command_id="open-1")
    assert (event.seq, event.type) == (1, "meeting.opened")
    c.meeting.refresh_from_db()
    assert c.meeting.status == Meeting.Status.OPEN and c.meeting.last_seq == 1
    roles = dict(Participant.objects.filter(meeting=c.meeting).values_list("user__username",
                                                                           "role"))
    assert roles[c.members[0].username] == "member"
    assert roles[c.substitutes[0].username] == "substitute"
    assert roles[c.secretary.username] == "secretary"
    assert c.outsider.username not in roles


def test_a_replayed_command_id_makes_no_second_event(committee):
    c = committee
    first = meeting_open(meeting_id=c.meeting.pk, actor=c.secretary, command_id="open-1")
    again = meeting_open(meeting_id=c.meeting.pk, actor=c.secretary, command_id="open-1")
    assert again.pk == first.pk
    assert MeetingEvent.objects.filter(meeting=c.meeting).count() == 1


def test_a_command_id_reused_by_someone_else_is_a_conflict(committee):
    c = committee
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary, command_id="same")
    refused("command_id_conflict", attendance_check_in, meeting_id=c.meeting.pk,
            actor=c.members[1], command_id="same")


@pytest.mark.parametrize("who", ["members1", "substitute", "outsider"])
def test_only_the_secretary_or_chair_may_open(committee, who):
    c = committee
    actor = {"members1": c.members[1], "substitute": c.substitutes[0],
             "outsider": c.outsider}[who]
    refused("permission_denied", meeting_open, meeting_id=c.meeting.pk, actor=actor)
    c.meeting.refresh_from_db()
    assert c.meeting.status == Meeting.Status.PLANNED


def test_the_chair_may_open_only_where_the_body_allows(committee):
    c = committee
    c.body.chair_controls_meeting = False
    c.body.save()
    refused("permission_denied", meeting_open, meeting_id=c.meeting.pk, actor=c.chair)
    c.body.chair_controls_meeting = True
    c.body.save()
    assert meeting_open(meeting_id=c.meeting.pk, actor=c.chair).type == "meeting.opened"


def test_unknown_meeting_is_a_typed_error(committee):
    refused("meeting_not_found", meeting_open, meeting_id=999999, actor=committee.secretary)
    refused("meeting_not_found", meeting_open, meeting_id="abc", actor=committee.secretary)


def test_state_errors(committee):
    c = committee
    refused("meeting_not_open", agenda_approve, meeting_id=c.meeting.pk, actor=c.secretary)
    mid = opened(c)
    refused("meeting_already_open", meeting_open, meeting_id=mid, actor=c.secretary)
    refused("meeting_not_paused", meeting_resume, meeting_id=mid, actor=c.secretary)
    meeting_pause(meeting_id=mid, actor=c.secretary, reason="Tekniskt fel")
    refused("meeting_paused", item_activate, meeting_id=mid, actor=c.secretary,
            item_id=c.items[0].pk)
    meeting_resume(meeting_id=mid, actor=c.secretary)
    meeting_adjourn(meeting_id=mid, actor=c.secretary)
    refused("meeting_adjourned", item_activate, meeting_id=mid, actor=c.secretary,
            item_id=c.items[0].pk)
    refused("meeting_adjourned", meeting_open, meeting_id=mid, actor=c.secretary)


def test_agenda_is_approved_once(committee):
    c = committee
    mid = opened(c)
    refused("no_quorum", agenda_approve, meeting_id=mid, actor=c.secretary)
    roll_call_and_agenda(c, present=c.members[:3])  # 3 of 5 seats: a quorum
    refused("agenda_already_approved", agenda_approve, meeting_id=mid, actor=c.secretary)


def test_the_agenda_needs_the_roll_call_and_a_quorum(committee):
    """Approving the agenda is the body's first decision: refused while fewer than half the
    seats are served by someone confirmed present at the roll call."""
    c = committee
    mid = opened(c)
    error = refused("no_quorum", agenda_approve, meeting_id=mid, actor=c.secretary)
    assert error.details["required"] == 3
    for member in c.members[:2]:
        attendance_check_in(meeting_id=mid, actor=c.secretary, user_id=member.pk, remote=False)
    refused("no_quorum", agenda_approve, meeting_id=mid, actor=c.secretary)
    attendance_check_in(meeting_id=mid, actor=c.secretary, user_id=c.members[2].pk, remote=False)
    event = agenda_approve(meeting_id=mid, actor=c.secretary)
    assert [i["title"] for i in event.payload["items"]] == [i.title for i in c.items]
    refused("agenda_already_approved", agenda_approve, meeting_id=mid, actor=c.secretary)


def test_no_item_is_taken_up_before_the_agenda_is_approved(committee):
    c = committee
    mid = opened(c)
    for item in c.items:
        refused("agenda_not_approved", item_activate, meeting_id=mid, actor=c.secretary,
                item_id=item.pk)
    roll_call_and_agenda(c)
    item_activate(meeting_id=mid, actor=c.secretary, item_id=c.items[0].pk)


def test_items_activate_one_at_a_time_and_close(committee):
    c = committee
    mid = opened(c)
    roll_call_and_agenda(c)
    item_activate(meeting_id=mid, actor=c.secretary, item_id=c.items[0].pk)
    refused("item_already_active", item_activate, meeting_id=mid, actor=c.secretary,
            item_id=c.items[0].pk)
    refused("another_item_active", item_activate, meeting_id=mid, actor=c.secretary,
            item_id=c.items[1].pk)
    refused("another_item_active", meeting_adjourn, meeting_id=mid, actor=c.secretary)
    refused("item_not_active", item_close, meeting_id=mid, actor=c.secretary,
            item_id=c.items[1].pk)
    item_close(meeting_id=mid, actor=c.secretary, item_id=c.items[0].pk, **UNDECIDED)
    c.items[0].refresh_from_db()
    assert c.items[0].state == AgendaItem.State.CLOSED
    refused("item_closed", item_activate, meeting_id=mid, actor=c.secretary,
            item_id=c.items[0].pk)


def test_an_item_of_another_meeting_is_unknown(committee):
    c = committee
    other = make_committee(name="Annan nämnd")
    mid = opened(c)
    refused("item_not_found", item_activate, meeting_id=mid, actor=c.secretary,
            item_id=other.items[0].pk)


def test_a_member_acting_as_secretary_is_refused(committee):
    c = committee
    mid = opened(c)
    m = c.members[2]
    refused("permission_denied", item_activate, meeting_id=mid, actor=m, item_id=c.items[0].pk)
    refused("permission_denied", agenda_approve, meeting_id=mid, actor=m)
    refused("permission_denied", adjusters_choose, meeting_id=mid, actor=m,
            user_ids=[c.members[1].pk])
    refused("permission_denied", attendance_check_in, meeting_id=mid, actor=m,
            user_id=c.members[3].pk)
    refused("permission_denied", meeting_adjourn, meeting_id=mid, actor=m)
    refused("permission_denied", roll_call_start, meeting_id=mid, actor=m)


def test_roll_call_check_in_confirm_and_quorum(committee):
    c = committee
    mid = opened(c)
    roll_call_start(meeting_id=mid, actor=c.secretary)
    for member in c.members[:3]:
        event = attendance_check_in(meeting_id=mid, actor=member, remote=True)
        assert event.payload["confirmed"] is False
    # Self check-ins wait for the secretary: no quorum yet.
    assert quorum_of(Meeting.objects.get(pk=mid)).serving_present == 0
    event = attendance_confirm(meeting_id=mid, actor=c.secretary,
                               user_ids=[m.pk for m in c.members[:3]])
    assert event.payload["quorum"] == {"seats": 5, "serving_present": 3, "required": 3,
                                       "reached": True}
    out = attendance_check_out(meeting_id=mid, actor=c.members[2])
    assert out.payload["quorum"]["reached"] is False
    # The secretary records an in-room member, confirmed at once.
    event = attendance_check_in(meeting_id=mid, actor=c.secretary, user_id=c.members[3].pk,
                                remote=False)
    assert event.payload["confirmed"] is True and event.payload["remote"] is False
    assert quorum_of(Meeting.objects.get(pk=mid)).reached


def test_outsiders_cannot_check_in_and_unknown_people_are_refused(committee):
    c = committee
    mid = opened(c)
    refused("not_a_participant", attendance_check_in, meeting_id=mid, actor=c.outsider)
    refused("user_not_found", attendance_check_in, meeting_id=mid, actor=c.secretary,
            user_id=c.outsider.pk)
    refused("invalid_argument", attendance_confirm, meeting_id=mid, actor=c.secretary,
            user_ids=[c.members[1].pk])  # not checked in


def test_remote_check_in_refused_where_the_body_forbids_it(committee):
    c = committee
    c.body.remote_ruleset = "none"
    c.body.save()
    mid = opened(c)
    err = refused("permission_denied", attendance_check_in, meeting_id=mid, actor=c.members[1],
                  remote=True)
    assert err.details["reason"] == "remote_participation_not_allowed"
    assert attendance_check_in(meeting_id=mid, actor=c.members[1], remote=False)


def test_adjusters_are_chosen_among_members(committee):
    c = committee
    mid = opened(c)
    event = adjusters_choose(meeting_id=mid, actor=c.secretary,
                             user_ids=[c.members[1].pk, c.members[2].pk])
    assert [a["user_id"] for a in event.payload["adjusters"]] == [c.members[1].pk,
                                                                   c.members[2].pk]
    assert list(Adjuster.objects.filter(meeting_id=mid).values_list("user_id", flat=True)) == [
        c.members[1].pk, c.members[2].pk]
    refused("invalid_argument", adjusters_choose, meeting_id=mid, actor=c.secretary,
            user_ids=[c.secretary.pk])
    refused("invalid_argument", adjusters_choose, meeting_id=mid, actor=c.secretary,
            user_ids=[])
    refused("user_not_found", adjusters_choose, meeting_id=mid, actor=c.secretary,
            user_ids=[c.outsider.pk])
