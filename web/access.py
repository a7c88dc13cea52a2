"""Who may open which page. Checked on the server before any page or state is sent: a member
who opens the console gets the readable 403 page, a closed meeting's public view a 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from meetings.access import may_follow
from meetings.models import BodyRole, Meeting
from meetings.roles import Actor, MeetingRoles, may_control, roles_in


class NotAParticipant(PermissionDenied):
    """Refused the participants' pages of a meeting; ``public_url`` when it is public (the
    403 page, ``web.views.errors``, links it)."""

    def __init__(self, message: str, *, public_url: str = "") -> None:
        super().__init__(message)
        self.public_url = public_url


def participant_meeting(request: HttpRequest, meeting_id: int) -> tuple[Meeting, MeetingRoles]:
    """The meeting and the user's roles in it, if the user may follow it as a participant."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=meeting_id)
    roles = roles_in(meeting, request.user)
    if not may_follow(meeting, request.user, roles=roles):
        public_url = reverse("meetings:public_live", args=[meeting.pk]) if meeting.is_public \
            else ""
        raise NotAParticipant(_("You do not take part in this meeting."), public_url=public_url)
    return meeting, roles


def console_allowed(meeting: Meeting, user: Actor, roles: MeetingRoles) -> bool:
    """The secretary runs the meeting; the chair presides (acclamation, casting vote) and runs
    it too where the body allows it."""
    return may_control(meeting, user) or roles.is_chair


def public_meeting(meeting_id: int) -> Meeting:
    """A meeting the public may watch live; any other is not found."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=meeting_id)
    if not meeting.is_public:
        raise Http404(_("This meeting is not open to the public."))
    return meeting


def may_set_up(user: Actor) -> bool:
    """The organisation administrator, or a secretary of some body: they see *Organisation*
    (``web.views.setup``). The pages check each act again, per body."""
    from meetings.setup import is_organisation_admin

    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return False
    return is_organisation_admin(user) or BodyRole.objects.filter(
        user_id=user.pk, role=BodyRole.Role.SECRETARY).exists()
