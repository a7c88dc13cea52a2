"""The domain side of budgets (issue 13): a cap on one member's live proposals per item
(``too_many_proposals``), and repeated commands that would change nothing log nothing."""

from __future__ import annotations

from meetings.commands import (
    attendance_check_in,
    attendance_check_out,
    attendance_confirm,
    meeting_open,
    proposal_make,
    proposal_withdraw,
)
from meetings.models import MeetingEvent, Participant, Proposal
from tests.meetings.live import activate, refused, start


def events(c) -> list[str]:
    return list(MeetingEvent.objects.filter(meeting=c.meeting).order_by("seq")
                .values_list("type", flat=True))


def test_a_member_holds_at_most_the_cap_of_live_proposals_per_item(committee, settings):
    settings.KLUBBA = {**settings.KLUBBA, "MAX_PROPOSALS_PER_MEMBER": 3}
    c = committee
    m1, m2 = c.members[1:3]
    mid = start(c)
    activate(c, 1)
    made = [proposal_make(meeting_id=mid, actor=m1, kind="andring", text=f"Ändring {n}")
            for n in range(3)]
    err = refused("too_many_proposals", proposal_make, meeting_id=mid, actor=m1,
                  kind="andring", text="En för mycket")
    assert err.details == {"max": 3, "live": 3}
    # Entering one on the member's behalf counts against the member too.
    refused("too_many_proposals", proposal_make, meeting_id=mid, actor=c.secretary,
            kind="avslag", on_behalf_of=m1.pk)
    # Another member is not affected ...
    assert proposal_make(meeting_id=mid, actor=m2, kind="avslag").type == "proposal.made"
    # ... and withdrawing one makes room again.
    proposal_withdraw(meeting_id=mid, actor=m1, proposal_id=made[0].payload["proposal_id"])
    assert proposal_make(meeting_id=mid, actor=m1, kind="avslag").type == "proposal.made"
    assert Proposal.objects.filter(item=c.items[1], author=m1, withdrawn=False).count() == 3


def test_the_default_cap_is_ten(committee):
    c = committee
    mid = start(c)
    activate(c, 1)
    for n in range(10):
        proposal_make(meeting_id=mid, actor=c.members[1], kind="andring", text=f"Ä {n}")
    refused("too_many_proposals", proposal_make, meeting_id=mid, actor=c.members[1],
            kind="avslag")


def test_a_second_check_in_changes_nothing_and_logs_nothing(committee):
    c = committee
    mid = c.meeting.pk
    member = c.members[1]
    meeting_open(meeting_id=mid, actor=c.secretary)
    first = attendance_check_in(meeting_id=mid, actor=member, remote=True)
    assert first.type == "attendance.checked_in"
    before = events(c)
    assert attendance_check_in(meeting_id=mid, actor=member, remote=True) is None
    assert attendance_check_in(meeting_id=mid, actor=member, remote=True,
                               command_id="again-1") is None
    assert events(c) == before
    # Confirmed by the secretary: a self check-in again keeps the confirmation, logs nothing.
    assert attendance_confirm(meeting_id=mid, actor=c.secretary, user_ids=[member.pk])
    before = events(c)
    assert attendance_check_in(meeting_id=mid, actor=member, remote=True) is None
    assert attendance_check_in(meeting_id=mid, actor=c.secretary, user_id=member.pk,
                               remote=True) is None
    assert Participant.objects.get(meeting=c.meeting, user=member).confirmed
    # Confirming the confirmed again logs nothing either.
    assert attendance_confirm(meeting_id=mid, actor=c.secretary, user_ids=[member.pk]) is None
    assert events(c) == before


def test_check_ins_that_change_something_are_still_logged(committee):
    c = committee
    mid = c.meeting.pk
    member = c.members[1]
    meeting_open(meeting_id=mid, actor=c.secretary)
    attendance_check_in(meeting_id=mid, actor=member, remote=True)
    # The other flag is a change ...
    moved = attendance_check_in(meeting_id=mid, actor=member, remote=False)
    assert moved.type == "attendance.checked_in" and moved.payload["remote"] is False
    # ... and so is the secretary's check-in of an unconfirmed member (it confirms).
    confirmed = attendance_check_in(meeting_id=mid, actor=c.secretary, user_id=member.pk,
                                    remote=False)
    assert confirmed.payload["confirmed"] is True
    # A link lost: the check-in restores it.
    Participant.objects.filter(meeting=c.meeting, user=member).update(link_lost=True)
    assert attendance_check_in(meeting_id=mid, actor=member, remote=False) is not None
    assert events(c).count("attendance.checked_in") == 4


def test_checking_out_someone_absent_logs_nothing(committee):
    c = committee
    mid = c.meeting.pk
    member = c.members[1]
    meeting_open(meeting_id=mid, actor=c.secretary)
    before = events(c)
    assert attendance_check_out(meeting_id=mid, actor=member) is None
    assert events(c) == before
    attendance_check_in(meeting_id=mid, actor=member, remote=True)
    assert attendance_check_out(meeting_id=mid, actor=member).type == "attendance.checked_out"
    assert attendance_check_out(meeting_id=mid, actor=member) is None
    assert events(c) == [*before, "attendance.checked_in", "attendance.checked_out"]
