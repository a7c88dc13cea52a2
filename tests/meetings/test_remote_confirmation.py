"""Prop. 2025/26:164 (``chair_ensures``): the presiding person confirms who takes part
remotely, a logged act (issue 12, "Remote rulesets"). Under ``audio_video`` confirming stays
the secretary's procedure."""

from __future__ import annotations

import pytest

from meetings.commands import (
    agenda_approve,
    attendance_check_in,
    attendance_confirm,
    item_activate,
    meeting_open,
)
from meetings.commands.presence import presence_connect, presence_expire, presence_lose
from meetings.errors import ErrorCode
from meetings.models import Body, BodyRole, MeetingEvent, Proposal
from meetings.quorum import quorum_of
from minutes.inputs import minutes_of
from tests.support.committee import Committee, make_committee
from tests.support.voting import refused
from voting.commands import ballot_cast, vote_open, vote_void

pytestmark = pytest.mark.django_db


def _meeting(ruleset: str) -> Committee:
    c = make_committee()
    Body.objects.filter(pk=c.body.pk).update(remote_ruleset=ruleset, chair_controls_meeting=True)
    BodyRole.objects.create(body=c.body, user=c.members[1], role=BodyRole.Role.VICE_CHAIR)
    c.meeting.refresh_from_db()
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    # The chair and two members in the room, confirmed by the secretary.
    for person in c.members[:3]:
        attendance_check_in(meeting_id=c.meeting.pk, actor=c.secretary, user_id=person.pk,
                            remote=False)
    return c


def _last(kind: str) -> dict:
    return MeetingEvent.objects.filter(type=kind).order_by("-seq").first().payload


def test_only_the_presiding_person_or_their_clerk_confirms_a_remote_member() -> None:
    c = _meeting(Body.RemoteRuleset.CHAIR_ENSURES)
    mid, remote = c.meeting.pk, c.members[3]
    attendance_check_in(meeting_id=mid, actor=remote, remote=True)
    assert quorum_of(c.meeting).serving_present == 3  # not counted until confirmed
    # A vice chair who does not preside, and a member, may not.
    refused(ErrorCode.NOT_PRESIDING, attendance_confirm, meeting_id=mid, actor=c.members[1],
            user_ids=[remote.pk])
    refused(ErrorCode.NOT_PRESIDING, attendance_confirm, meeting_id=mid, actor=c.members[2],
            user_ids=[remote.pk])
    attendance_confirm(meeting_id=mid, actor=c.chair, user_ids=[remote.pk])
    payload = _last("attendance.confirmed")
    assert payload["confirmed_by"]["user_id"] == c.chair.pk
    assert "on_behalf_of" not in payload
    assert quorum_of(c.meeting).serving_present == 4
    # The secretary confirms on the presiding person's behalf, and says so.
    other = c.members[4]
    attendance_check_in(meeting_id=mid, actor=other, remote=True)
    attendance_confirm(meeting_id=mid, actor=c.secretary, user_ids=[other.pk])
    payload = _last("attendance.confirmed")
    assert payload["on_behalf_of"]["user_id"] == c.chair.pk
    assert payload["confirmed_by"]["user_id"] == c.chair.pk


def test_a_secretary_check_in_of_a_remote_member_is_made_in_the_presiding_persons_name() -> None:
    c = _meeting(Body.RemoteRuleset.CHAIR_ENSURES)
    attendance_check_in(meeting_id=c.meeting.pk, actor=c.secretary, user_id=c.members[3].pk,
                        remote=True)
    payload = _last("attendance.checked_in")
    assert payload["confirmed"] and payload["on_behalf_of"]["user_id"] == c.chair.pk
    # In the room: the secretary's own procedure, as before.
    attendance_check_in(meeting_id=c.meeting.pk, actor=c.secretary, user_id=c.members[4].pk,
                        remote=False)
    payload = _last("attendance.checked_in")
    assert payload["confirmed"] and "on_behalf_of" not in payload
    assert "confirmed_by" not in payload


def test_a_remote_member_votes_only_once_the_presiding_person_confirmed() -> None:
    c = _meeting(Body.RemoteRuleset.CHAIR_ENSURES)
    mid, remote = c.meeting.pk, c.members[3]
    attendance_check_in(meeting_id=mid, actor=remote, remote=True)
    agenda_approve(meeting_id=mid, actor=c.secretary)
    item_activate(meeting_id=mid, actor=c.secretary, item_id=c.items[1].pk)
    prepared = Proposal.objects.get(item=c.items[1], kind=Proposal.Kind.PREPARED)
    vote_id = vote_open(meeting_id=mid, actor=c.secretary, item_id=c.items[1].pk, kind="open",
                        main_proposal_id=prepared.pk).payload["vote_id"]
    refused(ErrorCode.NOT_PRESENT, ballot_cast, meeting_id=mid, actor=remote, vote_id=vote_id,
            choice="ja")
    vote_void(meeting_id=mid, actor=c.secretary, vote_id=vote_id, reason="Omtag")
    attendance_confirm(meeting_id=mid, actor=c.chair, user_ids=[remote.pk])
    vote_id = vote_open(meeting_id=mid, actor=c.secretary, item_id=c.items[1].pk, kind="open",
                        main_proposal_id=prepared.pk).payload["vote_id"]
    ballot_cast(meeting_id=mid, actor=remote, vote_id=vote_id, choice="ja")
    text = "\n".join(minutes_of(c.meeting).paragraphs[0].roster_changes)
    assert f"{c.chair.first_name} Efternamn bekräftar att {remote.first_name} Efternamn " \
           "deltar på distans." in text


def test_under_kl_as_in_force_the_secretary_confirms_as_before() -> None:
    c = _meeting(Body.RemoteRuleset.AUDIO_VIDEO)
    mid, remote = c.meeting.pk, c.members[3]
    attendance_check_in(meeting_id=mid, actor=remote, remote=True)
    refused(ErrorCode.PERMISSION_DENIED, attendance_confirm, meeting_id=mid,
            actor=c.members[1], user_ids=[remote.pk])
    attendance_confirm(meeting_id=mid, actor=c.secretary, user_ids=[remote.pk])
    payload = _last("attendance.confirmed")
    assert "on_behalf_of" not in payload and "confirmed_by" not in payload
    assert "bekräftar" not in "\n".join(
        line for p in minutes_of(c.meeting).paragraphs for line in p.roster_changes)


def test_a_return_after_a_dropped_link_says_who_confirmed_it() -> None:
    c = _meeting(Body.RemoteRuleset.CHAIR_ENSURES)
    mid, remote = c.meeting.pk, c.members[3]
    attendance_check_in(meeting_id=mid, actor=c.secretary, user_id=remote.pk, remote=True)
    agenda_approve(meeting_id=mid, actor=c.secretary)
    item_activate(meeting_id=mid, actor=c.secretary, item_id=c.items[1].pk)
    presence_connect(meeting_id=mid, actor=remote)
    presence_lose(meeting_id=mid, actor=remote)
    presence_expire(meeting_id=mid, user_id=remote.pk)
    attendance_check_in(meeting_id=mid, actor=remote, remote=True)  # back, unconfirmed
    attendance_confirm(meeting_id=mid, actor=c.chair, user_ids=[remote.pk])
    lines = minutes_of(c.meeting).paragraphs[0].roster_changes
    back = [line for line in lines if "bröts" in line]
    assert len(back) == 1 and back[0].count("(bekräftat av Ledamot1 Efternamn)") == 1
    # The first confirmation (at the roll call) has its own line; the return none.
    assert sum("bekräftar att Ledamot4" in line for line in lines) == 1
