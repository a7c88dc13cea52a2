"""An agenda item's documents (handlingar), only through this checked view."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from meetings.access import may_follow
from meetings.models import Attachment, Meeting


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
    return FileResponse(handle, as_attachment=False,
                        filename=attachment.file.name.rsplit("/", 1)[-1])
