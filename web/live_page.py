"""What every live page (room, console, public view) hands the JS module: where its socket
and its state are, the state to start from, and the texts to show."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from meetings.models import Meeting
from web.texts import ui_text


def live_page_context(meeting: Meeting, state: dict[str, Any], *, socket_path: str,
                      state_url: str, page: str) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "config": {"page": page, "meeting_id": meeting.pk, "socket": socket_path,
                   "state_url": state_url,
                   # Where a page whose session ended, or that needs a fresh second factor,
                   # sends the person (each returns with ?next= to this page).
                   "login_url": resolve_url(settings.LOGIN_URL),
                   "step_up_url": reverse("identity:verify")},
        "initial_state": state,
        "ui_text": ui_text(),
    }
