"""Who someone is in a meeting, and the checks commands make before they act."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.db.models import Field, Model

from meetings.errors import CommandError, ErrorCode
from meetings.models import BodyRole, Meeting, Participant, Seat, Substitute

#: Who acts: a person (Klubba uses Django's own user model) or, for the public and for acts
#: of the system itself, nobody in particular.
Actor = User | AnonymousUser


@dataclass(frozen=True)
class MeetingRoles:
    """A person's standing in one meeting's body."""

    is_secretary: bool = False
    is_chair: bool = False
    is_vice_chair: bool = False
    seat_number: int | None = None
    substitute_order: int | None = None

    @property
    def is_member(self) -> bool:
        return self.seat_number is not None

    @property
    def is_substitute(self) -> bool:
        return self.substitute_order is not None

    @property
    def takes_part(self) -> bool:
        return self.is_secretary or self.is_chair or self.is_vice_chair or self.is_member or (
            self.is_substitute
        )

    def participant_role(self) -> str | None:
        if self.is_member:
            return Participant.Role.MEMBER
        if self.is_substitute:
            return Participant.Role.SUBSTITUTE
        if self.is_secretary:
            return Participant.Role.SECRETARY
        if self.is_chair or self.is_vice_chair:
            return Participant.Role.OFFICIAL
        return None


def roles_in(meeting: Meeting, user: Actor) -> MeetingRoles:
    """One statement: the offices, the seat and the substitute place (``_roles_sql``).
    Every command, every page and every participant socket's handshake asks this."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return MeetingRoles()
    return _roles_of_id(meeting, user.pk)


def _column(model: type[Model], field: str) -> str:
    column = cast(Field, model._meta.get_field(field)).column
    return connection.ops.quote_name(str(column))


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _roles_sql() -> str:
    """One statement, no table in FROM: three office checks and two look-ups. Written out
    rather than composed with ``Exists``/``Subquery``: the ORM took 5–6 ms to compile that
    query (0.4 ms to run), on every command and every page of a meeting."""
    role, body, user = (_column(BodyRole, f) for f in ("role", "body", "user"))
    office = (f"EXISTS (SELECT 1 FROM {_table(BodyRole)}"
              f" WHERE {body} = %s AND {user} = %s AND {role} = %s)")
    seat = (f"(SELECT {_column(Seat, 'number')} FROM {_table(Seat)}"
            f" WHERE {_column(Seat, 'body')} = %s AND {_column(Seat, 'member')} = %s LIMIT 1)")
    substitute = (f"(SELECT {_column(Substitute, 'call_in_order')} FROM {_table(Substitute)}"
                  f" WHERE {_column(Substitute, 'body')} = %s"
                  f" AND {_column(Substitute, 'user')} = %s LIMIT 1)")
    return f"SELECT {office}, {office}, {office}, {seat}, {substitute}"


def _roles_of_id(meeting: Meeting, user_id: int) -> MeetingRoles:
    body_id = meeting.body_id
    offices = (BodyRole.Role.SECRETARY, BodyRole.Role.CHAIR, BodyRole.Role.VICE_CHAIR)
    params: list[int | str] = [v for role in offices for v in (body_id, user_id, str(role))]
    with connection.cursor() as cursor:
        cursor.execute(_roles_sql(), [*params, body_id, user_id, body_id, user_id])
        secretary, chair, vice_chair, seat, substitute = cursor.fetchone()
    return MeetingRoles(
        is_secretary=bool(secretary), is_chair=bool(chair), is_vice_chair=bool(vice_chair),
        seat_number=seat, substitute_order=substitute,
    )


def roles_of_many(meeting: Meeting, user_ids: Iterable[int]) -> dict[int, MeetingRoles]:
    """``roles_in`` for many people at once (a batch of socket handshakes): three queries
    whatever their number; the same answer per person."""
    ids = set(user_ids)
    if len(ids) == 1:
        (only,) = ids
        return {only: _roles_of_id(meeting, only)}
    offices: dict[int, set[str]] = {}
    for user_id, role in BodyRole.objects.filter(
            body_id=meeting.body_id, user_id__in=ids).values_list("user_id", "role"):
        offices.setdefault(user_id, set()).add(role)
    seats = dict(Seat.objects.filter(body_id=meeting.body_id, member_id__in=ids)
                 .order_by().values_list("member_id", "number"))
    substitutes = dict(Substitute.objects.filter(body_id=meeting.body_id, user_id__in=ids)
                       .order_by().values_list("user_id", "call_in_order"))
    return {
        user_id: MeetingRoles(
            is_secretary=BodyRole.Role.SECRETARY in offices.get(user_id, ()),
            is_chair=BodyRole.Role.CHAIR in offices.get(user_id, ()),
            is_vice_chair=BodyRole.Role.VICE_CHAIR in offices.get(user_id, ()),
            seat_number=seats.get(user_id), substitute_order=substitutes.get(user_id),
        )
        for user_id in ids
    }


def may_control(meeting: Meeting, user: Actor) -> bool:
    """The secretary runs the meeting; the chair too where the body allows it."""
    roles = roles_in(meeting, user)
    return roles.is_secretary or (roles.is_chair and meeting.body.chair_controls_meeting)


def require_control(meeting: Meeting, user: Actor) -> None:
    if not may_control(meeting, user):
        raise CommandError(ErrorCode.PERMISSION_DENIED)


def require_open(meeting: Meeting, *, allow_paused: bool = False) -> None:
    if meeting.status == Meeting.Status.ADJOURNED:
        raise CommandError(ErrorCode.MEETING_ADJOURNED)
    if meeting.status != Meeting.Status.OPEN:
        raise CommandError(ErrorCode.MEETING_NOT_OPEN)
    if meeting.paused and not allow_paused:
        raise CommandError(ErrorCode.MEETING_PAUSED)


def signed_in(actor: Actor) -> User:
    """The person behind ``actor``; an anonymous actor may not do what needs a person."""
    if isinstance(actor, AnonymousUser) or not actor.is_authenticated:
        raise CommandError(ErrorCode.NOT_A_PARTICIPANT)
    return actor


def query_id(user: Actor) -> int:
    """The user's id for a query. An anonymous user's id is None, which matches no row
    (``user_id=None`` is ``IS NULL``); typed as int for the ORM's lookups."""
    return cast(int, user.pk)


def display_name(user: Actor) -> str:
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or user.get_username()


def name_of(first_name: str, last_name: str, username: str) -> str:
    """``display_name`` from plain columns (Django's ``get_full_name``), for row queries."""
    return f"{first_name} {last_name}".strip() or username
