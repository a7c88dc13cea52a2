"""The agenda editor: add, change, move and remove items, copy an earlier meeting's agenda.
Every change is a logged meeting command (``meetings.setup.agenda``); closed items
(sekretess) stay last, so an item moves only among items of its own kind."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.forms import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from meetings.models import AgendaItem, Meeting
from meetings.setup import (
    agenda_copy,
    agenda_item_add,
    agenda_item_change,
    agenda_item_remove,
    agenda_reorder,
)
from meetings.setup.agenda import ITEM_FIELDS
from web.views.setup.common import command_id, page, planner_meeting, run
from web.views.setup.forms import ActionForm, AttachmentForm, CopyForm, ItemForm
from web.views.setup.meeting import copy_sources, meeting_page


def agenda_url(meeting: Meeting, anchor: str = "agenda") -> str:
    return reverse("setup:meeting", args=[meeting.pk]) + f"#{anchor}"


def item_of(meeting: Meeting, item_id: int) -> AgendaItem:
    item = AgendaItem.objects.filter(pk=item_id, meeting=meeting).first()
    if item is None:
        raise Http404
    return item


@never_cache
@login_required
@require_POST
def item_new(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = planner_meeting(request, meeting_id)
    form = ItemForm(request.POST, prefix="item")
    if form.is_valid():
        data = form.cleaned_data
        if run(form, lambda: agenda_item_add(meeting_id=meeting.pk, actor=request.user,
                                             command_id=command_id(), **data)):
            return redirect(agenda_url(meeting))
    return meeting_page(request, meeting, item_form=form)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    """An item's texts and its documents."""
    meeting = planner_meeting(request, meeting_id)
    item = item_of(meeting, item_id)
    current = model_to_dict(item, fields=ITEM_FIELDS)
    form = ItemForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if all(data[name] == current[name] for name in ITEM_FIELDS):
            return redirect(agenda_url(meeting, f"item-{item.pk}"))
        if run(form, lambda: agenda_item_change(meeting_id=meeting.pk, actor=request.user,
                                                command_id=command_id(), item_id=item.pk,
                                                **data)):
            return redirect(agenda_url(meeting, f"item-{item.pk}"))
    return item_page(request, meeting, item, form=form)


def item_page(request: HttpRequest, meeting: Meeting, item: AgendaItem,
              **forms: object) -> HttpResponse:
    context = {
        "meeting": meeting, "body": meeting.body, "item": item,
        "editable": meeting.status == Meeting.Status.PLANNED,
        "form": ItemForm(initial=model_to_dict(item, fields=ITEM_FIELDS)),
        "attachment_form": AttachmentForm(prefix="doc"),
        "action_form": ActionForm(),
        "attachments": item.attachments.order_by("pk"),
    }
    context.update(forms)
    return page(request, "setup/item.html", context)


@never_cache
@login_required
@require_POST
def item_move(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    """One place earlier (``direction=up``) or later."""
    meeting = planner_meeting(request, meeting_id)
    item = item_of(meeting, item_id)
    ids = list(meeting.items.order_by("position").values_list("pk", flat=True))
    here = ids.index(item.pk)
    there = here - 1 if request.POST.get("direction") == "up" else here + 1
    if 0 <= there < len(ids):
        ids[here], ids[there] = ids[there], ids[here]
        form = ActionForm(request.POST)
        run(form, lambda: agenda_reorder(meeting_id=meeting.pk, actor=request.user,
                                         command_id=command_id(), item_ids=ids))
        if form.errors:
            return meeting_page(request, meeting, action_form=form)
    return redirect(agenda_url(meeting, f"item-{item.pk}"))


@never_cache
@login_required
@require_POST
def item_delete(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = planner_meeting(request, meeting_id)
    item = item_of(meeting, item_id)
    form = ActionForm(request.POST)
    run(form, lambda: agenda_item_remove(meeting_id=meeting.pk, actor=request.user,
                                         command_id=command_id(), item_id=item.pk))
    if form.errors:
        return meeting_page(request, meeting, action_form=form)
    return redirect(agenda_url(meeting))


@never_cache
@login_required
@require_POST
def copy(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The items of an earlier meeting of the body, after this agenda's own."""
    meeting = planner_meeting(request, meeting_id)
    form = CopyForm(request.POST, prefix="copy", choices=copy_sources(meeting))
    if form.is_valid():
        source = form.cleaned_data["source"]
        if run(form, lambda: agenda_copy(meeting_id=meeting.pk, actor=request.user,
                                         command_id=command_id(), source_meeting_id=source)):
            return redirect(agenda_url(meeting))
    return meeting_page(request, meeting, copy_form=form)
