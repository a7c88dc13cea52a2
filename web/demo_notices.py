"""Demo: before the upcoming meeting of Stadsbyggnadsnämnden, the notice (kallelse) sent and
one member's förhinder answered by a substitute who accepted.

Everyone in the demo gets an address at ekby.example.se. In the demo (``KLUBBA_DEBUG``
without ``KLUBBA_EMAIL_HOST``) the mail is kept in Klubba and shown on the secretary's
"Utskick" page. Idempotent: a second run finds the notice and the förhinder and changes
nothing. The next meeting may be fewer than five days away: the notice is then sent as
late, as a secretary would confirm it, and the page says so.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from meetings.models import Meeting, MeetingEvent
from notices.events import NoticeEventType
from notices.models import AbsenceReport, SubstituteRequest
from notices.services import answer_substitute_request, report_absence, send_notice

MAIL_DOMAIN = "ekby.example.se"
ABSENT_MEMBER = "ledamot5"  # Karin Ek (C): Nils Åberg (C) is first in her party's order


def load_notices_demo(meeting: Meeting) -> None:
    users = get_user_model().objects.filter(email="")
    for user in users:
        user.email = f"{user.username}@{MAIL_DOMAIN}"
        user.save(update_fields=["email"])
    if meeting.status != Meeting.Status.PLANNED:
        return
    secretary = get_user_model().objects.get(username="sekreterare")
    if not MeetingEvent.objects.filter(meeting=meeting,
                                       type=NoticeEventType.NOTICE_SENT).exists():
        send_notice(meeting_id=meeting.pk, actor=secretary, late_confirmed=True)
    member = get_user_model().objects.get(username=ABSENT_MEMBER)
    if not AbsenceReport.objects.filter(meeting=meeting, member=member).exists():
        report_absence(meeting_id=meeting.pk, actor=member)
    asked = SubstituteRequest.objects.filter(
        meeting=meeting, absence__member=member, state=SubstituteRequest.State.ASKED
    ).select_related("substitute__user").first()
    if asked is not None:
        answer_substitute_request(meeting_id=meeting.pk, actor=asked.substitute.user,
                                  request_id=asked.pk, accept=True)
