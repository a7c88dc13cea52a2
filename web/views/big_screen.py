"""The room's big screen (storbild): the public live view in large type for a projector.

It is the public audience's page (same checks, state and socket as ``public_live``), so it can
show nothing the public may not see: no confidential item, no jäv reasons, names of votes only
where the public state carries them (open votes, once closed)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
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
def big_screen(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = public_meeting(meeting_id)
    context = live_page_context(
        meeting, meeting_state(meeting, PUBLIC), socket_path=f"/ws/public/meetings/{meeting.pk}/",
        state_url=reverse("meetings:public_state", args=[meeting.pk]), page="bigscreen",
    )
    return render(request, "meetings/big_screen.html", context)
