"""The console: the secretary runs the meeting from here (the chair too, with only the
controls the body gives the chair)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from meetings.roles import may_control
from meetings.visibility import PARTICIPANTS
from notices.selectors import preparations
from web.access import console_allowed, participant_meeting
from web.live_page import live_page_context
from web.state import meeting_state


@never_cache
@login_required
def console(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting, roles = participant_meeting(request, meeting_id)
    if not console_allowed(meeting, request.user, roles):
        raise PermissionDenied(_("Only the secretary and the chair can open the console."))
    state = meeting_state(meeting, PARTICIPANTS, request.user, roles)
    context = live_page_context(
        meeting, state, socket_path=f"/ws/meetings/{meeting.pk}/",
        state_url=reverse("meetings:state", args=[meeting.pk]), page="console",
    )
    context["may_control"] = may_control(meeting, request.user)
    context["preparations"] = preparations(meeting)  # förhinder, substitutes, remote
    return render(request, "meetings/console.html", context)
