"""The public live view of a public meeting (no login, read-only, open items only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from meetings.visibility import PUBLIC
from web.access import public_meeting
from web.live_page import live_page_context
from web.state import meeting_state


@never_cache
@require_GET
def public_live(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = public_meeting(meeting_id)
    state = meeting_state(meeting, PUBLIC)
    context = live_page_context(
        meeting, state, socket_path=f"/ws/public/meetings/{meeting.pk}/",
        state_url=reverse("meetings:public_state", args=[meeting.pk]), page="public",
    )
    return render(request, "meetings/public_live.html", context)


@never_cache
@require_GET
def public_state(request: HttpRequest, meeting_id: int) -> JsonResponse:
    meeting = public_meeting(meeting_id)
    return JsonResponse(meeting_state(meeting, PUBLIC))
