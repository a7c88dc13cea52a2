"""The meeting room, where participants follow the meeting and act, and its ``state.json``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from web.access import console_allowed, participant_meeting
from web.live_page import live_page_context
from web.room_state import room_state


@never_cache
@login_required
def meeting_room(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting, roles = participant_meeting(request, meeting_id)
    state = room_state(meeting, request.user, roles)
    context = live_page_context(
        meeting, state, socket_path=f"/ws/meetings/{meeting.pk}/",
        state_url=reverse("meetings:state", args=[meeting.pk]), page="room",
    )
    context["show_console_link"] = console_allowed(meeting, request.user, roles)
    context["before"] = state["me"]["before"]
    return render(request, "meetings/room.html", context)


@never_cache
@login_required
@require_GET
def state(request: HttpRequest, meeting_id: int) -> JsonResponse:
    """The participant state, for the page to redraw after events (same checks as the page)."""
    meeting, roles = participant_meeting(request, meeting_id)
    return JsonResponse(room_state(meeting, request.user, roles))
