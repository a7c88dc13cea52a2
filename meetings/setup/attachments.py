"""An agenda item's documents (handlingar): attach and remove before the meeting opens.

The file is checked before anything is stored: its size against the setting
``KLUBBA["ATTACHMENT_MAX_BYTES"]`` (``attachment_too_large``) and its name's ending against
``KLUBBA["ATTACHMENT_TYPES"]`` (``attachment_type_not_allowed``); a PDF or picture must also
start like one. Then it is stored, and the command (under the meeting's lock, logged as
``agenda.attachment_added`` with its SHA-256) records it; if the command is refused the stored
file is deleted again, so nothing is half-written. Documents are served only through the
checked view (``web.views.documents``), never by their media URL.
"""

from __future__ import annotations

import hashlib
from typing import IO, Any, cast

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError, ErrorCode
from meetings.events import AgendaAttachmentAdded, AgendaAttachmentRemoved
from meetings.events import MeetingEventType as E
from meetings.models import AgendaItem, Attachment, Meeting, MeetingEvent
from meetings.roles import Actor
from meetings.setup.access import require_meeting_planner
from meetings.setup.agenda import require_agenda_editable
from meetings.setup.validation import invalid

#: How files of these types begin; a file named so must begin so.
_MAGIC = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",), "xlsx": (b"PK\x03\x04",), "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",), "ods": (b"PK\x03\x04",), "odp": (b"PK\x03\x04",),
}
MAX_TITLE = 200


def max_bytes() -> int:
    return cast(int, settings.KLUBBA["ATTACHMENT_MAX_BYTES"])


def allowed_types() -> tuple[str, ...]:
    return cast(tuple[str, ...], settings.KLUBBA["ATTACHMENT_TYPES"])


def _safe_name(name: str) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    try:
        return get_valid_filename(base)[-150:]
    except SuspiciousFileOperation:
        return ""


def check_file(*, file_name: str, size: int, head: bytes) -> str:
    """The safe file name, or the typed refusal (size first: nothing large is read)."""
    if size > max_bytes():
        raise CommandError(ErrorCode.ATTACHMENT_TOO_LARGE, max_bytes=max_bytes(), size=size)
    name = _safe_name(file_name)
    ending = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if not ending or ending not in allowed_types():
        raise CommandError(ErrorCode.ATTACHMENT_TYPE_NOT_ALLOWED, allowed=list(allowed_types()))
    magic = _MAGIC.get(ending)
    if magic and not head.startswith(magic):
        raise CommandError(ErrorCode.ATTACHMENT_TYPE_NOT_ALLOWED, reason="content_mismatch",
                           allowed=list(allowed_types()))
    if size == 0:
        raise invalid("file", "empty")
    return name


def _stored(content: IO[bytes], name: str) -> tuple[str, int, str]:
    """Store the content under ``attachments/<year>/``; (stored name, size, sha256)."""
    digest = hashlib.sha256()
    content.seek(0)
    for chunk in iter(lambda: content.read(64 * 1024), b""):
        digest.update(chunk)
    size = content.tell()
    content.seek(0)
    stored = default_storage.save(f"attachments/{timezone.now():%Y}/{name}", File(content))
    return stored, size, digest.hexdigest()


def attachment_add(
    *, meeting_id: int, actor: Actor, item_id: int, title: str, file_name: str,
    content: IO[bytes], size: int, command_id: str | None = None,
) -> MeetingEvent:
    """Attach a document to a pending item of a planned meeting (see the module docstring).
    ``size`` is the upload's declared size; the stored size is what was read."""
    meeting = Meeting.objects.filter(pk=meeting_id).first() if isinstance(meeting_id, int) \
        else None
    if meeting is None:
        raise CommandError(ErrorCode.MEETING_NOT_FOUND, meeting_id=meeting_id)
    require_meeting_planner(meeting.body_id, actor)
    content.seek(0)
    head = content.read(16)
    name = check_file(file_name=file_name, size=size, head=head)
    title = (title or "").strip() or name
    if len(title) > MAX_TITLE:
        raise invalid("title", "too_long")
    stored, real_size, sha = _stored(content, name)
    try:
        if real_size > max_bytes():
            raise CommandError(ErrorCode.ATTACHMENT_TOO_LARGE, max_bytes=max_bytes(),
                               size=real_size)
        event = _attachment_record(meeting_id=meeting_id, actor=actor, item_id=item_id,
                                   title=title, stored=stored, file_name=name, size=real_size,
                                   sha256=sha, command_id=command_id)
    except BaseException:
        default_storage.delete(stored)
        raise
    if not Attachment.objects.filter(pk=event.payload["attachment_id"], file=stored).exists():
        default_storage.delete(stored)  # a retried command: the first upload is the one kept
    return event


@meeting_command
def _attachment_record(cmd: CommandContext, *, item_id: int, title: str, stored: str,
                       file_name: str, size: int, sha256: str) -> Emit:
    meeting = require_agenda_editable(cmd)
    item = _item_of(meeting, item_id)
    attachment = Attachment.objects.create(item=item, title=title, file=stored)
    return Emit(E.AGENDA_ATTACHMENT_ADDED, AgendaAttachmentAdded(
        item_id=item.pk, attachment_id=attachment.pk, title=title, file_name=file_name,
        size=size, sha256=sha256))


def _item_of(meeting: Meeting, item_id: Any) -> AgendaItem:
    try:
        return AgendaItem.objects.get(meeting=meeting, pk=item_id)
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise CommandError(ErrorCode.ITEM_NOT_FOUND, item_id=item_id) from None


@meeting_command
def attachment_remove(cmd: CommandContext, *, item_id: int, attachment_id: int) -> Emit:
    """Remove a document from a pending item of a planned meeting; the file goes on commit."""
    meeting = require_agenda_editable(cmd)
    item = _item_of(meeting, item_id)
    try:
        attachment = Attachment.objects.get(item=item, pk=attachment_id)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise CommandError(ErrorCode.ATTACHMENT_NOT_FOUND, attachment_id=attachment_id) from None
    name = attachment.file.name
    title = attachment.title
    attachment.delete()
    transaction.on_commit(lambda: default_storage.delete(name))
    return Emit(E.AGENDA_ATTACHMENT_REMOVED, AgendaAttachmentRemoved(
        item_id=item.pk, attachment_id=attachment_id, title=title))
