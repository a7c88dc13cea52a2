"""Who may open a setup page, checked on the server before anything is shown or done: an
unknown id is 404, a person without the right 403 (the readable page), as elsewhere."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from meetings.errors import CommandError
from meetings.models import Body, Meeting
from meetings.setup import is_organisation_admin, may_plan_meetings
from web.access import may_set_up
from web.views.setup.errors import attach
from web.views.setup.forms import SetupForm


def require_setup(request: HttpRequest) -> None:
    if not may_set_up(request.user):
        raise PermissionDenied(_("Only the organisation administrator and the bodies' "
                                 "secretaries set up bodies and meetings."))


def admin_body(request: HttpRequest, body_id: int) -> Body:
    """A body, for the organisation administrator only."""
    body = get_object_or_404(Body, pk=body_id)
    if not is_organisation_admin(request.user):
        raise PermissionDenied(_("Only the organisation administrator sets up a body's "
                                 "seats, substitutes and offices."))
    return body


def planner_body(request: HttpRequest, body_id: int) -> Body:
    """A body, for its secretary or the organisation administrator."""
    body = get_object_or_404(Body, pk=body_id)
    if not may_plan_meetings(body.pk, request.user):
        raise PermissionDenied(_("Only the body's secretary plans its meetings."))
    return body


def planner_meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=meeting_id)
    if not may_plan_meetings(meeting.body_id, request.user):
        raise PermissionDenied(_("Only the body's secretary plans its meetings."))
    return meeting


def command_id() -> str:
    return f"web-{uuid.uuid4().hex}"


def run(form: SetupForm, call: Callable[[], Any]) -> Any:
    """Call the domain function for a valid form in one transaction (a person created for a
    refused seat is rolled back with it); on a refusal, put it on the form and return None."""
    try:
        with transaction.atomic():
            return call()
    except CommandError as exc:
        attach(form, exc)
        return None


def page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Render; 400 when a form on it carries errors (a refused post)."""
    failed = any(isinstance(v, Form) and v.is_bound and v.errors for v in context.values())
    return render(request, template, context, status=400 if failed else 200)


def is_admin(request: HttpRequest) -> bool:
    return is_organisation_admin(request.user)

