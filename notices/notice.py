"""What a notice (kallelse) says, who receives it, and whether it is late or out of date.

Plain functions: the command (``notices.commands.notice``) records their answers in the log,
the mail (``notices.notice_mail``) and the pages read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from meetings.models import AgendaItem, Body, Meeting, MeetingEvent, Seat, Substitute
from meetings.roles import display_name
from notices.events import NoticeEventType, NoticeItem, NoticeRecipient, NoticeSent
from notices.ics import STOCKHOLM

#: KL 5:11: fullmäktige's kungörelse at least a week before the meeting day. Other bodies
#: follow their reglemente; five days is the common rule (domain.md) and Klubba's default.
FULLMAKTIGE_DAYS = 7
OTHER_BODY_DAYS = 5


def required_days(body: Body) -> int:
    return FULLMAKTIGE_DAYS if body.kind == Body.Kind.FULLMAKTIGE else OTHER_BODY_DAYS


def days_before(meeting: Meeting, today: date) -> int:
    """Whole days from ``today`` to the meeting day (Swedish time)."""
    return (meeting.starts_at.astimezone(STOCKHOLM).date() - today).days


def agenda_items(meeting: Meeting) -> list[NoticeItem]:
    """The agenda as a notice lists it (all items; closed ones flagged)."""
    items = AgendaItem.objects.filter(meeting=meeting).order_by("position").prefetch_related(
        "attachments"
    )
    return [
        NoticeItem(
            item_id=item.pk, position=item.position, title=item.title,
            case_number=item.case_number, presenter=item.presenter,
            confidential=item.confidential, prepared_proposal=item.prepared_proposal,
            attachments=sorted(a.pk for a in item.attachments.all()),
        )
        for item in items
    ]


def recipients(meeting: Meeting) -> list[NoticeRecipient]:
    """Members (seat order), then substitutes (call-in order); each person once."""
    rows: list[NoticeRecipient] = []
    seen: set[int] = set()
    for seat in Seat.objects.filter(body_id=meeting.body_id).select_related("member"):
        seen.add(seat.member_id)
        rows.append(NoticeRecipient(user_id=seat.member_id, name=display_name(seat.member),
                                    mailed=bool(seat.member.email), role="member"))
    for sub in Substitute.objects.filter(body_id=meeting.body_id).select_related("user"):
        if sub.user_id not in seen:
            seen.add(sub.user_id)
            rows.append(NoticeRecipient(user_id=sub.user_id, name=display_name(sub.user),
                                        mailed=bool(sub.user.email), role="substitute"))
    return rows


def notices_sent(meeting: Meeting) -> list[MeetingEvent]:
    return list(MeetingEvent.objects.filter(
        meeting=meeting, type=NoticeEventType.NOTICE_SENT).order_by("seq"))


def _meeting_facts(meeting: Meeting) -> dict[str, str]:
    return {
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat() if meeting.ends_at else "",
        "place": meeting.place, "video_link": meeting.video_link,
    }


@dataclass(frozen=True)
class NoticeStatus:
    """What the secretary's page needs: the last notice and what changed since."""

    last: MeetingEvent | None
    count: int
    changed_items: list[str]  # titles added, removed or changed since the last notice
    changed_facts: list[str]  # "starts_at", "place", ... changed since the last notice

    @property
    def sent(self) -> bool:
        return self.last is not None

    @property
    def out_of_date(self) -> bool:
        return self.sent and bool(self.changed_items or self.changed_facts)

    @property
    def payload(self) -> NoticeSent | None:
        return cast(NoticeSent, self.last.payload) if self.last else None


def notice_status(meeting: Meeting) -> NoticeStatus:
    sent = notices_sent(meeting)
    if not sent:
        return NoticeStatus(last=None, count=0, changed_items=[], changed_facts=[])
    last = sent[-1]
    payload: dict[str, Any] = last.payload
    return NoticeStatus(
        last=last, count=len(sent),
        changed_items=agenda_differences(payload["items"], agenda_items(meeting)),
        changed_facts=[k for k, v in _meeting_facts(meeting).items() if payload.get(k) != v],
    )


def agenda_differences(before: list[NoticeItem], now: list[NoticeItem]) -> list[str]:
    """Titles of the items added, removed or changed (a confidential one as its position)."""
    old = {i["item_id"]: i for i in before}
    new = {i["item_id"]: i for i in now}
    changed = []
    for item_id in sorted(old.keys() | new.keys()):
        a, b = old.get(item_id), new.get(item_id)
        if a != b:
            shown = cast(NoticeItem, b or a)
            changed.append(shown["title"])
    return changed


def notice_facts(meeting: Meeting) -> dict[str, str]:
    return _meeting_facts(meeting)
