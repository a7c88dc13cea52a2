"""Setup of meetings and their agendas: the body's secretary's endpoints (the organisation
administrator may too). Agenda changes are meeting commands: each answer names the log
entry the change made; ``Idempotency-Key`` makes a retry safe."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from api.auth import caller
from api.common import (
    command_id,
    event_ref,
    item_dict,
    items_of,
    meeting_dict,
    meeting_of,
    reader_audience,
)
from api.schemas import (
    AgendaCopyIn,
    AgendaImportIn,
    AgendaOut,
    AttachmentOut,
    ErrorOut,
    ItemChangeOut,
    ItemIn,
    ItemPatch,
    MeetingDetailOut,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    OrderIn,
    bad_string,
)
from meetings import setup
from meetings.errors import CommandError, ErrorCode
from meetings.models import AgendaItem, Meeting, MeetingEvent
from meetings.setup.access import body_of, require_meeting_planner

router = Router(tags=["setup: meetings and agendas"])
ERRORS: dict[int, Any] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 413, 422)}


def _detail(meeting: Meeting, audience: str) -> dict[str, Any]:
    return {**meeting_dict(meeting), "items": [item_dict(i) for i in items_of(meeting, audience)]}


@router.get("/bodies/{body_id}/meetings", response={200: list[MeetingOut], **ERRORS})
def meetings_list(request: HttpRequest, body_id: int) -> list[dict[str, Any]]:
    body = body_of(body_id)
    require_meeting_planner(body.pk, caller(request))
    return [meeting_dict(m) for m in body.meetings.select_related("body").order_by("starts_at")]


@router.post("/bodies/{body_id}/meetings", response={201: MeetingDetailOut, **ERRORS})
def meeting_create(request: HttpRequest, body_id: int,
                   data: MeetingIn) -> Status[Any]:
    meeting = setup.meeting_create(actor=caller(request), body_id=body_id, **data.dict())
    return Status(201, _detail(meeting, "participants"))


@router.get("/meetings/{meeting_id}", response={200: MeetingDetailOut, **ERRORS})
def meeting_read(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    """The meeting and its agenda; a reader outside the body sees a public meeting's open
    items only."""
    meeting = meeting_of(meeting_id)
    return _detail(meeting, reader_audience(meeting, caller(request)))


@router.patch("/meetings/{meeting_id}", response={200: MeetingDetailOut, **ERRORS})
def meeting_update(request: HttpRequest, meeting_id: int, data: MeetingPatch) -> dict[str, Any]:
    meeting = setup.meeting_update(actor=caller(request), meeting_id=meeting_id,
                                   **data.dict(exclude_unset=True))
    return _detail(meeting, "participants")


def _item_answer(event: MeetingEvent, item_id: int | None) -> dict[str, Any]:
    item = AgendaItem.objects.filter(pk=item_id).first() if item_id else None
    return {"event": event_ref(event), "item": item_dict(item) if item else None}


def _agenda_answer(meeting_id: int, events: list[MeetingEvent]) -> dict[str, Any]:
    meeting = meeting_of(meeting_id)
    return {"events": [event_ref(e) for e in events],
            "items": [item_dict(i) for i in items_of(meeting, "participants")]}


@router.post("/meetings/{meeting_id}/agenda/items", response={201: ItemChangeOut, **ERRORS})
def agenda_item_add(request: HttpRequest, meeting_id: int,
                    data: ItemIn) -> Status[Any]:
    """Add an item; closed (confidential) items are placed last."""
    event = setup.agenda_item_add(meeting_id=meeting_id, actor=caller(request),
                                  command_id=command_id(request), **data.dict())
    return Status(201, _item_answer(event, event.payload.get("item_id")))


@router.patch("/meetings/{meeting_id}/agenda/items/{item_id}",
              response={200: ItemChangeOut, **ERRORS})
def agenda_item_change(request: HttpRequest, meeting_id: int, item_id: int,
                       data: ItemPatch) -> dict[str, Any]:
    event = setup.agenda_item_change(meeting_id=meeting_id, actor=caller(request),
                                     command_id=command_id(request), item_id=item_id,
                                     **data.dict(exclude_unset=True))
    return _item_answer(event, item_id)


@router.delete("/meetings/{meeting_id}/agenda/items/{item_id}",
               response={200: ItemChangeOut, **ERRORS})
def agenda_item_remove(request: HttpRequest, meeting_id: int, item_id: int) -> dict[str, Any]:
    event = setup.agenda_item_remove(meeting_id=meeting_id, actor=caller(request),
                                     command_id=command_id(request), item_id=item_id)
    return _item_answer(event, None)


@router.put("/meetings/{meeting_id}/agenda/order", response={200: AgendaOut, **ERRORS})
def agenda_reorder(request: HttpRequest, meeting_id: int, data: OrderIn) -> dict[str, Any]:
    """The whole order: every item id once (closed items last)."""
    event = setup.agenda_reorder(meeting_id=meeting_id, actor=caller(request),
                                 command_id=command_id(request), item_ids=data.ids)
    return _agenda_answer(meeting_id, [event])


def _events_from(meeting_id: int, first: MeetingEvent) -> list[MeetingEvent]:
    """The events one command made: from its first to the next command's (the ones after
    it carry no command id of their own)."""
    rows = list(MeetingEvent.objects.filter(meeting_id=meeting_id, seq__gte=first.seq)
                .order_by("seq"))
    made = [rows[0]]
    for row in rows[1:]:
        if row.command_id or row.actor_id != first.actor_id or not row.type.startswith(
                ("agenda.item_added", "agenda.item_removed")):
            break
        made.append(row)
    return made


@router.post("/meetings/{meeting_id}/agenda/import", response={201: AgendaOut, **ERRORS})
def agenda_import(request: HttpRequest, meeting_id: int,
                  data: AgendaImportIn) -> Status[Any]:
    """A whole agenda from a case system, in its order (closed items last); with
    ``replace`` the items already on the agenda are removed first. All or nothing."""
    drafts = [setup.ItemDraft(**item.dict()) for item in data.items]
    event = setup.agenda_import(meeting_id=meeting_id, actor=caller(request),
                                command_id=command_id(request), items=drafts,
                                replace=data.replace)
    return Status(201, _agenda_answer(meeting_id, _events_from(meeting_id, event)))


@router.post("/meetings/{meeting_id}/agenda/copy", response={201: AgendaOut, **ERRORS})
def agenda_copy(request: HttpRequest, meeting_id: int,
                data: AgendaCopyIn) -> Status[Any]:
    """Copy an earlier meeting's items (not its documents) after this agenda's items."""
    event = setup.agenda_copy(meeting_id=meeting_id, actor=caller(request),
                              command_id=command_id(request),
                              source_meeting_id=data.source_meeting_id)
    return Status(201, _agenda_answer(meeting_id, _events_from(meeting_id, event)))


@router.post("/meetings/{meeting_id}/agenda/items/{item_id}/attachments",
             response={201: AttachmentOut, **ERRORS})
def attachment_add(request: HttpRequest, meeting_id: int, item_id: int,
                   file: File[UploadedFile], title: Form[str] = "") -> Status[Any]:
    """A document for the item, as ``multipart/form-data`` (``file``, optional ``title``).
    Larger than the installation's limit: 413 ``attachment_too_large``."""
    if bad_string(title):
        raise CommandError(ErrorCode.INVALID_ARGUMENT, field="title", reason="bad_character")
    event = setup.attachment_add(
        meeting_id=meeting_id, actor=caller(request), item_id=item_id, title=title[:200],
        file_name=file.name or "", content=file, size=file.size or 0,
        command_id=command_id(request))
    added = event.payload
    url = reverse("meetings:document", args=[meeting_id, added["attachment_id"]])
    return Status(201, {"id": added["attachment_id"], "title": added["title"],
                        "file_name": added["file_name"], "size": added["size"], "url": url})


@router.delete("/meetings/{meeting_id}/agenda/items/{item_id}/attachments/{attachment_id}",
               response={200: ItemChangeOut, **ERRORS})
def attachment_remove(request: HttpRequest, meeting_id: int, item_id: int,
                      attachment_id: int) -> dict[str, Any]:
    event = setup.attachment_remove(meeting_id=meeting_id, actor=caller(request),
                                    command_id=command_id(request), item_id=item_id,
                                    attachment_id=attachment_id)
    return _item_answer(event, item_id)
