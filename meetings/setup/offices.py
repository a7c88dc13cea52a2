"""A body's offices: chair (ordförande), vice chairs (vice ordförande) and secretaries.

One chair per body. Vice chairs preside in the order their offices were recorded
(``meetings.presiding.vice_chair_ids``): the first recorded is the first vice chair. A body
may have several secretaries (a secretary and a deputy).
"""

from __future__ import annotations

from django.db import transaction

from meetings.errors import CommandError, ErrorCode
from meetings.models import BodyRole
from meetings.roles import Actor
from meetings.setup.access import body_of, require_organisation_admin
from meetings.setup.bodies import require_not_in_session
from meetings.setup.people import person_of
from meetings.setup.validation import invalid


def office_of(office_id: int) -> BodyRole:
    try:
        return BodyRole.objects.select_for_update().get(pk=office_id)
    except (BodyRole.DoesNotExist, ValueError, TypeError):
        raise CommandError(ErrorCode.OFFICE_NOT_FOUND, office_id=office_id) from None


@transaction.atomic
def office_assign(*, actor: Actor, body_id: int, user_id: int, role: str) -> BodyRole:
    """Give a person an office in the body (the same office twice is refused)."""
    require_organisation_admin(actor)
    body = body_of(body_id, for_update=True)
    require_not_in_session(body.pk)
    if role not in BodyRole.Role.values:
        raise invalid("role", "unknown_role")
    user = person_of(user_id)
    if BodyRole.objects.filter(body=body, user=user, role=role).exists():
        raise invalid("role", "already_held")
    if role == BodyRole.Role.CHAIR and BodyRole.objects.filter(
            body=body, role=BodyRole.Role.CHAIR).exists():
        raise CommandError(ErrorCode.OFFICE_TAKEN, role=role)
    return BodyRole.objects.create(body=body, user=user, role=role)


@transaction.atomic
def office_remove(*, actor: Actor, office_id: int) -> None:
    require_organisation_admin(actor)
    office = office_of(office_id)
    require_not_in_session(office.body_id)
    office.delete()
