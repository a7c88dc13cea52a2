"""Who may set up what, outside the meeting itself.

Two roles, both existing Django notions so no new role table is needed:

- the **organisation administrator**: a person with the Django permission
  ``meetings.administer_organisation`` (given to a person or a group in the Django admin;
  superusers have every permission). A Klubba installation serves one organisation (a
  municipality or an association), so one permission for the installation is the honest
  model; a per-organisation role row would pretend to a multi-tenancy nothing else has.
  The administrator sets up bodies, their seats, members, substitutes and offices.
- the **body's secretary** (``BodyRole.Role.SECRETARY``): sets up the body's meetings and
  their agendas. The organisation administrator may do that too (to start a new body's first
  meeting before it has a secretary).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from meetings.errors import CommandError, ErrorCode
from meetings.models import Body, BodyRole
from meetings.roles import Actor

ADMIN_PERMISSION = "meetings.administer_organisation"


def is_organisation_admin(actor: Actor) -> bool:
    if isinstance(actor, AnonymousUser) or not actor.is_authenticated or not actor.is_active:
        return False
    return actor.has_perm(ADMIN_PERMISSION)


def is_body_secretary(body_id: int, actor: Actor) -> bool:
    if isinstance(actor, AnonymousUser) or not actor.is_authenticated:
        return False
    return BodyRole.objects.filter(
        body_id=body_id, user_id=actor.pk, role=BodyRole.Role.SECRETARY
    ).exists()


def may_plan_meetings(body_id: int, actor: Actor) -> bool:
    """The body's secretary or the organisation administrator."""
    return is_body_secretary(body_id, actor) or is_organisation_admin(actor)


def require_organisation_admin(actor: Actor) -> User:
    if not is_organisation_admin(actor):
        raise CommandError(ErrorCode.PERMISSION_DENIED)
    assert isinstance(actor, User)  # noqa: S101 - is_organisation_admin checked it
    return actor


def require_meeting_planner(body_id: int, actor: Actor) -> User:
    if not may_plan_meetings(body_id, actor):
        raise CommandError(ErrorCode.PERMISSION_DENIED)
    assert isinstance(actor, User)  # noqa: S101 - an anonymous actor has no role
    return actor


def body_of(body_id: int, *, for_update: bool = False) -> Body:
    """The body, or ``body_not_found`` (also for ids that are not numbers)."""
    rows = Body.objects.select_for_update() if for_update else Body.objects.all()
    try:
        return rows.get(pk=body_id)
    except (Body.DoesNotExist, ValueError, TypeError):
        raise CommandError(ErrorCode.BODY_NOT_FOUND, body_id=body_id) from None


def bodies_visible_to(actor: Actor) -> list[Body]:
    """The bodies an actor may set up something in: all for the administrator, the bodies
    they are secretary of otherwise."""
    if is_organisation_admin(actor):
        return list(Body.objects.all())
    if isinstance(actor, AnonymousUser) or not actor.is_authenticated:
        return []
    return list(Body.objects.filter(
        roles__user_id=actor.pk, roles__role=BodyRole.Role.SECRETARY).distinct())
