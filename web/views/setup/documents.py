"""An agenda item's documents (handlingar): upload and remove before the meeting. The size
and type are checked by ``meetings.setup.attachments`` before anything is stored; the refusal
says the limit (and the accepted types) next to the file field."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from meetings.setup import attachment_add, attachment_remove
from web.views.setup.agenda import item_of, item_page
from web.views.setup.common import command_id, planner_meeting, run
from web.views.setup.forms import ActionForm, AttachmentForm


@never_cache
@login_required
@require_POST
def attachment_new(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = planner_meeting(request, meeting_id)
    item = item_of(meeting, item_id)
    form = AttachmentForm(request.POST, request.FILES, prefix="doc")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if run(form, lambda: attachment_add(
                meeting_id=meeting.pk, actor=request.user, command_id=command_id(),
                item_id=item.pk, title=form.cleaned_data["title"], file_name=upload.name,
                content=upload, size=upload.size)):
            return redirect(reverse("setup:item", args=[meeting.pk, item.pk]) + "#documents")
    return item_page(request, meeting, item, attachment_form=form)


@never_cache
@login_required
@require_POST
def attachment_delete(request: HttpRequest, meeting_id: int, item_id: int,
                      attachment_id: int) -> HttpResponse:
    meeting = planner_meeting(request, meeting_id)
    item = item_of(meeting, item_id)
    if not item.attachments.filter(pk=attachment_id).exists():
        raise Http404
    form = ActionForm(request.POST)
    run(form, lambda: attachment_remove(meeting_id=meeting.pk, actor=request.user,
                                        command_id=command_id(), item_id=item.pk,
                                        attachment_id=attachment_id))
    if form.errors:
        return item_page(request, meeting, item, action_form=form)
    return redirect(reverse("setup:item", args=[meeting.pk, item.pk]) + "#documents")
