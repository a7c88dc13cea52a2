"""Withdrawing a förhinder before the meeting: only the member who reported it, only before
the meeting opens; the substitute who accepted (or was asked) is released and told by mail;
the read tables still follow the log, and a new förhinder asks again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.commands import meeting_open
from meetings.errors import CommandError
from meetings.models import Body, Meeting, MeetingEvent
from notices.absence import arranged_substitutes
from notices.commands import absence_report, absence_withdraw, substitute_answer
from notices.models import AbsenceReport, SentMail, SubstituteRequest
from notices.replay import project, tables
from notices.services import report_absence, withdraw_absence
from tests.support.committee import make_committee
from tests.support.smtp import give_addresses, smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def c(db):
    c = make_committee(substitutes=3)
    c.body.substitute_policy = Body.SubstitutePolicy.BODY_ORDER
    c.body.save()
    c.meeting.starts_at = timezone.now() + timedelta(days=7)
    c.meeting.save()
    give_addresses(*c.members, *c.substitutes)
    return c


def request_of(c, sub) -> SubstituteRequest:
    return SubstituteRequest.objects.filter(meeting=c.meeting, substitute__user=sub).latest("pk")


def test_withdrawing_releases_the_accepted_substitute_and_mails_them(c):
    e1 = c.substitutes[0]
    member = c.members[1]
    report_absence(meeting_id=c.meeting.pk, actor=member)
    substitute_answer(meeting_id=c.meeting.pk, actor=e1, request_id=request_of(c, e1).pk,
                      accept=True)
    assert arranged_substitutes(c.meeting) == {2: e1.pk}
    with smtp_server() as inbox:
        event = withdraw_absence(meeting_id=c.meeting.pk, actor=member)
    assert event.type == "absence.withdrawn"
    assert event.payload["seat"] == 2 and event.payload["member"]["user_id"] == member.pk
    assert [(r["substitute"]["user_id"], r["accepted"]) for r in event.payload["released"]] \
        == [(e1.pk, True)]
    assert request_of(c, e1).state == SubstituteRequest.State.RELEASED
    assert AbsenceReport.objects.get(seat__number=2).withdrawn_at is not None
    assert arranged_substitutes(c.meeting) == {}
    # The substitute is told by mail that they are no longer needed.
    assert len(inbox.messages) == 1
    mail = inbox.messages[0]
    assert mail.rcpt_tos == [e1.email]
    assert "behövs inte längre" in mail.message["Subject"]
    assert "återkallat sitt förhinder" in mail.text()
    assert SentMail.objects.filter(kind=SentMail.Kind.SUBSTITUTE_RELEASED,
                                   recipient=e1).count() == 1
    # The read tables still follow the log.
    meeting = Meeting.objects.get(pk=c.meeting.pk)
    assert project(MeetingEvent.objects.filter(meeting=meeting).order_by("seq")) \
        == tables(meeting)


def test_an_unanswered_request_is_released_and_a_new_forhinder_asks_again(c):
    e1 = c.substitutes[0]
    member = c.members[1]
    absence_report(meeting_id=c.meeting.pk, actor=member)
    event = absence_withdraw(meeting_id=c.meeting.pk, actor=member)
    assert [r["accepted"] for r in event.payload["released"]] == [False]
    assert not SubstituteRequest.objects.filter(state=SubstituteRequest.State.ASKED).exists()
    # Reported again: a new förhinder, and the released substitute may be asked again.
    absence_report(meeting_id=c.meeting.pk, actor=member)
    assert AbsenceReport.objects.filter(seat__number=2, withdrawn_at=None).count() == 1
    assert request_of(c, e1).state == SubstituteRequest.State.ASKED
    meeting = Meeting.objects.get(pk=c.meeting.pk)
    assert project(MeetingEvent.objects.filter(meeting=meeting).order_by("seq")) \
        == tables(meeting)


def test_only_the_member_who_reported_it_may_withdraw_and_only_before_the_meeting(c):
    member = c.members[1]
    with pytest.raises(CommandError) as refused:
        absence_withdraw(meeting_id=c.meeting.pk, actor=member)
    assert refused.value.code == "no_absence_reported"
    absence_report(meeting_id=c.meeting.pk, actor=member)
    for other in (c.members[2], c.substitutes[0], c.secretary, c.outsider):
        with pytest.raises(CommandError) as refused:
            absence_withdraw(meeting_id=c.meeting.pk, actor=other)
        assert refused.value.code == "no_absence_reported", other
    meeting_open(meeting_id=c.meeting.pk, actor=c.secretary)
    with pytest.raises(CommandError) as refused:
        absence_withdraw(meeting_id=c.meeting.pk, actor=member)
    assert refused.value.code == "meeting_not_planned"
    assert AbsenceReport.objects.get(seat__number=2).withdrawn_at is None
    assert not MeetingEvent.objects.filter(type="absence.withdrawn").exists()
