"""A meeting held, locked and signed with Dnr, föredragande and recipients, for the tests of
what happens after the meeting (extracts, dispatch, archive)."""

from __future__ import annotations

from dataclasses import dataclass

from meetings.models import AgendaItem
from minutes.commands import minutes_lock, minutes_recipients_set, minutes_sign
from tests.support.committee import make_committee
from tests.support.minutes import Live, hold_live_meeting

DNR = "SBN 2026/123"
PRESENTER = "Anna Berg, bygglovschef"
RECIPIENTS = [
    {"name": "Sökande Svensson", "organisation": "", "email": "sokande@example.se"},
    {"name": "", "organisation": "Länsstyrelsen i Testby län", "email": "lst@example.se"},
    {"name": "Byggnadsinspektör", "organisation": "Testby kommun", "email": ""},
]


@dataclass
class Signed:
    live: Live

    @property
    def c(self):
        return self.live.c


def password(user) -> str:
    return "pw-" + user.username


def hold_and_sign(*, name: str = "Testnämnden", sign: bool = True) -> Signed:
    """The live meeting of ``tests.support.minutes`` with a Dnr and föredragande on § 2 and
    recipients of its decision, locked and (``sign``) signed by the chair and the adjusters."""
    c = make_committee(name=name)
    AgendaItem.objects.filter(pk=c.items[1].pk).update(case_number=DNR, presenter=PRESENTER)
    AgendaItem.objects.filter(pk=c.items[3].pk).update(case_number="SBN 2026/9")
    live = hold_live_meeting(c)
    mid = c.meeting.pk
    minutes_recipients_set(meeting_id=mid, actor=c.secretary, item_id=c.items[1].pk,
                           recipients=RECIPIENTS)
    minutes_lock(meeting_id=mid, actor=c.secretary)
    if sign:
        for user in (c.chair, *live.adjusters):
            minutes_sign(meeting_id=mid, actor=user, password=password(user))
    return Signed(live=live)
