"""An agenda item's documents (handlingar), only through this checked view.

Documents are uploaded by people outside the meeting's control (other authorities, the
public), and they are served from the app's own origin: an ``.html`` or ``.svg`` shown inline
would run its script with the reader's session and pass the websocket origin check. So every
document is served with ``X-Content-Type-Options: nosniff`` and a sandbox CSP (no script, no
same origin, nothing loaded), and only raster images are shown inline; everything else,
PDF included, is a download (``Content-Disposition: attachment``). Browsers' PDF viewers do not
run in a sandboxed document, and without the sandbox a PDF would be one more active format.
"""

from __future__ import annotations

import mimetypes
import unicodedata

from django.core.exceptions import PermissionDenied, SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from meetings.access import may_follow
from meetings.models import Attachment, Meeting

#: Shown in the browser: formats that cannot carry script. SVG is XML with script: not here.
INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
SANDBOX_CSP = "default-src 'none'; sandbox"


def safe_filename(name: str) -> str:
    """The stored file's base name without path, control characters or quotes; never empty."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    try:
        return get_valid_filename(base)[:150]
    except SuspiciousFileOperation:  # "", "." or "..": any name will do
        return "handling"


def served_type(filename: str) -> tuple[str, bool]:
    """(Content-Type, inline?) for a document: inline only for the allow-list."""
    guessed, _encoding = mimetypes.guess_type(filename)
    if guessed in INLINE_TYPES:
        return guessed, True
    if guessed == "application/pdf":
        return guessed, False
    return "application/octet-stream", False


@require_GET
def document(request: HttpRequest, meeting_id: int, attachment_id: int) -> FileResponse:
    """An item's document: for the meeting's people; for anyone when the meeting is public
    and the item is not confidential (sekretess). Never by a guessable media URL alone."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=meeting_id)
    attachment = get_object_or_404(
        Attachment.objects.select_related("item"), pk=attachment_id, item__meeting=meeting)
    user = request.user
    allowed = may_follow(meeting, user)
    if not allowed and not (meeting.is_public and not attachment.item.confidential):
        if user.is_authenticated:
            raise PermissionDenied(_("You do not take part in this meeting."))
        raise Http404(_("There is no such document."))
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("There is no such document.")) from None
    filename = safe_filename(attachment.file.name)
    content_type, inline = served_type(filename)
    response = FileResponse(handle, as_attachment=not inline, filename=filename,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-cache"
    return response
