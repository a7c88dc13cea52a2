"""The agenda (föredragningslista) of a meeting that has not opened: add, change, remove and
reorder items, copy an earlier meeting's agenda, import a case system's agenda.

Every change is a meeting command (``meetings.contract``): it is logged (``agenda.*`` in
``meetings.events``) with the agenda's whole order after it, so the meeting's log tells the
agenda's history from the first item to the approval. Only the body's secretary (or the
organisation administrator, ``meetings.setup.access``) changes it, and only while the meeting
is planned: once it has opened the meeting owns its agenda (``agenda_fixed``); an item that
is not to be handled is closed without a decision ("Ärendet utgår", ``item_close``).

Closed items (sekretess) are placed last: a new closed item goes to the end, a new open item
before the first closed one, and an order that puts an open item after a closed one is
refused (``closed_items_last``). Positions are kept contiguous, 1..n.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from django.db import transaction

from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError, ErrorCode
from meetings.events import (
    AgendaItemAdded,
    AgendaItemChanged,
    AgendaItemRef,
    AgendaItemRemoved,
    AgendaReordered,
)
from meetings.events import MeetingEventType as E
from meetings.models import AgendaItem, Meeting
from meetings.setup.access import require_meeting_planner
from meetings.setup.validation import invalid, validated

#: The texts and flags of an item that setup sets (position and state are the agenda's).
ITEM_FIELDS = ("title", "case_number", "presenter", "description", "prepared_proposal",
               "confidential")
#: Temporary positions while renumbering (positions are unique per meeting at every write).
_SHIFT = 10_000
#: Most items one agenda may hold (a fullmäktige agenda has a few dozen).
MAX_ITEMS = 300


@dataclass(frozen=True)
class ItemDraft:
    """An item to add: what a form, an import or a copy gives."""

    title: str
    case_number: str = ""
    presenter: str = ""
    description: str = ""
    prepared_proposal: str = ""
    confidential: bool = False


def require_agenda_editable(cmd: CommandContext) -> Meeting:
    """The planner's right on a meeting that has not opened."""
    meeting = cmd.meeting
    require_meeting_planner(meeting.body_id, cmd.actor)
    if meeting.status != Meeting.Status.PLANNED:
        raise CommandError(ErrorCode.AGENDA_FIXED)
    return meeting


def agenda_items(meeting: Meeting) -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("position"))


def item_ref(item: AgendaItem) -> AgendaItemRef:
    return AgendaItemRef(item_id=item.pk, position=item.position, title=item.title,
                         confidential=item.confidential)


def _pending_item(meeting: Meeting, item_id: int) -> AgendaItem:
    try:
        return AgendaItem.objects.get(meeting=meeting, pk=item_id)
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise CommandError(ErrorCode.ITEM_NOT_FOUND, item_id=item_id) from None


def check_closed_last(items: Sequence[AgendaItem]) -> None:
    seen_closed = False
    for item in items:
        if item.confidential:
            seen_closed = True
        elif seen_closed:
            raise CommandError(ErrorCode.CLOSED_ITEMS_LAST, item_id=item.pk)


def renumber(items: Sequence[AgendaItem]) -> list[AgendaItemRef]:
    """Give ``items`` (saved rows) positions 1..n in this order; the new order's refs."""
    check_closed_last(items)
    moved = [(n, item) for n, item in enumerate(items, start=1) if item.position != n]
    for n, item in moved:
        AgendaItem.objects.filter(pk=item.pk).update(position=_SHIFT + n)
    for n, item in moved:
        AgendaItem.objects.filter(pk=item.pk).update(position=n)
        item.position = n
    return [item_ref(item) for item in items]


def _default_place(items: Sequence[AgendaItem], confidential: bool) -> int:
    """Where a new item goes: a closed one last, an open one before the first closed one."""
    if confidential:
        return len(items)
    return next((i for i, item in enumerate(items) if item.confidential), len(items))


def _insert(items: list[AgendaItem], item: AgendaItem, position: int | None) -> None:
    if position is None:
        index = _default_place(items, item.confidential)
    elif 1 <= position <= len(items) + 1:
        index = position - 1
    else:
        raise invalid("position", "out_of_range")
    items.insert(index, item)


def _clean_text(draft: ItemDraft) -> ItemDraft:
    return ItemDraft(
        title=draft.title.strip(), case_number=draft.case_number.strip(),
        presenter=draft.presenter.strip(), description=draft.description.strip(),
        prepared_proposal=draft.prepared_proposal.strip(), confidential=bool(draft.confidential),
    )


def _add(meeting: Meeting, items: list[AgendaItem], draft: ItemDraft, *, source: str,
         position: int | None = None) -> Emit:
    """Create one item and place it; ``items`` (the current order) is updated in place."""
    if len(items) >= MAX_ITEMS:
        raise invalid("items", "too_many")
    draft = _clean_text(draft)
    item = AgendaItem(meeting=meeting, position=_SHIFT * 2, **asdict(draft))
    validated(item, exclude_unique=True)
    item.save()
    _insert(items, item, position)
    agenda = renumber(items)
    return Emit(E.AGENDA_ITEM_ADDED, AgendaItemAdded(
        **item_ref(item), case_number=item.case_number, presenter=item.presenter,
        description=item.description, prepared_proposal=item.prepared_proposal,
        source=source, agenda=agenda,
    ))


def _remove(items: list[AgendaItem], item: AgendaItem) -> Emit:
    ref = item_ref(item)
    names = [a.file.name for a in item.attachments.all() if a.file]
    items[:] = [i for i in items if i.pk != item.pk]
    item.delete()
    agenda = renumber(items)
    # The files go once the removal is committed (a rolled back removal keeps them).
    transaction.on_commit(lambda: _delete_files(names))
    return Emit(E.AGENDA_ITEM_REMOVED, AgendaItemRemoved(**ref, agenda=agenda))


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


@meeting_command
def agenda_item_add(
    cmd: CommandContext, *, title: str, case_number: str = "", presenter: str = "",
    description: str = "", prepared_proposal: str = "", confidential: bool = False,
    position: int | None = None,
) -> Emit:
    """Add an item (at ``position``, or where closed-items-last puts it)."""
    meeting = require_agenda_editable(cmd)
    draft = ItemDraft(title=title, case_number=case_number, presenter=presenter,
                      description=description, prepared_proposal=prepared_proposal,
                      confidential=confidential)
    return _add(meeting, agenda_items(meeting), draft, source="added", position=position)


@meeting_command
def agenda_item_change(
    cmd: CommandContext, *, item_id: int, title: str | None = None,
    case_number: str | None = None, presenter: str | None = None,
    description: str | None = None, prepared_proposal: str | None = None,
    confidential: bool | None = None,
) -> Emit:
    """Change what is given (None leaves it). An item made closed moves last; an item made
    open moves before the first closed one."""
    meeting = require_agenda_editable(cmd)
    items = agenda_items(meeting)
    item = next((i for i in items if i.pk == item_id), None) or _pending_item(meeting, item_id)
    given = {"title": title, "case_number": case_number, "presenter": presenter,
             "description": description, "prepared_proposal": prepared_proposal}
    changed: dict[str, object] = {}
    for name, value in given.items():
        if value is not None and value.strip() != getattr(item, name):
            setattr(item, name, value.strip())
            changed[name] = value.strip()
    if confidential is not None and bool(confidential) != item.confidential:
        item.confidential = bool(confidential)
        changed["confidential"] = item.confidential
    if not changed:
        raise invalid("item", "nothing_changed")
    validated(item, exclude_unique=True)
    item.save(update_fields=[*changed])
    if "confidential" in changed:
        items.remove(item)
        _insert(items, item, None)
    agenda = renumber(items)
    return Emit(E.AGENDA_ITEM_CHANGED, AgendaItemChanged(
        **item_ref(item), changed=changed, agenda=agenda))


@meeting_command
def agenda_item_remove(cmd: CommandContext, *, item_id: int) -> Emit:
    """Take an item off the agenda (with its documents) before the meeting."""
    meeting = require_agenda_editable(cmd)
    items = agenda_items(meeting)
    item = next((i for i in items if i.pk == item_id), None) or _pending_item(meeting, item_id)
    return _remove(items, item)


@meeting_command
def agenda_reorder(cmd: CommandContext, *, item_ids: Sequence[int]) -> Emit:
    """Set the whole order: ``item_ids`` lists every item once, first item first."""
    meeting = require_agenda_editable(cmd)
    current = {item.pk: item for item in agenda_items(meeting)}
    ids = list(item_ids)
    if len(ids) != len(set(ids)) or set(ids) != set(current):
        raise invalid("item_ids", "not_a_permutation")
    agenda = renumber([current[pk] for pk in ids])
    return Emit(E.AGENDA_REORDERED, AgendaReordered(agenda=agenda))


@meeting_command
def agenda_copy(cmd: CommandContext, *, source_meeting_id: int) -> list[Emit]:
    """Copy an earlier meeting's items (texts, Dnr, föredragande, confidentiality; not its
    documents, which belong to that meeting) after this agenda's items. The source may be any
    meeting of a body the actor plans meetings for."""
    meeting = require_agenda_editable(cmd)
    source = Meeting.objects.filter(pk=source_meeting_id).first() \
        if isinstance(source_meeting_id, int) else None
    if source is None or source.pk == meeting.pk:
        raise CommandError(ErrorCode.MEETING_NOT_FOUND, meeting_id=source_meeting_id)
    require_meeting_planner(source.body_id, cmd.actor)
    drafts = [ItemDraft(**{name: getattr(item, name) for name in ITEM_FIELDS})
              for item in agenda_items(source)]
    if not drafts:
        raise invalid("source_meeting_id", "empty_agenda")
    items = agenda_items(meeting)
    return [_add(meeting, items, draft, source="copied") for draft in drafts]


@meeting_command
def agenda_import(
    cmd: CommandContext, *, items: Sequence[ItemDraft], replace: bool = False
) -> list[Emit]:
    """A whole agenda from a case system, in its order (closed items must come last).
    ``replace`` first removes the items already on the agenda; otherwise they stay first."""
    meeting = require_agenda_editable(cmd)
    if not items:
        raise invalid("items", "required")
    closed = [bool(draft.confidential) for draft in items]
    if closed != sorted(closed):
        first_open_after = closed.index(False, closed.index(True))
        raise CommandError(ErrorCode.CLOSED_ITEMS_LAST, index=first_open_after)
    current = agenda_items(meeting)
    emits = [_remove(current, item) for item in list(current)] if replace else []
    # Open items go before the agenda's closed ones, closed items last: the import's order
    # is kept within each.
    emits += [_add(meeting, current, draft, source="imported") for draft in items]
    return emits
