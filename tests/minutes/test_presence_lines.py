"""A dropped remote link is told once per § (issue 12, defect 8): when it dropped, the pause,
when the member was back, and whether they took part in the decision."""

from __future__ import annotations

import pytest

from meetings.commands import attendance_check_in, item_close, meeting_resume
from meetings.commands.presence import presence_connect, presence_expire, presence_lose
from meetings.models import Body
from meetings.snapshot import meeting_snapshot
from minutes.inputs import minutes_of
from tests.support.committee import make_committee
from tests.support.voting import start_item
from voting.commands import acclamation_decide, acclamation_put, decision_record

pytestmark = pytest.mark.django_db


def _drop(live, member) -> None:
    presence_connect(**live.kw(actor=member))
    presence_lose(**live.kw(actor=member))
    presence_expire(meeting_id=live.meeting_id, user_id=member.pk)


def _decide(live) -> None:
    kw = live.kw(actor=live.sec, item_id=live.item.pk)
    prepared = live.prepared().pk
    acclamation_put(**kw, proposal_id=prepared)
    acclamation_decide(**kw, outcome="bifall")
    decision_record(**kw, proposal_id=prepared)
    item_close(**kw)


def _lines(live, member) -> list[str]:
    minutes = minutes_of(live.c.meeting)
    [para] = [p for p in minutes.paragraphs if p.item_id == live.item.pk]
    return [x for x in para.roster_changes if member.get_full_name() in x]


@pytest.mark.parametrize("back", [True, False])
def test_a_dropped_link_is_one_line_with_the_decision(db, back: bool) -> None:
    c = make_committee()
    Body.objects.filter(pk=c.body.pk).update(remote_ruleset=Body.RemoteRuleset.AUDIO_VIDEO)
    live = start_item(c)
    member = c.members[3]
    _drop(live, member)
    meeting_resume(**live.kw(actor=live.sec))
    if back:
        presence_connect(**live.kw(actor=member))
        [row] = [p for p in meeting_snapshot(c.meeting.pk, "participants")["participants"]
                 if p["user_id"] == member.pk]
        assert row["back_after_link_lost"] and not row["present"]
        attendance_check_in(**live.kw(actor=live.sec, user_id=member.pk, remote=True))
    _decide(live)
    [line] = _lines(live, member)
    assert "bröts" in line and "ajournerades" in line and "återupptogs" in line
    assert ("och deltog i beslutet" in line) if back else ("deltog inte i beslutet" in line)


def test_the_minutes_name_the_remote_ruleset(db) -> None:
    c = make_committee()
    Body.objects.filter(pk=c.body.pk).update(remote_ruleset=Body.RemoteRuleset.AUDIO_VIDEO)
    live = start_item(c)  # everyone checked in remote
    _decide(live)
    lines = [x for p in minutes_of(c.meeting).paragraphs for x in p.roster_changes]
    assert sum("ljud- och bildöverföring" in x for x in lines) == 1


def test_the_fullmaktige_presidium_may_not_take_part_remotely(db) -> None:
    from meetings.commands import meeting_open
    from meetings.errors import ErrorCode
    from tests.support.voting import refused

    c = make_committee()
    Body.objects.filter(pk=c.body.pk).update(kind=Body.Kind.FULLMAKTIGE,
                                             remote_ruleset=Body.RemoteRuleset.CHAIR_ENSURES)
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    error = refused(ErrorCode.PERMISSION_DENIED, attendance_check_in,
                    meeting_id=c.meeting.pk, actor=c.secretary, user_id=c.chair.pk, remote=True)
    assert error.details["reason"] == "presidium_not_remote"
    attendance_check_in(meeting_id=c.meeting.pk, actor=c.secretary, user_id=c.chair.pk,
                        remote=False)
