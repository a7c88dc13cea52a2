"""A small committee (body, seats, substitutes, a meeting with four items) made
through the models, and the switches for tests that need PostgreSQL or Redis."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from meetings.models import AgendaItem, Body, BodyRole, Meeting, Seat, Substitute

#: ``item_close`` arguments for an item closed without a decision (issue 12: explicit).
UNDECIDED = {"without_decision": True, "reason": "Ärendet utgår"}


@dataclass
class Committee:
    body: Body
    meeting: Meeting
    secretary: object
    chair: object
    members: list = field(default_factory=list)  # members[0] is the chair
    substitutes: list = field(default_factory=list)
    outsider: object = None
    items: list = field(default_factory=list)


def make_committee(*, seats: int = 5, substitutes: int = 2, name: str = "Testnämnden") -> Committee:
    User = get_user_model()

    def user(username: str, first: str, last: str):
        return User.objects.create_user(
            username=username, password="pw-" + username, first_name=first, last_name=last
        )

    body = Body.objects.create(name=name, seats_count=seats, organisation="Testby kommun")
    secretary = user(f"{name}-sekr", "Sekre", "Terare")
    BodyRole.objects.create(body=body, user=secretary, role=BodyRole.Role.SECRETARY)
    members = []
    for n in range(1, seats + 1):
        member = user(f"{name}-m{n}", f"Ledamot{n}", "Efternamn")
        Seat.objects.create(body=body, number=n, member=member, party="S" if n % 2 else "M")
        members.append(member)
    BodyRole.objects.create(body=body, user=members[0], role=BodyRole.Role.CHAIR)
    subs = []
    for n in range(1, substitutes + 1):
        sub = user(f"{name}-e{n}", f"Ersattare{n}", "Efternamn")
        Substitute.objects.create(body=body, user=sub, call_in_order=n, party="S" if n % 2 else "M")
        subs.append(sub)
    outsider = user(f"{name}-x", "Utom", "Stående")
    meeting = Meeting.objects.create(
        body=body, title="Sammanträde", starts_at=timezone.now() + timedelta(hours=1),
        is_public=True,
    )
    items = [
        AgendaItem.objects.create(meeting=meeting, position=i, title=title,
                                  prepared_proposal=f"Förslag {i}", confidential=conf)
        for i, (title, conf) in enumerate(
            [("Upprop", False), ("Bygglov", False), ("Detaljplan", False),
             ("Sekretessärende", True)], start=1)
    ]
    return Committee(body=body, meeting=meeting, secretary=secretary, chair=members[0],
                     members=members, substitutes=subs, outsider=outsider, items=items)


def roll_call_and_agenda(c: Committee, *, present: list | None = None) -> None:
    """The opening of a meeting as the law orders it: the secretary checks in (confirmed) the
    given people (default: every member, for a quorum) and the agenda is approved. No item
    is taken up before this (``agenda_not_approved``)."""
    from meetings.commands import agenda_approve, attendance_check_in

    meeting = Meeting.objects.get(pk=c.meeting.pk)
    for person in c.members if present is None else present:
        attendance_check_in(meeting_id=meeting.pk, actor=c.secretary, user_id=person.pk,
                            remote=False)
    if not meeting.agenda_approved:
        agenda_approve(meeting_id=meeting.pk, actor=c.secretary)
