"""The meetings of a body, for its secretary: the list, and a new meeting."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from meetings.models import Body, Meeting
from meetings.setup import meeting_create
from web.views.setup.common import is_admin, page, planner_body, run
from web.views.setup.forms import MeetingForm


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def meetings(request: HttpRequest, body_id: int) -> HttpResponse:
    """GET: the body's meetings, planned first. POST: a new planned meeting."""
    body = planner_body(request, body_id)
    if request.method == "POST":
        form = MeetingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            meeting = run(form, lambda: meeting_create(actor=request.user, body_id=body.pk,
                                                       **data))
            if meeting is not None:
                return redirect("setup:meeting", meeting_id=meeting.pk)
    else:
        form = MeetingForm(initial={"is_public": body.kind == Body.Kind.FULLMAKTIGE,
                                    "title": _("Meeting")})
    rows = Meeting.objects.filter(body=body).order_by("-starts_at")
    return page(request, "setup/meetings.html", {
        "body": body, "form": form, "admin": is_admin(request),
        "planned": [m for m in rows if m.status == Meeting.Status.PLANNED][::-1],
        "held": [m for m in rows if m.status != Meeting.Status.PLANNED],
    })
