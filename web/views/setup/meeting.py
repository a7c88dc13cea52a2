"""One meeting before it opens, for the secretary: its details (time, place, link, public or
not) and the agenda editor (``agenda``: items; ``documents``: their attachments)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.forms import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from meetings.models import Meeting
from meetings.setup import meeting_update
from notices.commands.checks import handles_notice
from web.views.setup.common import page, planner_meeting, run
from web.views.setup.forms import ActionForm, CopyForm, ItemForm, MeetingForm

MEETING_FIELDS = ["title", "starts_at", "ends_at", "place", "video_link", "is_public"]


def copy_sources(meeting: Meeting) -> list[tuple[int, str]]:
    """Earlier meetings of the same body with an agenda, newest first."""
    rows = Meeting.objects.filter(body_id=meeting.body_id, items__isnull=False).exclude(
        pk=meeting.pk).distinct().order_by("-starts_at")[:50]
    return [(m.pk, f"{m.title}, {m.starts_at:%Y-%m-%d}") for m in rows]


def agenda_rows(meeting: Meeting) -> list[dict[str, Any]]:
    """Each item with whether it may move up or down (closed items stay last)."""
    items = list(meeting.items.prefetch_related("attachments").order_by("position"))
    rows = []
    for n, item in enumerate(items):
        before = items[n - 1] if n else None
        after = items[n + 1] if n + 1 < len(items) else None
        rows.append({
            "item": item,
            "up": before is not None and before.confidential == item.confidential,
            "down": after is not None and after.confidential == item.confidential,
        })
    return rows


def meeting_page(request: HttpRequest, meeting: Meeting, **forms: Any) -> HttpResponse:
    context: dict[str, Any] = {
        "meeting": meeting,
        "body": meeting.body,
        "editable": meeting.status == Meeting.Status.PLANNED,
        "form": MeetingForm(initial=model_to_dict(meeting, fields=MEETING_FIELDS),
                            prefix="meeting"),
        "item_form": ItemForm(prefix="item"),
        "copy_form": CopyForm(prefix="copy", choices=copy_sources(meeting)),
        "action_form": ActionForm(),
        "rows": agenda_rows(meeting),
        "handles_notice": handles_notice(meeting, request.user),
    }
    context.update(forms)
    return page(request, "setup/meeting.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """GET: the meeting and its agenda. POST: change the meeting's details."""
    the_meeting = planner_meeting(request, meeting_id)
    if request.method == "GET":
        return meeting_page(request, the_meeting)
    form = MeetingForm(request.POST, prefix="meeting")
    if form.is_valid():
        data = form.cleaned_data
        done = run(form, lambda: meeting_update(
            actor=request.user, meeting_id=the_meeting.pk, clear_ends_at=data["ends_at"] is None,
            **data))
        if done is not None:
            return redirect("setup:meeting", meeting_id=the_meeting.pk)
    the_meeting.refresh_from_db()
    return meeting_page(request, the_meeting, form=form)
