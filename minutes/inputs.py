"""Reading what ``build_minutes`` needs from the database: the log and the body's metadata."""

from __future__ import annotations

from django.db.models import Max

from meetings.models import AgendaItem, BodyRole, Meeting, MeetingEvent, Seat, Substitute
from meetings.roles import display_name
from minutes.build import build_minutes
from minutes.model import STOCKHOLM, ItemInfo, LogEvent, MeetingInfo, Minutes, PersonInfo


def meeting_info(meeting: Meeting) -> MeetingInfo:
    body = meeting.body
    members = tuple(
        PersonInfo(user_id=s.member_id, name=display_name(s.member), party=s.party, seat=s.number)
        for s in Seat.objects.filter(body=body).select_related("member").order_by("number")
    )
    substitutes = tuple(
        PersonInfo(user_id=s.user_id, name=display_name(s.user), party=s.party,
                   order=s.call_in_order)
        for s in Substitute.objects.filter(body=body).select_related("user")
        .order_by("call_in_order")
    )
    roles = list(BodyRole.objects.filter(body=body).select_related("user").order_by("pk"))

    def ids(role: str) -> tuple[int, ...]:
        return tuple(r.user_id for r in roles if r.role == role)

    seated = {m.user_id for m in members} | {s.user_id for s in substitutes}
    officers = tuple(
        {r.user_id: PersonInfo(user_id=r.user_id, name=display_name(r.user))
         for r in roles if r.user_id not in seated}.values()
    )
    items = tuple(
        ItemInfo(item_id=i.pk, position=i.position, title=i.title, confidential=i.confidential,
                 description=i.description, paragraph=i.paragraph)
        for i in meeting.items.order_by("position")
    )
    return MeetingInfo(
        meeting_id=meeting.pk, body=body.name, body_kind=body.kind,
        organisation=body.organisation, title=meeting.title, starts_at=meeting.starts_at,
        place=meeting.place, members=members, substitutes=substitutes,
        chair_ids=ids(BodyRole.Role.CHAIR), vice_chair_ids=ids(BodyRole.Role.VICE_CHAIR),
        secretary_ids=ids(BodyRole.Role.SECRETARY), officers=officers, items=items,
        keep_recusal_reasons=body.minutes_keep_recusal_reasons,
    )


def log_events(
    meeting: Meeting, *, upto_seq: int | None = None, after_seq: int | None = None
) -> list[LogEvent]:
    """The log in seq order, up to ``upto_seq`` and/or after ``after_seq`` (both included
    and excluded as the names say)."""
    qs = MeetingEvent.objects.filter(meeting=meeting).order_by("seq")
    if upto_seq is not None:
        qs = qs.filter(seq__lte=upto_seq)
    if after_seq is not None:
        qs = qs.filter(seq__gt=after_seq)
    return [
        LogEvent(seq=e.seq, type=e.type, payload=e.payload, at=e.at, actor_id=e.actor_id,
                 hash=e.hash)
        for e in qs.only("seq", "type", "payload", "at", "actor_id", "hash")
    ]


def paragraph_base(meeting: Meeting) -> int:
    """The last § number used by the body's earlier locked minutes in the same calendar year."""
    from minutes.models import MinutesDocument

    year = meeting.starts_at.astimezone(STOCKHOLM).year
    earlier = MinutesDocument.objects.filter(
        meeting__body_id=meeting.body_id, item__isnull=True,
        meeting__starts_at__year=year, meeting__starts_at__lt=meeting.starts_at,
    ).exclude(meeting=meeting)
    from_minutes = earlier.aggregate(n=Max("last_paragraph"))["n"] or 0
    # Decisions of earlier meetings carry their § on the item (voting.decision_record).
    from_items = AgendaItem.objects.filter(
        meeting__body_id=meeting.body_id, meeting__starts_at__year=year,
        meeting__starts_at__lt=meeting.starts_at, paragraph__isnull=False,
    ).aggregate(n=Max("paragraph"))["n"] or 0
    return int(max(from_minutes, from_items))


def minutes_of(meeting: Meeting, *, upto_seq: int | None = None,
               base: int | None = None) -> Minutes:
    """The minutes as the log stands (or stood at ``upto_seq``)."""
    return build_minutes(
        meeting_info(meeting), log_events(meeting, upto_seq=upto_seq),
        paragraph_base=paragraph_base(meeting) if base is None else base,
    )
